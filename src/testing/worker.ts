import type { Clock } from "../clock.ts";

/**
 * What the emulator hands a worker for each job, like the `job` dict a RunPod
 * worker receives, plus what a worker needs to behave well in the emulator.
 *
 * @example Reporting progress from a worker
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, FakeClock, type WorkerJob } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({
 *   clock,
 *   worker: async (job: WorkerJob<number>) => {
 *     job.progress("halfway");
 *     await job.sleep(10_000); // fake time: no real wait
 *     return job.input + 1;
 *   },
 * });
 * const { baseUrl, fetch } = emulator;
 * const endpoint = runpodSdk("test-key", { baseUrl, fetch, clock })
 *   .endpoint<number, number>("test-endpoint");
 * const { id } = await endpoint.run({ input: 41 });
 * const outputs: unknown[] = [];
 * const job = await endpoint.waitFor(id, { onStatus: (job) => outputs.push(job.output) });
 * assert.ok(outputs.includes("halfway")); // /status showed the update while IN_PROGRESS
 * assert.equal(job.output, 42);
 * ```
 */
export interface WorkerJob<I = unknown> {
  /** The job id. */
  id: string;
  /** The request's `input`. */
  input: I;
  /**
   * Aborts when the job is cancelled, times out (`policy.executionTimeout`),
   * expires (`policy.ttl`) or the emulator closes. A worker should stop then.
   */
  signal: AbortSignal;
  /** The emulator's clock. */
  clock: Clock;
  /**
   * Waits `ms` milliseconds on the emulator's clock; rejects with the
   * signal's reason when the job is stopped. Workers sleep with this so that
   * a {@linkcode FakeClock} runs them in no real time.
   *
   * @param ms How long to wait, in milliseconds.
   * @returns A promise that resolves after `ms`.
   */
  sleep(ms: number): Promise<void>;
  /**
   * Sends a progress update: `/status` shows it as the job's `output` while
   * the job is IN_PROGRESS (like `runpod.serverless.progress_update`).
   *
   * @param update Any JSON value.
   */
  progress(update: unknown): void;
}

/**
 * A worker handler, shaped like a RunPod worker, and its result reported as
 * runpod-python reports it:
 *
 * - It returns the job's output (or a promise of it). An object's `error`
 *   key is removed: a truthy `error` makes the job FAILED with that value,
 *   and the other keys stay as `output`. A thrown error makes the job FAILED
 *   with runpod-python's JSON report as a string (`error_type`
 *   `"<class 'Name'>"` from the error's `name`, `error_message`,
 *   `error_traceback`, `hostname`, `worker_id`, `runpod_version`).
 * - Or it is an async generator: its yields become `/stream` items (one
 *   over 1 MB is split), and the final `output` is their array only with the
 *   emulator's `returnAggregateStream` (else `[]`). A yielded object with a
 *   truthy `error` ends the job FAILED with it (that item is not streamed);
 *   a throw ends it FAILED with `"handler: <message> \ntraceback: <tb>"`.
 * - A result over 20 MB ends the job COMPLETED with no output.
 *
 * @typeParam I The input type.
 *
 * @example Writing a worker that can fail
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type EmulatorWorker } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const shout: EmulatorWorker<{ text: string }> = ({ input }) => {
 *   if (input.text === "") throw new Error("text is empty");
 *   return input.text.toUpperCase();
 * };
 * await using emulator = createEmulator({ worker: shout });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint<{ text: string }, string>("test-endpoint");
 * assert.equal((await endpoint.runSync({ input: { text: "hi" } })).output, "HI");
 * const failed = await endpoint.runSync({ input: { text: "" } });
 * assert.equal(failed.status, "FAILED");
 * const report = JSON.parse(String(failed.error)); // as a Python worker reports an exception
 * assert.equal(report.error_type, "<class 'Error'>");
 * assert.equal(report.error_message, "text is empty");
 * ```
 */
export type EmulatorWorker<I = unknown> = (
  job: WorkerJob<I>,
) => unknown | Promise<unknown> | AsyncIterable<unknown>;

/**
 * The default worker: answers each job with its input.
 *
 * @param job The job.
 * @returns The job's input.
 *
 * @example Echoing the input
 * ```ts
 * import { createEmulator, echoWorker } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({ worker: echoWorker });
 * const response = await emulator.fetch(`${emulator.baseUrl}/test-endpoint/runsync`, {
 *   method: "POST",
 *   headers: { authorization: "Bearer test-key", "content-type": "application/json" },
 *   body: JSON.stringify({ input: { prompt: "hi" } }),
 * });
 * const job = await response.json();
 * assert.equal(job.status, "COMPLETED");
 * assert.deepEqual(job.output, { prompt: "hi" });
 * ```
 */
export function echoWorker(job: WorkerJob): unknown {
  return job.input;
}
