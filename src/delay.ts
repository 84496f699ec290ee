import { type Clock, realClock } from "./clock.ts";

/**
 * Options for {@linkcode delay}.
 *
 * @example Waiting on a fake clock, and aborting the wait
 * ```ts
 * import { delay, type DelayOptions } from "@runpod/sdk";
 * import { FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock({ autoAdvance: false });
 * const controller = new AbortController();
 * const options: DelayOptions = { clock, signal: controller.signal };
 * const waiting = delay(10_000, options);
 * await clock.advance(5_000);
 * controller.abort(new Error("stopped"));
 * await assert.rejects(waiting, { message: "stopped" });
 * assert.equal(clock.pendingTimers, 0); // the timer went with the wait
 * ```
 */
export interface DelayOptions {
  /**
   * Ends the wait early: the promise rejects with `signal.reason`.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * The clock to wait on.
   *
   * @default {realClock}
   */
  clock?: Clock;
}

/**
 * Waits `ms` milliseconds, or until `signal` aborts. The timer and the abort
 * listener are removed as soon as the wait ends either way, so a finished
 * delay never keeps a process alive.
 *
 * @param ms How long to wait, in milliseconds.
 * @param options The abort signal and the clock.
 * @returns A promise that resolves after `ms`, or rejects with the signal's reason.
 *
 * @example Waiting, and aborting a wait
 * ```ts
 * import { delay } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * await delay(1);
 * const controller = new AbortController();
 * const waiting = delay(60_000, { signal: controller.signal });
 * controller.abort();
 * await assert.rejects(waiting, { name: "AbortError" });
 * ```
 */
export function delay(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal, clock = realClock } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
