import { delay } from "./delay.ts";
import { JobError, RunpodApiError, RunpodError, StreamGapError } from "./errors.ts";
import { isTerminalStatus } from "./is_terminal_status.ts";
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
import { type RequestSpec, send, type Transport, transports } from "./_http.ts";
import { parseChunk, parseHandle, parseHealth, parseJob, parsePurge } from "./_parse.ts";
import type { RetryClass } from "./_retry.ts";
import { CallScope } from "./_scope.ts";
import type { RunManyOptions, RunManyResult } from "./run_many.ts";
import { checkMany, runMany } from "./_run_many.ts";
import { BatchJobs } from "./batches.ts";
import { callOptions, checkId, encodeRequest, PAYLOAD_LIMITS } from "./_validate.ts";

/** The first pause between two `/status` polls, in ms. */
const POLL_FIRST = 250;
/** The longest pause between two `/status` polls, in ms. */
const POLL_MAX = 3_000;
/** The longest server-side wait `runSync` asks `/runsync` for, in ms. */
const RUNSYNC_WAIT_MAX = 90_000;
/** The server-side waits RunPod accepts, in ms. */
const WAIT_MIN = 1_000;
const WAIT_MAX = 300_000;
/** The least time left after a server-side wait for its answer to arrive, in ms. */
const WAIT_MARGIN = 500;
/** An empty `/stream` answer faster than this was not held by the server. */
const STREAM_HELD = 250;
/** How long a best-effort `/cancel` after an abort may take, in ms. */
const CANCEL_TIMEOUT = 10_000;

/** A route's name in errors and the request log: its method and first path segment. */
type Route = `${"GET" | "POST"} /${string}`;
/** What a request adds to its route. */
type Extra =
  & Partial<Pick<RequestSpec, "body" | "query" | "serverWait" | "unknownOutcome" | "turnSignal">>
  & {
    jobId?: string;
  };

const LOST_JOB =
  "the job may or may not have been enqueued: check the endpoint (health() or your webhook) before sending it again, since a resent job may run and bill twice";
const LOST_RETRY =
  "the job may or may not have been requeued: check its status() before retrying it again, since a job retried twice runs and bills twice";

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
    this.id = checkId("endpoint", endpointId);
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
  async run(request: RunRequest<I>, options?: number | CallOptions): Promise<JobHandle> {
    const what = `run a job on endpoint '${this.id}'`;
    const opts = callOptions<CallOptions>(what, options);
    const body = encodeRequest(what, request, PAYLOAD_LIMITS.run);
    return await this.#request(what, opts, "POST /run", "/run", "refused", parseHandle, {
      body,
      unknownOutcome: LOST_JOB,
    });
  }

  /**
   * Submits a job and waits until it is COMPLETED, FAILED, CANCELLED or
   * TIMED_OUT. It asks `/runsync` to hold the answer (up to 90 s, less when the
   * timeout is nearer), so a job that finishes inside that window costs one
   * request; a longer job is then polled on `/status` with a backoff from
   * 250 ms up to 3 s. A FAILED job resolves (look at `status` and `error`).
   *
   * With `cancelOnAbort` and a `signal` (or a timeout under 1.5 s), the job is
   * submitted with `/run` instead, so its id is known from the start and it
   * can always be cancelled: a held `/runsync` cut short by an abort would
   * leave a job that nobody can name.
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
   * assert.equal(emulator.jobs[0].status, "CANCELLED");
   * ```
   */
  async runSync(request: RunRequest<I>, options?: number | WaitOptions<O>): Promise<Job<O>> {
    const what = `run a job on endpoint '${this.id}'`;
    const opts = callOptions<WaitOptions<O>>(what, options);
    const body = encodeRequest(what, request, PAYLOAD_LIMITS.runsync);
    const scope = this.#scope(what, opts, undefined);
    try {
      const remaining = scope.remaining();
      const wait = serverWait(remaining, RUNSYNC_WAIT_MAX);
      if (opts.cancelOnAbort && (opts.signal !== undefined || wait > remaining - WAIT_MARGIN)) {
        // An abort during a held /runsync would leave a job whose id is not yet
        // known, so it could not be cancelled: submit with /run instead.
        const handle = parseHandle(
          "POST /run",
          await this.#send(scope, opts, "POST /run", "/run", "refused", {
            body,
            unknownOutcome: LOST_JOB,
          }),
        ) as Job<O>;
        scope.jobId = handle.id;
        opts.onStatus?.(handle);
        return await this.#poll(handle.id, scope, opts, handle);
      }
      const job = parseJob<O>(
        "POST /runsync",
        await this.#send(scope, opts, "POST /runsync", "/runsync", "refused", {
          body,
          query: { wait: String(wait) },
          serverWait: wait,
          unknownOutcome: LOST_JOB,
        }),
      );
      scope.jobId = job.id;
      opts.onStatus?.(job);
      if (isTerminalStatus(job.status)) return job;
      return await this.#poll(job.id, scope, opts, job);
    } catch (error) {
      await this.#cancelAfterAbort(scope, opts);
      throw error;
    } finally {
      scope.dispose();
    }
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
    const what = `run many jobs on endpoint '${this.id}'`;
    const checked = checkMany<I, O>(what, requests, options);
    return runMany<I, O>(
      {
        submit: (request, turnSignal) => this.#submit(request, turnSignal, checked.opts.maxRetries),
        wait: (id, opts) => this.waitFor(id, opts),
      },
      checked.requests,
      checked.opts,
    );
  }

  /**
   * `run()` for runMany: `turnSignal` ends only its wait for a pacing turn
   * (a request on the wire always gets its answer, so its job can be named),
   * and no local timeout (the pacing wait is bounded by runMany's concurrency;
   * each attempt still has its own answer limit).
   */
  async #submit(
    request: RunRequest<I>,
    turnSignal: AbortSignal,
    maxRetries: number | undefined,
  ): Promise<JobHandle> {
    const what = `run a job on endpoint '${this.id}'`;
    const body = encodeRequest(what, request, PAYLOAD_LIMITS.run);
    const opts: CallOptions = maxRetries === undefined ? {} : { maxRetries };
    const scope = this.#scope(what, opts, undefined);
    try {
      const answer = await this.#send(scope, opts, "POST /run", "/run", "refused", {
        body,
        unknownOutcome: LOST_JOB,
        turnSignal,
      });
      return parseHandle("POST /run", answer);
    } finally {
      scope.dispose();
    }
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
  async status(jobId: string, options?: number | CallOptions): Promise<Job<O>> {
    const what = `read the status of job '${jobId}'`;
    const opts = callOptions<CallOptions>(what, options);
    const id = checkId("job", jobId);
    return await this.#request(
      what,
      opts,
      "GET /status",
      `/status/${id}`,
      "idempotent",
      parseJob<O>,
      {
        jobId: id,
      },
    );
  }

  /**
   * Waits for a job submitted with {@linkcode Endpoint.run} to end, polling
   * `/status` with a backoff from 250 ms up to 3 s.
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
  async waitFor(jobId: string, options?: number | WaitOptions<O>): Promise<Job<O>> {
    const what = `wait for job '${jobId}'`;
    const opts = callOptions<WaitOptions<O>>(what, options);
    const id = checkId("job", jobId);
    const scope = this.#scope(what, opts, undefined, id);
    try {
      return await this.#poll(id, scope, opts, undefined);
    } catch (error) {
      await this.#cancelAfterAbort(scope, opts);
      throw error;
    } finally {
      scope.dispose();
    }
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
   * {@linkcode JobError} after every item received was yielded. A poll that
   * comes back empty at once is followed by an abortable pause, never a busy
   * loop; leaving the loop early (`break`) sends no further request.
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
    const what = `stream job '${jobId}'`;
    const opts = callOptions<StreamOptions>(what, options);
    const id = checkId("job", jobId);
    const scope = this.#scope(what, opts, undefined, id);
    const route: Route = "GET /stream";
    let received = 0;
    let pause = POLL_FIRST;
    let ended = false;
    try {
      while (true) {
        const started = this.#t.clock.now();
        const remaining = scope.remaining();
        const wait = remaining === Infinity ? undefined : serverWait(remaining, WAIT_MAX);
        let answer: unknown;
        try {
          answer = await this.#send(
            scope,
            opts,
            route,
            `/stream/${id}`,
            opts.allowGaps ? "idempotent" : "refused",
            {
              query: wait === undefined ? undefined : { wait: String(wait) },
              serverWait: wait ?? 10_000,
            },
          );
        } catch (error) {
          scope.throwIfAborted();
          if (!opts.allowGaps && mayHaveLostItems(error)) {
            throw new StreamGapError(
              `A /stream answer for job '${id}' was lost after ${received} items (${
                (error as Error).message
              }); items it carried were drained on the server and cannot be read again: read the job's final output with status(), or pass allowGaps: true to go on past such gaps`,
              { route, jobId: id, received, cause: error },
            );
          }
          throw error;
        }
        const chunk = parseChunk<O>(route, answer, id);
        for (const item of chunk.stream) {
          received++;
          yield item;
        }
        if (isTerminalStatus(chunk.status)) {
          ended = true;
          if (chunk.status === "COMPLETED") return;
          const job = await this.#status(scope, opts, id).catch(() => undefined);
          throw new JobError({ jobId: id, status: chunk.status, error: job?.error, route });
        }
        if (chunk.stream.length > 0) {
          pause = POLL_FIRST;
        } else if (this.#t.clock.now() - started < STREAM_HELD) {
          await delay(pause, { signal: scope.signal, clock: this.#t.clock });
          pause = Math.min(pause * 2, POLL_MAX);
        }
      }
    } finally {
      if (!ended) await this.#cancelAfterAbort(scope, opts, true);
      scope.dispose();
    }
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
  async cancel(jobId: string, options?: number | CallOptions): Promise<JobHandle> {
    const what = `cancel job '${jobId}'`;
    const opts = callOptions<CallOptions>(what, options);
    const id = checkId("job", jobId);
    return await this.#request(
      what,
      opts,
      "POST /cancel",
      `/cancel/${id}`,
      "idempotent",
      parseHandle,
      {
        jobId: id,
      },
    );
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
  async retry(jobId: string, options?: number | CallOptions): Promise<JobHandle> {
    const what = `retry job '${jobId}'`;
    const opts = callOptions<CallOptions>(what, options);
    const id = checkId("job", jobId);
    return await this.#request(
      what,
      opts,
      "POST /retry",
      `/retry/${id}`,
      "refused",
      parseHandle,
      {
        jobId: id,
        unknownOutcome: LOST_RETRY,
      },
    );
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
  async purgeQueue(options?: number | CallOptions): Promise<PurgeResult> {
    const what = `purge the queue of endpoint '${this.id}'`;
    const opts = callOptions<CallOptions>(what, options);
    return await this.#request(
      what,
      opts,
      "POST /purge-queue",
      "/purge-queue",
      "idempotent",
      parsePurge,
    );
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
  async health(options?: number | CallOptions): Promise<EndpointHealth> {
    const what = `read the health of endpoint '${this.id}'`;
    const opts = callOptions<CallOptions>(what, options);
    return await this.#request(what, opts, "GET /health", "/health", "idempotent", parseHealth);
  }

  #scope(what: string, opts: CallOptions, fallback: number | undefined, jobId?: string): CallScope {
    // The client's default timeout starts with the first request sent, not
    // with a wait for a pacing turn; a timeout the caller gives covers both.
    const deferred = opts.timeout === undefined && fallback !== undefined;
    const scope = new CallScope(this.#t.clock, opts.timeout ?? fallback, opts.signal, (id) => {
      const job = id ?? jobId;
      return job && !what.includes(job) ? `${capitalize(what)} (job '${job}')` : capitalize(what);
    }, deferred);
    scope.jobId = jobId;
    return scope;
  }

  /** One call of a single-request route: a scope with the default timeout, a send, a parse. */
  async #request<T>(
    what: string,
    opts: CallOptions,
    route: Route,
    path: string,
    retry: RetryClass,
    parse: (route: string, value: unknown, jobId?: string) => T,
    extra: Extra = {},
  ): Promise<T> {
    const scope = this.#scope(what, opts, this.#t.timeout, extra.jobId);
    try {
      return parse(route, await this.#send(scope, opts, route, path, retry, extra), extra.jobId);
    } finally {
      scope.dispose();
    }
  }

  #send(
    scope: CallScope,
    opts: CallOptions,
    route: Route,
    path: string,
    retry: RetryClass,
    extra: Extra,
  ): Promise<unknown> {
    return send(this.#t, scope, {
      method: route.startsWith("GET") ? "GET" : "POST",
      path,
      route,
      retry,
      endpointId: this.id,
      maxRetries: opts.maxRetries ?? this.#t.maxRetries,
      body: extra.body,
      query: extra.query,
      serverWait: extra.serverWait,
      unknownOutcome: extra.unknownOutcome,
      turnSignal: extra.turnSignal,
    });
  }

  async #status(scope: CallScope, opts: CallOptions, id: string): Promise<Job<O>> {
    const answer = await this.#send(scope, opts, "GET /status", `/status/${id}`, "idempotent", {});
    return parseJob<O>("GET /status", answer, id);
  }

  async #poll(
    id: string,
    scope: CallScope,
    opts: WaitOptions<O>,
    last: Job<O> | undefined,
  ): Promise<Job<O>> {
    let pause = POLL_FIRST;
    let seen = last ? fingerprint(last) : undefined;
    if (last) {
      await delay(pause, { signal: scope.signal, clock: this.#t.clock });
      pause = nextPause(pause);
    }
    while (true) {
      const job = await this.#status(scope, opts, id);
      const print = fingerprint(job);
      if (print !== seen) {
        seen = print;
        opts.onStatus?.(job);
      }
      if (isTerminalStatus(job.status)) return job;
      await delay(pause, { signal: scope.signal, clock: this.#t.clock });
      pause = nextPause(pause);
    }
  }

  /** After a timeout or abort, cancels the job if asked to and it may still run. */
  async #cancelAfterAbort(
    scope: CallScope,
    opts: { cancelOnAbort?: boolean },
    early = false,
  ): Promise<void> {
    const id = scope.jobId;
    if (!opts.cancelOnAbort || id === undefined || (!scope.signal.aborted && !early)) return;
    const cancelScope = new CallScope(
      this.#t.clock,
      CANCEL_TIMEOUT,
      undefined,
      () => `Cancel job '${id}'`,
    );
    try {
      await this.#send(cancelScope, {}, "POST /cancel", `/cancel/${id}`, "idempotent", {});
    } catch {
      // Best effort: the caller's own error says what happened to the call.
    } finally {
      cancelScope.dispose();
    }
  }
}

function serverWait(remaining: number, max: number): number {
  if (remaining === Infinity) return max;
  // Leave a margin so the server answers (with the job id) before the local deadline.
  const margin = Math.max(WAIT_MARGIN, remaining * 0.1);
  return Math.round(Math.min(max, Math.max(WAIT_MIN, remaining - margin)));
}

function nextPause(pause: number): number {
  return Math.min(Math.round(pause * 1.5), POLL_MAX);
}

function fingerprint(job: Job<unknown>): string {
  let output: string;
  try {
    output = JSON.stringify(job.output) ?? "";
  } catch {
    output = String(job.output);
  }
  return `${job.status}\u0000${output}`;
}

/** A failed poll after which the server may have drained items: any but a 4xx other than 408. */
function mayHaveLostItems(error: unknown): boolean {
  if (error instanceof RunpodApiError) return error.status >= 500 || error.status === 408;
  // A lost or cut-off answer (RunpodConnectionError) or an unreadable one.
  return error instanceof RunpodError;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
