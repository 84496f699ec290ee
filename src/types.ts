import type { Clock } from "./clock.ts";
import type { PacingOptions } from "./pacing.ts";

/**
 * A job's status as RunPod reports it. `RUNNING` is listed in RunPod's docs
 * but not seen in practice; any status the SDK does not know is kept as
 * given and treated as not terminal.
 *
 * @example Reading a job's status
 * ```ts
 * import runpodSdk, { isTerminalStatus, type JobStatus } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const status: JobStatus = (await endpoint.runSync({ input: "hi" })).status;
 * assert.equal(status, "COMPLETED");
 * const unknown: JobStatus = "PAUSED"; // a status the SDK does not know is kept, not final
 * assert.equal(isTerminalStatus(unknown), false);
 * ```
 */
export type JobStatus =
  | "IN_QUEUE"
  | "IN_PROGRESS"
  | "RUNNING"
  | "COMPLETED"
  | "FAILED"
  | "CANCELLED"
  | "TIMED_OUT"
  // deno-lint-ignore ban-types
  | (string & {});

/**
 * The statuses after which a job never changes again.
 *
 * @example Narrowing a status to a final one
 * ```ts
 * import { isTerminalStatus, type JobStatus, type TerminalStatus } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * function describe(status: JobStatus): string {
 *   if (!isTerminalStatus(status)) return "still going";
 *   const final: TerminalStatus = status; // narrowed by isTerminalStatus
 *   return `ended ${final}`;
 * }
 * assert.equal(describe("IN_PROGRESS"), "still going");
 * assert.equal(describe("TIMED_OUT"), "ended TIMED_OUT");
 * ```
 */
export type TerminalStatus = "COMPLETED" | "FAILED" | "CANCELLED" | "TIMED_OUT";

/**
 * Per-job execution policy sent with a request.
 *
 * @example Limiting how long a job may run
 * ```ts
 * import runpodSdk, { type JobPolicy } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({ clock, worker: ({ sleep }) => sleep(60_000) });
 * const { baseUrl, fetch } = emulator;
 * const endpoint = runpodSdk("test-key", { baseUrl, fetch, clock }).endpoint("test-endpoint");
 * const policy: JobPolicy = { executionTimeout: 10_000, ttl: 3_600_000 };
 * const job = await endpoint.runSync({ input: {}, policy });
 * assert.equal(job.status, "TIMED_OUT");
 * assert.equal(emulator.jobs[0]?.policy.ttl, 3_600_000);
 * ```
 */
export interface JobPolicy {
  /** Maximum execution time in ms (RunPod: default 600000, 5 s to 7 days). */
  executionTimeout?: number;
  /** When true, the job does not make the endpoint scale workers up. */
  lowPriority?: boolean;
  /** Time to live in ms (RunPod: default 86400000, 10 s to 7 days); the job is deleted when it expires. */
  ttl?: number;
}

/**
 * Where a worker may upload its results.
 *
 * @example Passing upload settings to the worker
 * ```ts
 * import runpodSdk, { type S3Config } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const s3Config: S3Config = {
 *   accessId: "access-id",
 *   accessSecret: "secret",
 *   bucketName: "results",
 *   endpointUrl: "https://s3.example.com",
 * };
 * const job = await endpoint.runSync({ input: { prompt: "a horse" }, s3Config });
 * assert.equal(job.status, "COMPLETED");
 * ```
 */
export interface S3Config {
  /** Access key id. */
  accessId: string;
  /** Secret access key. */
  accessSecret: string;
  /** Bucket name. */
  bucketName: string;
  /** The S3-compatible endpoint URL. */
  endpointUrl: string;
  /** Object path prefix (undocumented by RunPod). */
  objectPath?: string;
}

/**
 * The body of a `/run` or `/runsync` request.
 *
 * @example Typing a request
 * ```ts
 * import runpodSdk, { type RunRequest } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint<{ prompt: string }>("test-endpoint");
 * const request: RunRequest<{ prompt: string }> = {
 *   input: { prompt: "a horse" },
 *   policy: { executionTimeout: 60_000 },
 * };
 * const { id } = await endpoint.run(request);
 * assert.deepEqual(emulator.job(id)?.input, { prompt: "a horse" });
 * assert.equal(emulator.job(id)?.policy.executionTimeout, 60_000);
 * ```
 */
export interface RunRequest<I = unknown> {
  /** What the worker receives as `job.input`: any JSON value. */
  input: I;
  /** A URL that RunPod POSTs the finished job to. */
  webhook?: string;
  /** Execution policy. */
  policy?: JobPolicy;
  /** S3 upload settings. */
  s3Config?: S3Config;
}

/**
 * What `/run`, `/cancel` and `/retry` answer: a job's id and status.
 *
 * @example Keeping a job's id to wait for it later
 * ```ts
 * import runpodSdk, { type JobHandle } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const handle: JobHandle = await endpoint.run({ input: 1 });
 * assert.equal(handle.status, "IN_QUEUE");
 * const job = await endpoint.waitFor(handle.id);
 * assert.equal(job.id, handle.id);
 * assert.equal(job.status, "COMPLETED");
 * ```
 */
export interface JobHandle {
  /** The job id. */
  id: string;
  /** The job's status at the time of the answer. */
  status: JobStatus;
}

/**
 * A job as `/status` shows it.
 *
 * @example Reading a finished job
 * ```ts
 * import runpodSdk, { type Job } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator<number>({ worker: (job) => job.input * 2 });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint<number, number>("test-endpoint");
 * const job: Job<number> = await endpoint.runSync({ input: 21 });
 * assert.equal(job.status, "COMPLETED");
 * assert.equal(job.output, 42);
 * assert.equal(typeof job.executionTime, "number");
 * ```
 */
export interface Job<O = unknown> extends JobHandle {
  /** Milliseconds the job waited in the queue. */
  delayTime?: number;
  /** Milliseconds the job ran. */
  executionTime?: number;
  /** The worker's output (or its latest progress update while IN_PROGRESS). */
  output?: O;
  /** What a FAILED job reported; often a JSON string from a Python worker. */
  error?: unknown;
  /** The worker that ran the job. */
  workerId?: string;
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/**
 * One item of a job's stream.
 *
 * @example Collecting a job's stream items
 * ```ts
 * import runpodSdk, { type StreamItem } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({
 *   worker: async function* () {
 *     yield "first";
 *     yield "second";
 *   },
 * });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint<unknown, string>("test-endpoint");
 * const { id } = await endpoint.run({ input: {} });
 * const items: StreamItem<string>[] = [];
 * for await (const item of endpoint.stream(id)) items.push(item);
 * assert.deepEqual(items.map((item) => item.output), ["first", "second"]);
 * ```
 */
export interface StreamItem<O = unknown> {
  /** What the worker yielded. */
  output: O;
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/**
 * What `/stream` answers.
 *
 * @example Reading a raw `/stream` answer
 * ```ts
 * import type { StreamChunk } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({
 *   worker: async function* () {
 *     yield 1;
 *     yield 2;
 *   },
 * });
 * const url = `${emulator.baseUrl}/test-endpoint`;
 * const headers = { authorization: "Bearer test-key" };
 * const init = { method: "POST", headers, body: JSON.stringify({ input: {} }) };
 * const { id } = await (await emulator.fetch(`${url}/runsync`, init)).json();
 * const answer = await emulator.fetch(`${url}/stream/${id}`, { headers });
 * const chunk: StreamChunk<number> = await answer.json();
 * assert.equal(chunk.status, "COMPLETED");
 * assert.deepEqual(chunk.stream.map((item) => item.output), [1, 2]);
 * ```
 */
export interface StreamChunk<O = unknown> {
  /** The job's status when the poll was answered. */
  status: JobStatus;
  /** Items produced since the previous poll, oldest first. */
  stream: StreamItem<O>[];
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/**
 * What `/purge-queue` answers.
 *
 * @example Emptying the queue
 * ```ts
 * import runpodSdk, { type PurgeResult } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock({ autoAdvance: false });
 * await using emulator = createEmulator({ clock, worker: ({ sleep }) => sleep(60_000) });
 * const { baseUrl, fetch } = emulator;
 * const endpoint = runpodSdk("test-key", { baseUrl, fetch, clock }).endpoint("test-endpoint");
 * for (let i = 0; i < 3; i++) await endpoint.run({ input: i });
 * await clock.advance(0); // the emulator's one worker takes the first job
 * const result: PurgeResult = await endpoint.purgeQueue();
 * assert.equal(result.removed, 2); // the running job is left alone
 * assert.equal(result.status, "completed");
 * ```
 */
export interface PurgeResult {
  /** How many queued jobs were removed. */
  removed: number;
  /** `"completed"` when the purge ran. */
  status: string;
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/**
 * What `/health` answers.
 *
 * @example Reading job and worker counts
 * ```ts
 * import runpodSdk, { type EndpointHealth } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({ workers: 2 });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * await endpoint.runSync({ input: "hi" });
 * const health: EndpointHealth = await endpoint.health();
 * assert.equal(health.jobs.completed, 1);
 * assert.equal(health.workers.idle + health.workers.running, 2);
 * ```
 */
export interface EndpointHealth {
  /** Job counts. */
  jobs: {
    completed: number;
    failed: number;
    inProgress: number;
    inQueue: number;
    retried: number;
    [key: string]: number;
  };
  /** Worker counts. */
  workers: {
    idle: number;
    running: number;
    [key: string]: number;
  };
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/**
 * Options every {@linkcode Endpoint} method accepts.
 *
 * @example Failing fast instead of retrying
 * ```ts
 * import runpodSdk, { type CallOptions } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * emulator.inject("GET /health", { status: 503 });
 * const options: CallOptions = { timeout: 5_000, maxRetries: 0 };
 * await assert.rejects(endpoint.health(options), { name: "RunpodApiError", status: 503 });
 * assert.equal((await endpoint.health(options)).jobs.inQueue, 0);
 * ```
 */
export interface CallOptions {
  /**
   * The local timeout for the whole call in ms, retries, polling and waits
   * for a pacing turn included. On expiry the call rejects with a
   * {@linkcode TimeoutError}. The client's default (for single requests)
   * starts when the request is first sent instead, so that a burst of calls
   * waits its turn rather than time out.
   *
   * @default {30000} for single requests; none for `runSync`, `waitFor` and `stream`
   */
  timeout?: number | undefined;
  /**
   * Aborts the call: it rejects with `signal.reason`.
   *
   * @default {undefined}
   */
  signal?: AbortSignal | undefined;
  /**
   * How many times a retryable failure is retried (overrides the client's).
   *
   * @default {2}
   */
  maxRetries?: number | undefined;
}

/**
 * Options for {@linkcode Endpoint.runSync} and {@linkcode Endpoint.waitFor}.
 *
 * @example Cancelling a job nobody waits for any more
 * ```ts
 * import runpodSdk, { type WaitOptions } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({ clock, worker: ({ sleep }) => sleep(60_000) });
 * const { baseUrl, fetch } = emulator;
 * const endpoint = runpodSdk("test-key", { baseUrl, fetch, clock }).endpoint("test-endpoint");
 * const statuses: string[] = [];
 * const options: WaitOptions = {
 *   timeout: 5_000,
 *   cancelOnAbort: true,
 *   onStatus: (job) => statuses.push(job.status),
 * };
 * await assert.rejects(endpoint.runSync({ input: {} }, options), { name: "TimeoutError" });
 * assert.equal(statuses.at(-1), "IN_PROGRESS"); // the last status seen before the timeout
 * assert.equal(emulator.jobs[0]?.status, "CANCELLED");
 * ```
 */
export interface WaitOptions<O = unknown> extends CallOptions {
  /**
   * Called with the job each time its status (or its progress output) changes.
   *
   * @default {undefined}
   */
  onStatus?: ((job: Job<O>) => void) | undefined;
  /**
   * When true, a job still running when the call times out or is aborted is
   * cancelled with `/cancel`, so nobody pays for a result no one will read.
   *
   * @default {false}
   */
  cancelOnAbort?: boolean | undefined;
}

/**
 * Options for {@linkcode Endpoint.stream}.
 *
 * @example Cancelling a job when leaving its stream early
 * ```ts
 * import runpodSdk, { type StreamOptions } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({
 *   clock,
 *   worker: async function* ({ sleep }) {
 *     for (let i = 1;; i++) {
 *       await sleep(1_000);
 *       yield i;
 *     }
 *   },
 * });
 * const { baseUrl, fetch } = emulator;
 * const endpoint = runpodSdk("test-key", { baseUrl, fetch, clock })
 *   .endpoint<unknown, number>("test-endpoint");
 * const { id } = await endpoint.run({ input: {} });
 * const options: StreamOptions = { timeout: 60_000, cancelOnAbort: true };
 * for await (const item of endpoint.stream(id, options)) if (item.output === 3) break;
 * assert.equal(emulator.job(id)?.status, "CANCELLED");
 * ```
 */
export interface StreamOptions extends CallOptions {
  /**
   * When true, the stream carries on after a poll whose answer was lost (its
   * items, already drained on the server, are gone). When false, such a loss
   * makes the generator throw a {@linkcode StreamGapError}.
   *
   * @default {false}
   */
  allowGaps?: boolean | undefined;
  /**
   * When true, a job still running when the stream times out, is aborted or
   * is left early (`break`) is cancelled with `/cancel`.
   *
   * @default {false}
   */
  cancelOnAbort?: boolean | undefined;
}

/**
 * Options of {@linkcode runpodSdk}.
 *
 * @example Configuring a client
 * ```ts
 * import runpodSdk, { type ClientOptions } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const options: ClientOptions = {
 *   baseUrl: emulator.baseUrl,
 *   fetch: emulator.fetch,
 *   headers: { "x-request-source": "docs" },
 *   maxRetries: 1,
 *   timeout: 10_000,
 * };
 * await runpodSdk("test-key", options).endpoint("test-endpoint").health();
 * assert.equal(emulator.requests[0]?.headers["x-request-source"], "docs");
 * ```
 */
export interface ClientOptions {
  /**
   * The API's base URL, without the endpoint id. Plain `http://` is accepted
   * only for loopback hosts unless {@linkcode ClientOptions.allowInsecureHttp} is set.
   *
   * @default {"https://api.runpod.ai/v2"}
   */
  baseUrl?: string | undefined;
  /**
   * The management API's base URL (RunPod's REST v2). The same rules as
   * `baseUrl` apply.
   *
   * @default {"https://api.runpod.io/v2"}
   */
  restUrl?: string | undefined;
  /**
   * The URL of a load-balancing endpoint, with `{endpointId}` where its id
   * goes (see `RunpodSdk.loadBalancer`). The same rules as `baseUrl` apply.
   * The emulator served on a port answers at `http://127.0.0.1:PORT/lb/{endpointId}`.
   *
   * @default {"https://{endpointId}.api.runpod.ai"}
   */
  loadBalancerUrl?: string | undefined;
  /**
   * Allows a plain `http://` base URL on a host other than loopback (the API
   * key then travels in clear text).
   *
   * @default {false}
   */
  allowInsecureHttp?: boolean | undefined;
  /**
   * The `fetch` to send requests with; the emulator's `fetch` plugs in here.
   *
   * @default {globalThis.fetch}
   */
  fetch?: ((input: Request | URL | string, init?: RequestInit) => Promise<Response>) | undefined;
  /**
   * How many times a retryable failure is retried.
   *
   * @default {2}
   */
  maxRetries?: number | undefined;
  /**
   * The default local timeout of single-request calls, in ms, counted from
   * the request's first send (a wait for a pacing turn does not count).
   *
   * @default {30000}
   */
  timeout?: number | undefined;
  /**
   * Extra headers sent with every request. `Authorization` cannot be overridden.
   *
   * @default {{}}
   */
  headers?: Record<string, string> | undefined;
  /**
   * The clock the SDK waits on (backoff, polling, timeouts).
   *
   * @default {realClock}
   */
  clock?: Clock | undefined;
  /**
   * How requests are paced per endpoint and route (see {@linkcode PacingOptions}):
   * RunPod's documented limits by default, raised per route, or `false` to
   * send every request at once.
   *
   * @default {{}}
   */
  pacing?: PacingOptions | false | undefined;
}
