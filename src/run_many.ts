import type { Job } from "./types.ts";

/**
 * Options for {@linkcode Endpoint.runMany}.
 *
 * @typeParam O The shape of the worker's `output`.
 *
 * @example Bounding the jobs alive at once, and watching them
 * ```ts
 * import runpodSdk, { type RunManyOptions } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({ clock, workers: 4 });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
 *   .endpoint<number, number>("test-endpoint");
 * const seen = new Set<number>();
 * const options: RunManyOptions<number> = { concurrency: 2, onStatus: (_job, index) => seen.add(index) };
 * let count = 0;
 * for await (const result of endpoint.runMany([1, 2, 3].map((input) => ({ input })), options)) {
 *   assert.equal(result.job?.status, "COMPLETED");
 *   count++;
 * }
 * assert.equal(count, 3);
 * assert.deepEqual([...seen].sort(), [0, 1, 2]);
 * ```
 */
export interface RunManyOptions<O = unknown> {
  /**
   * How many jobs may be submitted and not yet final (or final and not yet
   * handed to the loop) at once. The requests are read from their iterable
   * only as slots free up, so memory stays bounded, and a slow loop slows
   * the submissions down. Raise it for short jobs on an endpoint with many workers: the
   * client's pacing keeps the requests within RunPod's rate limits anyway.
   *
   * @default {100}
   */
  concurrency?: number;
  /**
   * Stops submitting, stops waiting and makes the generator throw the
   * signal's reason once every submission on the wire has returned (with
   * `cancelOnAbort`, after cancelling every job not final).
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * When true, an abort, or leaving the loop early (`break`), cancels every
   * job submitted and not final yet, including those whose `/run` was on the
   * wire at that moment, so nobody pays for results no one will read.
   *
   * @default {false}
   */
  cancelOnAbort?: boolean;
  /**
   * Called with a job and the index of its request when it is submitted and
   * each time its status (or progress output) changes.
   *
   * @default {undefined}
   */
  onStatus?: (job: Job<O>, index: number) => void;
  /**
   * A local timeout per job, in ms, from its submission to its final state;
   * a job past it is yielded with a `TimeoutError` (and cancelled with
   * `cancelOnAbort`).
   *
   * @default {undefined}
   */
  timeout?: number;
  /**
   * How many times a retryable failure of one request is retried (overrides the client's).
   *
   * @default {2}
   */
  maxRetries?: number;
}

/**
 * One result of {@linkcode Endpoint.runMany}: the final job of the request at
 * `index`, or the error that kept it from one (its submission failed, or its
 * wait timed out or failed); `id` is the job's id when it was submitted.
 *
 * @typeParam O The shape of the worker's `output`.
 *
 * @example Telling jobs from errors
 * ```ts
 * import type { RunManyResult } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const describe = (result: RunManyResult<string>) =>
 *   result.job ? `${result.index}: ${result.job.status}` : `${result.index}: ${result.error}`;
 * assert.equal(describe({ index: 0, id: "a", job: { id: "a", status: "COMPLETED" } }), "0: COMPLETED");
 * assert.equal(describe({ index: 1, error: new Error("refused") }), "1: Error: refused");
 * ```
 */
export type RunManyResult<O = unknown> =
  | { index: number; id: string; job: Job<O>; error?: undefined }
  | { index: number; id?: string; job?: undefined; error: unknown };
