import type {
  CallOptions,
  EndpointHealth,
  Job,
  JobHandle,
  PurgeResult,
  RunRequest,
  StreamItem,
  StreamOptions,
  WaitOptions,
} from "./types.ts";
import { type Transport, transports } from "./_http.ts";
import { runSync, waitFor } from "./_poll.ts";
import { call } from "./_request.ts";
import type { RunManyOptions, RunManyResult } from "./run_many.ts";
import { BatchJobs } from "./batches.ts";
import { JOB_ROUTES } from "./_routes.ts";
import { checkId, checkMany } from "./_validate.ts";

/**
 * One RunPod serverless endpoint: submit jobs, wait for them, stream their
 * output, cancel them, and watch the endpoint's health. Get one from
 * {@linkcode RunpodSdk.endpoint}.
 *
 * Every method takes as its last argument either a local timeout in ms or an
 * options object (`{ timeout, signal, maxRetries }` plus what the method adds).
 *
 * @typeParam I The shape of `input` the worker expects.
 * @typeParam O The shape of the worker's `output`.
 *
 * @example Running a job and waiting for its result
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch });
 * const endpoint = runpod.endpoint<{ prompt: string }, { prompt: string }>("test-endpoint");
 *
 * const job = await endpoint.runSync({ input: { prompt: "a horse" } }, 5000);
 * assert.equal(job.status, "COMPLETED");
 * assert.deepEqual(job.output, { prompt: "a horse" });
 * ```
 */
export class Endpoint<I = unknown, O = unknown> {
  /** The endpoint id. */
  readonly id: string;
  #t: Transport;

  /**
   * Makes the endpoint `endpointId` of a client. Same as `runpod.endpoint(endpointId)`.
   *
   * @param sdk The client whose key and options to use.
   * @param endpointId The endpoint id, as the RunPod console shows it.
   */
  constructor(sdk: object, endpointId: string) {
    const transport = transports.get(sdk);
    if (!transport) {
      throw new TypeError("Cannot create an Endpoint: pass a client made by runpodSdk()");
    }
    this.id = checkId("create an Endpoint", "endpointId", endpointId);
    this.#t = transport;
    transports.set(this, transport); // for the endpoint's BatchJobs
  }

  #batches: BatchJobs<I, O> | undefined;

  /**
   * The endpoint's Batch Jobs API (**beta**): create a batch from many
   * requests, add to it, finalize, read its counts, page through its
   * requests, cancel it, wait for it (see {@linkcode BatchJobs}).
   *
   * @experimental RunPod's Batch Jobs API is in beta.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const batch = await endpoint.batches.create([{ input: 1 }]);
   * assert.equal(batch.endpointId, "test-endpoint");
   * ```
   */
  get batches(): BatchJobs<I, O> {
    return this.#batches ??= new BatchJobs<I, O>(this);
  }

  /**
   * The base URL of this endpoint's OpenAI-compatible routes (vLLM workers),
   * `{baseUrl}/{endpointId}/openai/v1`: give it to the `openai` package as
   * `baseURL`, with the RunPod API key as `apiKey`. It follows the client's
   * `baseUrl`, so it points at the emulator when the client does.
   *
   * @example Pointing the openai package at an endpoint
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const endpoint = runpodSdk("my-runpod-key").endpoint("vllm-abc123");
   * assert.equal(endpoint.openaiBaseUrl, "https://api.runpod.ai/v2/vllm-abc123/openai/v1");
   * // const openai = new OpenAI({ apiKey: "my-runpod-key", baseURL: endpoint.openaiBaseUrl });
   * ```
   */
  get openaiBaseUrl(): string {
    return `${this.#t.baseUrl}/${this.id}/openai/v1`;
  }

  /**
   * Submits a job (`POST /run`) and resolves as soon as it is queued.
   *
   * Not retried after a server error or a lost answer, because RunPod has no
   * idempotency key and a resent job may run (and bill) twice: such failures
   * reject with a {@linkcode RunpodApiError} or {@linkcode RunpodConnectionError}
   * that says so. A 429 (nothing was enqueued) is retried.
   *
   * @param request The job: `{ input, webhook?, policy?, s3Config? }`.
   * @param options A timeout in ms, or call options.
   * @returns The job's id and status (`IN_QUEUE`).
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id, status } = await endpoint.run({ input: { prompt: "hi" } }, 5000);
   * assert.equal(status, "IN_QUEUE");
   * assert.equal((await endpoint.waitFor(id)).status, "COMPLETED");
   * ```
   */
  run(request: RunRequest<I>, options?: number | CallOptions): Promise<JobHandle> {
    return call(this.#t, JOB_ROUTES.run, { endpointId: this.id }, options, {
      body: request,
    });
  }

  /**
   * Submits a job and waits until it is COMPLETED, FAILED, CANCELLED or
   * TIMED_OUT. It asks `/runsync` to hold the answer (up to 90 s, less when the
   * timeout is nearer), so a job that finishes inside that window costs one
   * request; a longer job is then polled on `/status`, pausing 250 ms, then
   * 1.5 times longer each time up to 3 s. A FAILED job resolves (look at
   * `status` and `error`), also when RunPod answers it with an HTTP 400.
   *
   * With a timeout under 1.5 s (too near for a held `/runsync` to answer in
   * time), or with `cancelOnAbort` and a `signal`, the job is submitted with
   * `/run` instead, so its id is known from the start: a TimeoutError names
   * it, and an abort can cancel it (a held `/runsync` cut short would leave a
   * job that nobody can name).
   *
   * @param request The job: `{ input, webhook?, policy?, s3Config? }`.
   * @param options A timeout in ms, or options (`onStatus`, `cancelOnAbort`, ...).
   * @returns The job in its final state.
   *
   * @example A job that outlives the timeout is cancelled
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock, worker: ({ sleep }) => sleep(60_000) });
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
   *   .endpoint("test-endpoint");
   * await assert.rejects(
   *   endpoint.runSync({ input: {} }, { timeout: 5000, cancelOnAbort: true }),
   *   { name: "TimeoutError" },
   * );
   * assert.equal(emulator.jobs[0]?.status, "CANCELLED");
   * ```
   */
  runSync(request: RunRequest<I>, options?: number | WaitOptions<O>): Promise<Job<O>> {
    return runSync<O>(this.#t, this.id, request, options);
  }

  /**
   * Runs many jobs: submits each request once (`POST /run`), at most
   * `concurrency` jobs alive at a time, and yields each one's final job,
   * with the index of its request, as it ends (in the order they end, not
   * the order given). The requests may be an array or any iterable or async
   * iterable; they are read only as slots free up, so memory stays bounded
   * for millions of them. The client's pacing keeps the submissions and the
   * polls within RunPod's rate limits. A request that cannot be submitted, or
   * whose wait fails, yields `{ index, error }` and the others go on; no job
   * is ever submitted twice.
   *
   * A `signal` stops submitting and waiting; the generator then throws its
   * reason. With `cancelOnAbort`, an abort or leaving the loop early also
   * cancels every job submitted and not final.
   *
   * @param requests The jobs: an array, iterable or async iterable of `{ input, ... }`.
   * @param options `concurrency` (default 100), `signal`, `cancelOnAbort`, `onStatus`, `timeout` per job.
   * @returns An async generator of `{ index, id, job }` (or `{ index, error }`).
   *
   * @example Running 300 jobs, 100 at a time
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator<number>({
   *   clock,
   *   workers: 50,
   *   worker: async ({ input, sleep }) => {
   *     await sleep(2_000);
   *     return input * 2;
   *   },
   * });
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
   *   .endpoint<number, number>("test-endpoint");
   * function* inputs() {
   *   for (let n = 0; n < 300; n++) yield { input: n };
   * }
   * const outputs = new Array<number>(300);
   * for await (const result of endpoint.runMany(inputs(), { concurrency: 100 })) {
   *   if (!result.job) throw result.error; // not submitted, or its wait failed
   *   outputs[result.index] = result.job.output!;
   * }
   * assert.equal(outputs[299], 598);
   * assert.equal(emulator.countRequests("POST /run"), 300); // each job once
   * ```
   */
  runMany(
    requests: Iterable<RunRequest<I>> | AsyncIterable<RunRequest<I>>,
    options?: RunManyOptions<O>,
  ): AsyncGenerator<RunManyResult<O>, void, undefined> {
    const checked = checkMany<I, O>(`run many jobs on endpoint '${this.id}'`, requests, options);
    return this.#runMany(checked.requests, checked.opts);
  }

  /** runMany's engine, loaded on its first step (src/_run_many.ts). */
  async *#runMany(
    requests: Iterable<RunRequest<I>> | AsyncIterable<RunRequest<I>>,
    opts: RunManyOptions<O>,
  ): AsyncGenerator<RunManyResult<O>, void, undefined> {
    yield* (await import("./_run_many.ts")).runMany<I, O>(this.#t, this.id, requests, opts);
  }

  /**
   * Reads a job's status once (`GET /status/{id}`).
   *
   * @param jobId The job id.
   * @param options A timeout in ms, or call options.
   * @returns The job as it is now, with `output` once COMPLETED.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.run({ input: 1 });
   * const job = await endpoint.status(id, 5000);
   * assert.equal(job.id, id);
   * ```
   */
  status(jobId: string, options?: number | CallOptions): Promise<Job<O>> {
    return call(this.#t, JOB_ROUTES.status, { endpointId: this.id, jobId }, options) as Promise<
      Job<O>
    >;
  }

  /**
   * Waits for a job submitted with {@linkcode Endpoint.run} to end, polling
   * `/status`: pauses of 250 ms, then 1.5 times longer each time up to 3 s.
   *
   * @param jobId The job id.
   * @param options A timeout in ms, or options (`onStatus`, `cancelOnAbort`, ...).
   * @returns The job in its final state (a FAILED job resolves too).
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator({ worker: () => { throw new Error("no GPU") } });
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.run({ input: 1 });
   * const job = await endpoint.waitFor(id, 5000);
   * assert.equal(job.status, "FAILED");
   * ```
   */
  waitFor(jobId: string, options?: number | WaitOptions<O>): Promise<Job<O>> {
    return waitFor<O>(this.#t, this.id, jobId, options);
  }

  /**
   * The name runpod-sdk 1.x used for {@linkcode Endpoint.waitFor}.
   *
   * @deprecated Use {@linkcode Endpoint.waitFor}.
   *
   * @param jobId The job id.
   * @param options A timeout in ms, or options.
   * @returns The job in its final state.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.run({ input: 1 });
   * assert.equal((await endpoint.statusSync(id, 5000)).status, "COMPLETED");
   * ```
   */
  statusSync(jobId: string, options?: number | WaitOptions<O>): Promise<Job<O>> {
    return this.waitFor(jobId, options);
  }

  /**
   * Streams a job's partial results (`GET /stream/{id}`, polled): yields each
   * item exactly once, in order, and ends once the job is COMPLETED and
   * drained. A FAILED, CANCELLED or TIMED_OUT job makes it throw a
   * {@linkcode JobError} after every item received was yielded. The server
   * holds an empty poll; one that comes back empty at once is followed by an
   * abortable pause (250 ms, doubling after each such answer up to 3 s), never
   * a busy loop; leaving the loop early (`break`) sends no further request.
   *
   * A `/stream` answer lost in transit may have carried items that the server
   * has already drained: by default the generator then throws a
   * {@linkcode StreamGapError} rather than go on with a silent hole; pass
   * `allowGaps: true` to retry and go on.
   *
   * @param jobId The job id.
   * @param options A timeout in ms (none by default), or options.
   * @returns An async generator of stream items (`{ output, ... }`).
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator({
   *   worker: async function* () {
   *     for (let i = 1; i <= 3; i++) yield `photo ${i}`;
   *   },
   * });
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint<unknown, string>("test-endpoint");
   * const { id } = await endpoint.run({ input: {} });
   * const outputs = [];
   * for await (const item of endpoint.stream(id)) outputs.push(item.output);
   * assert.deepEqual(outputs, ["photo 1", "photo 2", "photo 3"]);
   * ```
   */
  async *stream(
    jobId: string,
    options?: number | StreamOptions,
  ): AsyncGenerator<StreamItem<O>, void, undefined> {
    // The engine loads on the first step (src/_stream.ts), before the call's timeout starts.
    yield* (await import("./_stream.ts")).stream<O>(this.#t, this.id, jobId, options);
  }

  /**
   * Cancels a job (`POST /cancel/{id}`), queued or running.
   *
   * @param jobId The job id.
   * @param options A timeout in ms, or call options.
   * @returns The job's id and status (`CANCELLED`).
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock, worker: ({ sleep }) => sleep(60_000) });
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.run({ input: {} });
   * assert.equal((await endpoint.cancel(id, 3000)).status, "CANCELLED");
   * ```
   */
  cancel(jobId: string, options?: number | CallOptions): Promise<JobHandle> {
    return call(this.#t, JOB_ROUTES.cancel, { endpointId: this.id, jobId }, options);
  }

  /**
   * Requeues a FAILED or TIMED_OUT job under the same id (`POST /retry/{id}`).
   *
   * Like {@linkcode Endpoint.run}, not resent after a server error or a lost
   * answer (the job may already run again, and a second retry would run it
   * twice): only a 429 is retried.
   *
   * @param jobId The job id.
   * @param options A timeout in ms, or call options.
   * @returns The job's id and status (`IN_QUEUE`).
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * let calls = 0;
   * await using emulator = createEmulator({
   *   worker: () => { if (calls++ === 0) throw new Error("flaky"); return "ok"; },
   * });
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const failed = await endpoint.runSync({ input: {} });
   * assert.equal(failed.status, "FAILED");
   * await endpoint.retry(failed.id);
   * assert.equal((await endpoint.waitFor(failed.id)).output, "ok");
   * ```
   */
  retry(jobId: string, options?: number | CallOptions): Promise<JobHandle> {
    return call(this.#t, JOB_ROUTES.retry, { endpointId: this.id, jobId }, options);
  }

  /**
   * Removes every queued job of the endpoint (`POST /purge-queue`); running
   * jobs are left alone.
   *
   * @param options A timeout in ms, or call options.
   * @returns How many jobs were removed.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { removed } = await endpoint.purgeQueue(3000);
   * assert.equal(typeof removed, "number");
   * ```
   */
  purgeQueue(options?: number | CallOptions): Promise<PurgeResult> {
    return call(this.#t, JOB_ROUTES.purgeQueue, { endpointId: this.id }, options);
  }

  /**
   * Reads the endpoint's job and worker counts (`GET /health`).
   *
   * @param options A timeout in ms, or call options.
   * @returns `{ jobs: { completed, failed, inProgress, inQueue, retried }, workers: { idle, running, ... } }`.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const health = await endpoint.health(3000);
   * assert.equal(health.jobs.inQueue, 0);
   * ```
   */
  health(options?: number | CallOptions): Promise<EndpointHealth> {
    return call(this.#t, JOB_ROUTES.health, { endpointId: this.id }, options);
  }
}
