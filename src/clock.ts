/**
 * A source of time: what the SDK and the emulator read the time from and
 * schedule their waits on. Real time by default; tests can pass a
 * {@linkcode FakeClock} from `@runpod/sdk/testing` to both the client and the
 * emulator so minutes of polling run in milliseconds.
 *
 * @example Using the real clock
 * ```ts
 * import { realClock } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const cancel = realClock.setTimer(() => {}, 1000);
 * cancel();
 * assert.ok(realClock.now() > 0);
 * ```
 */
export interface Clock {
  /** The current time in milliseconds since the epoch. */
  now(): number;
  /**
   * Calls `fn` once after `ms` milliseconds.
   *
   * @param fn What to call.
   * @param ms How long to wait, in milliseconds.
   * @returns A function that cancels the timer; calling it twice is harmless.
   */
  setTimer(fn: () => void, ms: number): () => void;
}

/**
 * The real clock: `Date.now()` and `setTimeout`, read only when called (no
 * work at import time, as Cloudflare Workers require).
 *
 * @example Reading the time
 * ```ts
 * import { realClock } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(realClock.now() - Date.now()) < 1000);
 * ```
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn: () => void, ms: number): () => void {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
};
