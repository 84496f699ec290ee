import type { Clock } from "../clock.ts";

/**
 * Options for {@linkcode FakeClock}.
 *
 * @example Starting at a chosen time
 * ```ts
 * import { delay } from "@runpod/sdk";
 * import { FakeClock, type FakeClockOptions } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const options: FakeClockOptions = { start: Date.UTC(2030, 0, 1), autoAdvance: true };
 * using clock = new FakeClock(options);
 * await delay(3_600_000, { clock }); // an hour of fake time, advanced by itself
 * assert.equal(clock.now(), Date.UTC(2030, 0, 1, 1));
 * ```
 */
export interface FakeClockOptions {
  /**
   * The starting time, in milliseconds since the epoch.
   *
   * @default {1767225600000}
   */
  start?: number;
  /**
   * When true, whenever the program has nothing left to do but wait for this
   * clock's timers (checked after a real macrotask turn), the clock jumps to
   * the next timer and fires it. This lets code that talks to the in-process
   * emulator run hours of simulated time at full speed without a test calling
   * {@linkcode FakeClock.advance}. Use it only when no real I/O is in flight
   * (the emulator in `fetch` mode), or time can jump while a request is out.
   *
   * @default {true}
   */
  autoAdvance?: boolean;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock for tests: time stands still until it is advanced, by hand with
 * {@linkcode FakeClock.advance} or automatically (see
 * {@linkcode FakeClockOptions.autoAdvance}). Pass the same instance to the
 * emulator and to the client.
 *
 * Dispose of it (or call {@linkcode FakeClock.dispose}) at the end of a test:
 * that drops its pending timers and the real timer it uses to auto-advance.
 *
 * @example Advancing time by hand
 * ```ts
 * import { FakeClock } from "@runpod/sdk/testing";
 * import { delay } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock({ autoAdvance: false });
 * let done = false;
 * const waiting = delay(60_000, { clock }).then(() => (done = true));
 * await clock.advance(59_999);
 * assert.equal(done, false);
 * await clock.advance(1);
 * await waiting;
 * assert.equal(done, true);
 * ```
 */
export class FakeClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #seq = 0;
  #auto: boolean;
  #pump: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  /**
   * Makes a clock that starts at `options.start`.
   *
   * @param options The start time and whether time advances by itself.
   */
  constructor(options: FakeClockOptions = {}) {
    this.#now = options.start ?? Date.UTC(2026, 0, 1);
    this.#auto = options.autoAdvance ?? true;
  }

  /**
   * The clock's current time in milliseconds since the epoch.
   *
   * @returns The fake time.
   */
  now(): number {
    return this.#now;
  }

  /** How many timers are waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Schedules `fn` at `ms` milliseconds from the clock's now.
   *
   * @param fn What to call.
   * @param ms The wait in milliseconds.
   * @returns A function that cancels the timer.
   */
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

  /**
   * Moves time forward by `ms`, firing every timer that falls due, in order,
   * and letting the promise jobs they start run before the next one fires.
   *
   * @param ms How far to move, in milliseconds.
   * @returns A promise that resolves once time has reached its target.
   */
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

  /**
   * Drops every pending timer and stops advancing by itself.
   */
  dispose(): void {
    this.#disposed = true;
    this.#timers = [];
    if (this.#pump !== undefined) clearTimeout(this.#pump);
    this.#pump = undefined;
  }

  /** Same as {@linkcode FakeClock.dispose}, for `using`. */
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
