// The FakeClock of @runpod/sdk/testing as it was before it fired every due timer at once
// (commit 1d11c13): one timer per pump, each pump two nested setTimeout(0) turns. Kept
// only so that scripts/bench/fake_clock.ts can measure the change side by side.
import type { Clock } from "../../src/clock.ts";

interface FakeClockOptions {
  start?: number;
  autoAdvance?: boolean;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClockBefore implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;
  #auto: boolean;
  #pump: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(options: FakeClockOptions = {}) {
    this.#now = options.start ?? Date.UTC(2026, 0, 1);
    this.#auto = options.autoAdvance ?? true;
  }

  now(): number {
    return this.#now;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    if (this.#disposed) return () => {};
    this.#timers.push(timer);
    this.#schedulePump();
    return () => {
      const i = this.#timers.indexOf(timer);
      if (i >= 0) this.#timers.splice(i, 1);
    };
  }

  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    while (true) {
      const next = this.#next();
      if (!next || next.at > target) break;
      this.#fire(next);
      await settle();
    }
    this.#now = Math.max(this.#now, target);
  }

  dispose(): void {
    this.#disposed = true;
    this.#timers = [];
    if (this.#pump !== undefined) clearTimeout(this.#pump);
    this.#pump = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #next(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) {
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }

  #fire(timer: Timer): void {
    this.#timers.splice(this.#timers.indexOf(timer), 1);
    this.#now = Math.max(this.#now, timer.at);
    timer.fn();
  }

  #schedulePump(): void {
    if (!this.#auto || this.#pump !== undefined || this.#disposed) return;
    // Two real macrotask turns: promise jobs and already-settled I/O run first,
    // so time only jumps when everything else is waiting on this clock.
    this.#pump = setTimeout(() => {
      this.#pump = setTimeout(() => {
        this.#pump = undefined;
        const next = this.#next();
        if (next) this.#fire(next);
        if (this.#timers.length > 0) this.#schedulePump();
      }, 0);
    }, 0);
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
