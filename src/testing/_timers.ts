import type { Clock } from "../clock.ts";

/** Timers on a clock, tracked so that every one still pending can be cleared at once. */
export class Timers {
  #clock: Clock;
  #pending = new Set<() => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Calls `fn` after `ms` on the clock; returns a cancel function (harmless once fired). */
  set(fn: () => void, ms: number): () => void {
    const cancel = () => {
      if (this.#pending.delete(cancel)) stop();
    };
    const stop = this.#clock.setTimer(() => {
      if (this.#pending.delete(cancel)) fn();
    }, Math.max(0, ms));
    this.#pending.add(cancel);
    return cancel;
  }

  /** Cancels every pending timer. */
  clear(): void {
    for (const cancel of [...this.#pending]) cancel();
  }
}
