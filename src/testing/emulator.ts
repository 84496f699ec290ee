import { type Clock, realClock } from "../clock.ts";
import { RunpodSdk } from "../runpod_sdk.ts";
import type { ClientOptions } from "../types.ts";
import { RESULT_RETENTION, STREAM_HOLD, WORKER_PROTOCOL } from "../_runpod_facts.ts";
import type { JobPolicy, JobStatus, StreamItem } from "../types.ts";
import { answerWithFault } from "./_apply_faults.ts";
import { isDropped } from "./_drop.ts";
import { attachEndpoints, type EmulatorEndpoint, EndpointRegistry } from "./_endpoints.ts";
import { FaultQueue } from "./_faults.ts";
import { inProcessFetch } from "./_fetch.ts";
import { corsHeaders, errorAnswer } from "./_http.ts";
import { type JobRecord, JobTable } from "./_jobs.ts";
import { RateLimiter, type RateLimits } from "./_limits.ts";
import { type RecordedRequest, redactedHeaders, routeMatches } from "./_request_log.ts";
import { dispatch, type RouteFamily } from "./_routes/_dispatch.ts";
import { routeFamilies } from "./_routes/families.ts";
import { REST_PREFIX } from "./rest/_api.ts";
import type { RestEmulatorOptions } from "./rest/options.ts";
import type { EmulatorState } from "./_state.ts";
import { Timers } from "./_timers.ts";
import { type WebhookDelivery, WebhookSender } from "./_webhooks.ts";
import { WorkerPool } from "./_worker_pool.ts";
import type { Fault } from "./faults.ts";
import { echoWorker, type EmulatorWorker } from "./worker.ts";
import type { LoadBalancerEmulatorOptions } from "./load_balancer.ts";
import { LoadBalancers } from "./_routes/load_balancer/mod.ts";
import { checkKnownKeys, type KnownKeys, optionKeys } from "../_known_keys.ts";

export type { EmulatorEndpoint, RateLimits, RecordedRequest, WebhookDelivery };

/**
 * Options of {@linkcode createEmulator}.
 *
 * @typeParam I The input type the worker expects.
 *
 * @example Configuring an emulator
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type EmulatorOptions, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * const options: EmulatorOptions<{ n: number }> = {
 *   apiKey: "secret-key",
 *   endpoints: ["squares"],
 *   worker: (job) => job.input.n ** 2,
 *   queueDelay: 2_000,
 *   clock,
 * };
 * await using emulator = createEmulator(options);
 * const { baseUrl, fetch } = emulator;
 * const endpoint = runpodSdk("secret-key", { baseUrl, fetch, clock })
 *   .endpoint<{ n: number }, number>("squares");
 * const job = await endpoint.runSync({ input: { n: 7 } });
 * assert.equal(job.output, 49);
 * assert.equal(job.delayTime, 2_000);
 * ```
 */
export interface EmulatorOptions<I = unknown> {
  /**
   * The API key requests must carry as `Authorization: Bearer <apiKey>` or,
   * as RunPod also accepts, bare (401 otherwise).
   *
   * @default {"test-key"}
   */
  apiKey?: string;
  /**
   * The endpoints that exist, as ids or as objects shaped like the
   * management API's endpoints, `{ id, timeout?, workers?: { max? } }` (see
   * {@linkcode EmulatorEndpoint}); requests to any other answer 404.
   *
   * @default {["test-endpoint"]}
   */
  endpoints?: (string | EmulatorEndpoint)[];
  /**
   * The worker handler that runs each job (see {@linkcode EmulatorWorker}).
   *
   * @default {echoWorker}
   */
  worker?: EmulatorWorker<I>;
  /**
   * How many workers each endpoint has: how many jobs run at once (0: jobs
   * wait in the queue). An endpoint's `workers.max` overrides it.
   *
   * @default {1}
   */
  workers?: number;
  /**
   * How long (ms, on the clock) a job waits in the queue before a free worker
   * may pick it up.
   *
   * @default {0}
   */
  queueDelay?: number;
  /**
   * The clock that job times, holds, timeouts, expiry and webhook retries run on.
   *
   * @default {realClock}
   */
  clock?: Clock;
  /**
   * How long (ms) a finished job's result is kept, after `/run` and after
   * `/runsync`; `/status` answers 404 afterwards.
   *
   * @default {{ run: 1800000, runsync: 60000 }}
   */
  resultTtl?: { run?: number; runsync?: number };
  /**
   * How long (ms) an empty `/stream` poll without `wait` is held open.
   *
   * @default {10000}
   */
  streamHold?: number;
  /**
   * How webhooks are delivered.
   *
   * @default {globalThis.fetch}
   */
  webhookFetch?: typeof fetch;
  /**
   * Whether a generator worker's yields also become the job's final
   * `output` (the array of every item), as RunPod does for a worker started
   * with `return_aggregate_stream: True`. By default, as on RunPod, they are
   * readable on `/stream` only and the final `output` is an empty array.
   *
   * @default {false}
   */
  returnAggregateStream?: boolean;
  /**
   * RunPod's rate limits per endpoint and route (`/run` 1,000 requests per
   * 10 s and 200 at once, `/status` 2,000 and 400, ...): a request over the
   * limit answers 429. `false` lifts them; an object changes some routes'
   * limits (see {@linkcode RateLimits}).
   *
   * @default {true}
   */
  rateLimits?: RateLimits;
  /**
   * Whether `/run` and `/runsync` answer 429 when an endpoint's queue is
   * deep, as RunPod's do: more than 50 jobs queued and more than 500 per
   * worker.
   *
   * @default {true}
   */
  deepQueue?: boolean;
  /**
   * The key worker processes of external endpoints must send (bare, as
   * runpod-python sends `RUNPOD_AI_API_KEY`) on the worker protocol's
   * routes; {@linkcode Emulator.workerEnv} hands it out. The API key is not
   * accepted there, nor this key on the job API.
   *
   * @default {"test-worker-key"}
   */
  workerKey?: string;
  /**
   * The management API served at {@linkcode Emulator.restUrl}: its rate
   * limit and seeded catalog (see {@linkcode RestEmulatorOptions}).
   *
   * @default {{ requestsPerMinute: 60, catalog: true }}
   */
  rest?: RestEmulatorOptions;
  /**
   * What serves the load-balancing endpoints (`type: "LOAD_BALANCER"`): a
   * handler in process or a worker's URL, and the timings of a cold start
   * (see {@linkcode LoadBalancerEmulatorOptions}).
   *
   * @default {{ handler: echoServer }}
   */
  loadBalancer?: LoadBalancerEmulatorOptions;
}

/**
 * Options of {@linkcode Emulator.workerEnv}.
 *
 * @example Pointing a worker at a served emulator
 * ```ts
 * import { createEmulator, type WorkerEnvOptions } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({ endpoints: [{ id: "my-ep", external: true }] });
 * const options: WorkerEnvOptions = { baseUrl: "http://127.0.0.1:8123/v2", workerId: "gpu-1" };
 * const env = emulator.workerEnv("my-ep", options);
 * assert.equal(env.RUNPOD_WEBHOOK_GET_JOB, "http://127.0.0.1:8123/v2/my-ep/job-take/$ID?gpu=emulated");
 * assert.equal(env.RUNPOD_POD_ID, "gpu-1");
 * ```
 */
export interface WorkerEnvOptions {
  /**
   * Where the worker reaches the emulator: the job API's base URL, as a
   * client's `baseUrl`, such as `http://127.0.0.1:8123/v2` when served.
   *
   * @default {Emulator.baseUrl}
   */
  baseUrl?: string;
  /**
   * The worker's id (`RUNPOD_POD_ID`): letters, digits, `.`, `_` and `-`.
   *
   * @default {a new one at each call: "worker-1", "worker-2"...}
   */
  workerId?: string;
}

/**
 * The environment of a worker process serving an external endpoint, as
 * {@linkcode Emulator.workerEnv} makes it (the variables RunPod sets in a
 * worker's container; see the worker protocol in `docs/emulator.md`).
 *
 * @example Listing a worker's variables
 * ```ts
 * import { createEmulator, type WorkerEnv } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({ endpoints: [{ id: "my-ep", external: true }] });
 * const env: WorkerEnv = emulator.workerEnv("my-ep", { workerId: "w1" });
 * assert.equal(
 *   env.RUNPOD_WEBHOOK_POST_OUTPUT,
 *   "https://api.runpod.ai/v2/my-ep/job-done/$RUNPOD_POD_ID/$ID?gpu=emulated",
 * );
 * assert.equal(env.RUNPOD_AI_API_KEY, "test-worker-key");
 * assert.equal(env.RUNPOD_PING_INTERVAL, "10000");
 * ```
 */
export interface WorkerEnv {
  /** The take URL template: `$ID` is the worker id; the worker appends `&job_in_progress=0|1`. */
  RUNPOD_WEBHOOK_GET_JOB: string;
  /** The result URL template: `$RUNPOD_POD_ID` the worker id, `$ID` the job id; `&isStream=` appended. */
  RUNPOD_WEBHOOK_POST_OUTPUT: string;
  /** The stream item URL template, with the same substitutions. */
  RUNPOD_WEBHOOK_POST_STREAM: string;
  /** The heartbeat URL template: `$RUNPOD_POD_ID` the worker id. */
  RUNPOD_WEBHOOK_PING: string;
  /** The worker id. */
  RUNPOD_POD_ID: string;
  /** The worker's key, sent bare as `Authorization` (the emulator's `workerKey`). */
  RUNPOD_AI_API_KEY: string;
  /** The endpoint id. */
  RUNPOD_ENDPOINT_ID: string;
  /** The heartbeat interval in ms (runpod-python's default, 10000). */
  RUNPOD_PING_INTERVAL: string;
  /** Any other variable a worker is given. */
  [name: string]: string;
}

/**
 * A job in the emulator's job table, as {@linkcode Emulator.jobs} shows it.
 *
 * @example Inspecting a job in the emulator
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type EmulatorJob } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const { id } = await endpoint.runSync({ input: "hi" });
 * const job: EmulatorJob | undefined = emulator.job(id);
 * assert.equal(job?.mode, "runsync");
 * assert.equal(job?.status, "COMPLETED");
 * assert.equal(job?.policy.executionTimeout, 600_000); // RunPod's default, filled in
 * ```
 */
export interface EmulatorJob {
  /** The job id. */
  readonly id: string;
  /** The endpoint the job was sent to. */
  readonly endpointId: string;
  /** Which route created it. */
  readonly mode: "run" | "runsync";
  /** Its status. */
  readonly status: JobStatus;
  /** The request's `input`. */
  readonly input: unknown;
  /** The output (or the latest progress update while IN_PROGRESS). */
  readonly output?: unknown;
  /** The error of a FAILED job. */
  readonly error?: unknown;
  /** Every stream item the worker produced in its latest run, drained or not. */
  readonly stream: readonly StreamItem[];
  /** How many stream items no `/stream` poll has taken yet. */
  readonly undrained: number;
  /** The webhook URL, if any. */
  readonly webhook?: string | undefined;
  /** The policy in force (defaults filled in). */
  readonly policy: JobPolicy;
  /** The clock time of creation, in ms. */
  readonly createdAt: number;
  /** The clock time the latest run started, in ms. */
  readonly startedAt?: number | undefined;
  /** The clock time the job reached its terminal status, in ms. */
  readonly completedAt?: number | undefined;
  /** Milliseconds queued before the latest run. */
  readonly delayTime?: number | undefined;
  /** Milliseconds the latest run took. */
  readonly executionTime?: number | undefined;
  /** The worker that ran it. */
  readonly workerId?: string | undefined;
  /** How many times it was retried. */
  readonly retries: number;
  /**
   * The worker process that ended it asked to be replaced afterwards
   * (`"stopPod": true` in its result, runpod-python's `refresh_worker`).
   */
  readonly stopPod?: boolean | undefined;
  /**
   * Why the job is gone (`/status` answers 404): purged, results expired,
   * `policy.ttl` (or `/status?ttl=`), or its endpoint deleted.
   */
  readonly removed?: "purged" | "expired" | "ttl" | "deleted" | undefined;
}

/**
 * A local RunPod serverless API: every route of `/v2/{endpointId}/…`, jobs
 * run by a worker function, on a clock that tests can fake, with fault
 * injection and a request log. Make one with {@linkcode createEmulator}.
 *
 * Use it without a network by passing {@linkcode Emulator.fetch} as a
 * client's `fetch`, or serve {@linkcode Emulator.handler} on a loopback port.
 *
 * @example Running a job through the emulator
 * ```ts
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({
 *   clock,
 *   worker: async (job) => {
 *     await job.sleep(60_000); // a minute on the fake clock, no real time
 *     return { doubled: (job.input as number) * 2 };
 *   },
 * });
 * const headers = { authorization: "Bearer test-key" };
 * const url = `${emulator.baseUrl}/test-endpoint`;
 * const run = await emulator.fetch(`${url}/run`, {
 *   method: "POST",
 *   headers,
 *   body: JSON.stringify({ input: 21 }),
 * });
 * const { id } = await run.json();
 * const done = await emulator.fetch(`${url}/runsync?wait=1000`, {
 *   method: "POST",
 *   headers,
 *   body: JSON.stringify({ input: 1 }),
 * });
 * assert.equal((await done.json()).status, "IN_QUEUE"); // the one worker is busy
 * const status = await (await emulator.fetch(`${url}/status/${id}`, { headers })).json();
 * assert.equal(status.status, "IN_PROGRESS");
 * assert.equal(emulator.countRequests("POST /run"), 1);
 * ```
 *
 * @typeParam I The input type the worker expects.
 */
export class Emulator<I = unknown> {
  /** The base URL to give a client in fetch mode (any origin is accepted). */
  readonly baseUrl: string = "https://api.runpod.ai/v2";
  /**
   * The base URL of the management API (REST v2) to give a client in fetch
   * mode. The emulator serves it on the same origin as the job API, under the
   * path prefix `/rest/v2` (served on a port: `http://127.0.0.1:PORT/rest/v2`),
   * so that one handler answers both APIs. An endpoint created there is live
   * on the job API at once.
   *
   * @example Creating an endpoint, then running a job on it
   * ```ts
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock });
   * const headers = { authorization: "Bearer test-key", "content-type": "application/json" };
   * const created = await emulator.fetch(`${emulator.restUrl}/serverless`, {
   *   method: "POST",
   *   headers,
   *   body: JSON.stringify({
   *     name: "sdxl",
   *     type: "QUEUE",
   *     image: "my-org/sdxl-worker:1.0",
   *     gpu: { pools: ["ADA_24"] },
   *     scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
   *   }),
   * });
   * assert.equal(created.status, 201);
   * const endpoint = await created.json();
   * assert.deepEqual(endpoint.workers, { min: 0, max: 3, idleTimeout: 10 });
   * const job = await emulator.fetch(endpoint.requestUrls.runSync, {
   *   method: "POST",
   *   headers,
   *   body: JSON.stringify({ input: "hello" }),
   * });
   * assert.equal((await job.json()).status, "COMPLETED");
   * ```
   */
  readonly restUrl: string = `https://api.runpod.ai${REST_PREFIX}`;

  /**
   * The URL of a load-balancing endpoint, `{endpointId}` where its id goes,
   * to give a client in fetch mode as `loadBalancerUrl` (RunPod's own, the
   * client's default: `emulator.fetch` routes it). Served on a port, the
   * emulator answers at `http://127.0.0.1:PORT/lb/{endpointId}` too.
   *
   * @example Calling a load-balancing endpoint's worker
   * ```ts
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator({ endpoints: [{ id: "llm", type: "LOAD_BALANCER" }] });
   * const url = emulator.loadBalancerUrl.replace("{endpointId}", "llm");
   * assert.equal(url, "https://llm.api.runpod.ai");
   * const answer = await emulator.fetch(`${url}/generate`, {
   *   method: "POST",
   *   headers: { authorization: "Bearer test-key" },
   *   body: JSON.stringify({ prompt: "Hi" }),
   * });
   * assert.deepEqual((await answer.json()).body, { prompt: "Hi" }); // the default worker echoes
   * ```
   */
  readonly loadBalancerUrl: string = "https://{endpointId}.api.runpod.ai";

  #apiKey: string;
  #clock: Clock;
  #timers: Timers;
  #table: JobTable;
  #webhooks: WebhookSender;
  #faults = new FaultQueue();
  #log: RecordedRequest[] = [];
  /** The route families, in the order they claim requests (see `_routes/_dispatch.ts`). */
  #families: RouteFamily[];
  #inFlight = new Set<Promise<unknown>>();
  #closer = new AbortController();
  #closing: Promise<void> | undefined;
  #registry: EndpointRegistry;
  #workerKey: string;
  #workerIds = 0;
  #loadBalancers: LoadBalancers;

  /**
   * Makes an emulator; {@linkcode createEmulator} does the same.
   *
   * @param options The API key, endpoints, worker, clock and timings.
   */
  constructor(options: EmulatorOptions<I> = {}) {
    checkEmulatorOptions(options);
    const {
      apiKey = "test-key",
      endpoints = ["test-endpoint"],
      worker = echoWorker as EmulatorWorker<I>,
      workers = 1,
      queueDelay = 0,
      clock = realClock,
      resultTtl = {},
      streamHold = STREAM_HOLD,
      webhookFetch = (input, init) => globalThis.fetch(input, init),
      returnAggregateStream = false,
      rateLimits = true,
      deepQueue = true,
      workerKey = "test-worker-key",
    } = options;
    if (typeof workerKey !== "string" || workerKey === "") {
      throw new TypeError("Cannot create emulator: workerKey must be a non-empty string");
    }
    this.#workerKey = workerKey;
    if (!Number.isInteger(workers) || workers < 0) {
      throw new RangeError(
        `Cannot create emulator: workers must be a non-negative integer, received ${workers}`,
      );
    }
    for (const [name, value] of [["queueDelay", queueDelay], ["streamHold", streamHold]] as const) {
      if (!(Number.isFinite(value) && value >= 0)) {
        throw new RangeError(
          `Cannot create emulator: ${name} must be a non-negative number, received ${value}`,
        );
      }
    }
    if (!Array.isArray(endpoints)) {
      throw new TypeError(
        "Cannot create emulator: endpoints must be an array of endpoint ids or { id, timeout?, workers? }",
      );
    }
    const registry = new EndpointRegistry(workers);
    this.#apiKey = apiKey;
    this.#clock = clock;
    const workerPool = new WorkerPool(clock);
    this.#timers = new Timers(clock);
    const loadBalancers = new LoadBalancers(this.#timers, () => clock.now(), options.loadBalancer);
    for (const endpoint of endpoints) {
      const id = typeof endpoint === "object" && endpoint !== null ? endpoint.id : endpoint;
      if (registry.has(id) || loadBalancers.has(id)) {
        throw new TypeError(`Cannot add endpoint '${id}': an endpoint with this id exists`);
      }
      if (typeof endpoint === "object" && endpoint?.type === "LOAD_BALANCER") {
        loadBalancers.add(endpoint);
      } else registry.add(endpoint);
    }
    attachEndpoints(this, registry);
    this.#registry = registry;
    this.#loadBalancers = loadBalancers;
    this.#webhooks = new WebhookSender(webhookFetch, this.#timers, () => clock.now());
    this.#table = new JobTable({
      clock,
      timers: this.#timers,
      worker: worker as EmulatorWorker,
      endpoints: registry,
      queueDelay,
      returnAggregateStream,
      resultTtl: {
        run: resultTtl.run ?? RESULT_RETENTION.run,
        runsync: resultTtl.runsync ?? RESULT_RETENTION.runsync,
      },
      onEnd: (job) => this.#sendWebhook(job),
      onStop: (job, workerId) => workerPool.stop(job.endpointId, workerId, job.id),
    });
    const state: EmulatorState = {
      apiKey,
      endpoints: registry,
      table: this.#table,
      clock,
      timers: this.#timers,
      streamHold,
      limits: new RateLimiter(rateLimits, clock),
      deepQueue,
      workerKey,
      workers: workerPool,
      rest: options.rest ?? {},
      loadBalancers,
    };
    this.#families = routeFamilies.map((family) => family(state));
  }

  /**
   * Answers a request as the RunPod API would, without any network: pass it
   * as a client's `fetch`. Like `fetch`, it rejects with the signal's reason
   * when the request is aborted, with a `TypeError` when an injected fault
   * drops the connection, and follows redirects (unless `redirect` says otherwise).
   *
   * @param input The URL or request; any origin, path `/v2/{endpointId}/…`.
   * @param init The request options.
   * @returns The answer.
   */
  readonly fetch: (input: Request | URL | string, init?: RequestInit) => Promise<Response> =
    inProcessFetch((request) =>
      this.#track(this.#handle(request, { served: false, watchSignal: true }))
    );

  /**
   * Answers a request as the RunPod API would: a handler for `Deno.serve`,
   * `Bun.serve`, a Worker's `fetch`, or `serveNode` of `@runpod/sdk/testing/node`. A dropped connection is
   * an answer whose body fails before its first byte (the server then resets
   * the connection after sending the head).
   *
   * A client that goes away ends a held `/runsync` or `/stream` poll through
   * `request.signal`, except under `Deno.serve` (recognized by the `info` it
   * passes): Deno 2 aborts that signal after every answer and warns when it
   * is read, so there a held poll runs to its end (the job ending or its wait).
   *
   * @param request The request; any origin, path `/v2/{endpointId}/…`.
   * @param info The second argument some servers pass (`Deno.serve`'s `ServeHandlerInfo`).
   * @returns The answer.
   */
  readonly handler = (request: Request, info?: unknown): Promise<Response> =>
    this.#track(this.#handle(request, { served: true, watchSignal: !isDenoServeInfo(info) }));

  /**
   * A client wired to this emulator: its API key, `baseUrl`, `restUrl`,
   * `loadBalancerUrl` and `fetch` (no network), and its clock, so that none of them can be
   * forgotten. (`baseUrl` alone sends management calls to the job API, and
   * without `fetch` calls go to RunPod itself.) Served over HTTP instead,
   * give `runpodSdk` the server's `/v2` and `/rest/v2` URLs.
   *
   * @param options Any other client option (`timeout`, `maxRetries`,
   *   `pacing`, `headers`, or another `clock`).
   * @returns A client of this emulator.
   *
   * @example Testing code that runs jobs and manages endpoints
   * ```ts
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({
   *   clock,
   *   worker: async (job) => {
   *     await job.sleep(60_000); // a minute on the fake clock, no real time
   *     return { caption: `a picture of ${job.input}` };
   *   },
   * });
   * const runpod = emulator.client(); // the emulator's key, URLs, fetch and clock
   * const job = await runpod.endpoint("test-endpoint").runSync({ input: "a horse" });
   * assert.deepEqual(job.output, { caption: "a picture of a horse" });
   * const endpoints = await runpod.endpoints.list();
   * assert.deepEqual(endpoints.map((endpoint) => endpoint.id), ["test-endpoint"]);
   * ```
   */
  client(
    options: Omit<ClientOptions, "baseUrl" | "restUrl" | "loadBalancerUrl" | "fetch"> = {},
  ): RunpodSdk {
    for (const name of ["baseUrl", "restUrl", "loadBalancerUrl", "fetch", "allowInsecureHttp"]) {
      if (typeof options === "object" && options !== null && name in options) {
        throw new TypeError(
          `Cannot make the emulator's client: it sets ${name} itself; to point a client elsewhere, use runpodSdk()`,
        );
      }
    }
    return new RunpodSdk(this.#apiKey, {
      clock: this.#clock,
      ...options,
      baseUrl: this.baseUrl,
      restUrl: this.restUrl,
      loadBalancerUrl: this.loadBalancerUrl,
      fetch: this.fetch,
    });
  }

  /** Every request received so far, oldest first (copies). */
  get requests(): RecordedRequest[] {
    return this.#log.map((entry) => ({ ...entry, headers: { ...entry.headers } }));
  }

  /** Every job created so far, oldest first, removed ones included (snapshots). */
  get jobs(): EmulatorJob[] {
    return this.#table.all().map((job) => this.#snapshot(job));
  }

  /** Every webhook delivery attempt so far, oldest first (copies). */
  get webhooks(): WebhookDelivery[] {
    return this.#webhooks.log.map((delivery) => ({ ...delivery }));
  }

  /**
   * A snapshot of one job, removed or not.
   *
   * @param id The job id.
   * @returns The job, or `undefined` when no such job was ever created.
   */
  job(id: string): EmulatorJob | undefined {
    const job = this.#table.find(id);
    return job && this.#snapshot(job);
  }

  /**
   * Counts the requests received for a route.
   *
   * @param route A route such as `"POST /run"`, a path such as `"/status"`
   * (any method), or `"*"`.
   * @returns How many such requests arrived.
   */
  countRequests(route = "*"): number {
    return this.#log.filter((entry) => routeMatches(route, entry.route)).length;
  }

  /**
   * Makes the next `times` requests to `route` fail with `fault` (faults
   * apply in the order injected). The route is matched as in
   * {@linkcode Emulator.countRequests}; preflight `OPTIONS` requests are never faulted.
   * The worker protocol's routes can be faulted too, such as `"POST /job-done"`
   * or `"GET /job-take"`, to test how a worker process copes.
   *
   * @param route A route such as `"POST /run"` or `"GET /stream"`, a path such as `"/status"`, or `"*"`.
   * @param fault The fault (see {@linkcode Fault}).
   * @param times How many requests it applies to.
   */
  inject(route: string, fault: Fault, times = 1): void {
    this.#faults.inject(route, fault, times);
  }

  /**
   * The `RUNPOD_*` environment variables that point a worker process at an
   * external endpoint (`endpoints: [{ id, external: true }]`), as RunPod sets
   * them in a worker's container: the URL templates of the worker protocol
   * (`$ID` and `$RUNPOD_POD_ID` left for the worker to replace, a query
   * string already there so that it appends `&name=value`), the worker id,
   * its key, the endpoint id and the heartbeat interval. runpod-python's
   * `serverless.start` and `@runpod/sdk/worker`'s `start` read them.
   *
   * @param id The endpoint id.
   * @param options `baseUrl`: where the worker reaches the emulator, as a
   * client's `baseUrl` (`http://127.0.0.1:8123/v2` when served; by default
   * {@linkcode Emulator.baseUrl}, for a worker whose `fetch` is
   * {@linkcode Emulator.fetch}). `workerId`: the worker's id
   * (`RUNPOD_POD_ID`), letters, digits, `.`, `_` and `-`; by default a new
   * one at each call (`worker-1`, `worker-2`...).
   * @returns The variables, to give the worker as its environment.
   * @throws {TypeError} When the endpoint does not exist or is not external,
   * or an option is invalid.
   *
   * @example Taking a job and posting its result over the worker protocol
   * ```ts
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock, endpoints: [{ id: "my-ep", external: true }] });
   * const env = emulator.workerEnv("my-ep", { workerId: "w1" });
   * const auth = { authorization: env.RUNPOD_AI_API_KEY };
   * const api = { authorization: "Bearer test-key" };
   * const run = await emulator.fetch(`${emulator.baseUrl}/my-ep/run`, {
   *   method: "POST",
   *   headers: api,
   *   body: JSON.stringify({ input: { n: 2 } }),
   * });
   * const { id } = await run.json();
   * // What a worker does: take a job, then post its output.
   * const take = env.RUNPOD_WEBHOOK_GET_JOB.replace("$ID", env.RUNPOD_POD_ID);
   * const job = await (await emulator.fetch(`${take}&job_in_progress=0`, { headers: auth })).json();
   * assert.deepEqual([job.id, job.input], [id, { n: 2 }]);
   * const done = env.RUNPOD_WEBHOOK_POST_OUTPUT.replace("$RUNPOD_POD_ID", env.RUNPOD_POD_ID)
   *   .replace("$ID", job.id);
   * const posted = await emulator.fetch(`${done}&isStream=false`, {
   *   method: "POST",
   *   headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
   *   body: JSON.stringify({ output: job.input.n * 2 }),
   * });
   * assert.equal(posted.status, 200);
   * await posted.body?.cancel();
   * const status = await (await emulator.fetch(`${emulator.baseUrl}/my-ep/status/${id}`, {
   *   headers: api,
   * })).json();
   * assert.equal(status.status, "COMPLETED");
   * assert.equal(status.output, 4);
   * assert.equal(status.workerId, "w1");
   * ```
   */
  workerEnv(id: string, options: WorkerEnvOptions = {}): WorkerEnv {
    const what = "Cannot make a worker's variables";
    const endpoint = this.#registry.get(id);
    if (!endpoint) throw new TypeError(`${what}: endpoint '${id}' does not exist`);
    if (!endpoint.external) {
      throw new TypeError(
        `${what}: endpoint '${id}' runs its jobs in the emulator; give it as { id: "${id}", external: true }`,
      );
    }
    const { baseUrl = this.baseUrl, workerId = `worker-${++this.#workerIds}` } = options;
    if (typeof baseUrl !== "string" || !URL.canParse(baseUrl)) {
      throw new TypeError(
        `${what}: baseUrl must be an absolute URL such as "http://127.0.0.1:8123/v2", received ${
          JSON.stringify(baseUrl)
        }`,
      );
    }
    if (typeof workerId !== "string" || !/^[A-Za-z0-9._-]+$/.test(workerId)) {
      throw new TypeError(
        `${what}: workerId must be letters, digits, '.', '_' or '-', received ${
          JSON.stringify(workerId)
        }`,
      );
    }
    const base = `${baseUrl.replace(/\/+$/, "")}/${encodeURIComponent(id)}`;
    const query = "?gpu=emulated";
    return {
      RUNPOD_WEBHOOK_GET_JOB: `${base}/job-take/$ID${query}`,
      RUNPOD_WEBHOOK_POST_OUTPUT: `${base}/job-done/$RUNPOD_POD_ID/$ID${query}`,
      RUNPOD_WEBHOOK_POST_STREAM: `${base}/job-stream/$RUNPOD_POD_ID/$ID${query}`,
      RUNPOD_WEBHOOK_PING: `${base}/ping/$RUNPOD_POD_ID${query}`,
      RUNPOD_POD_ID: workerId,
      RUNPOD_AI_API_KEY: this.#workerKey,
      RUNPOD_ENDPOINT_ID: id,
      RUNPOD_PING_INTERVAL: String(WORKER_PROTOCOL.pingInterval),
    };
  }

  /** Drops every injected fault not applied yet. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /**
   * Shuts the emulator down: cancels the running jobs (their signals abort),
   * answers held requests, clears every timer, aborts webhook deliveries and
   * waits for the workers to return. Requests afterwards answer 503.
   *
   * @returns A promise that resolves once everything has stopped.
   */
  close(): Promise<void> {
    return this.#closing ??= this.#close();
  }

  /** Same as {@linkcode Emulator.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    this.#closer.abort(new DOMException("The emulator closed", "AbortError"));
    this.#loadBalancers.close();
    await this.#table.close();
    this.#timers.clear();
    await this.#webhooks.close();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#timers.clear();
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    promise.then(() => this.#inFlight.delete(promise), () => this.#inFlight.delete(promise));
    return promise;
  }

  async #handle(request: Request, mode: HandleMode): Promise<Response> {
    const url = new URL(request.url);
    const match = dispatch(this.#families, request, url);
    const entry: RecordedRequest = {
      method: request.method,
      path: url.pathname + url.search,
      route: match.route,
      headers: redactedHeaders(request.headers),
      at: this.#clock.now(),
    };
    if (match.endpointId !== undefined) entry.endpointId = match.endpointId;
    if (match.jobId !== undefined) entry.jobId = match.jobId;
    this.#log.push(entry);
    let response: Response;
    try {
      if (request.method === "OPTIONS") response = new Response(null, { status: 204 });
      else if (this.#closer.signal.aborted) {
        response = errorAnswer(503, "The emulator is closed");
      } else {
        const signal = mode.watchSignal
          ? AbortSignal.any([request.signal, this.#closer.signal])
          : this.#closer.signal;
        const call = { request, url, signal, setJobId: (id: string) => (entry.jobId = id) };
        response = await answerWithFault(
          this.#faults,
          this.#clock,
          request,
          entry,
          mode,
          signal,
          () => match.answer(call),
        );
      }
    } catch (error) {
      response = errorAnswer(
        500,
        `Emulator error: ${error instanceof Error ? error.message : error}`,
      );
    }
    entry.status = isDropped(response) ? 0 : response.status;
    for (const [name, value] of Object.entries(corsHeaders())) response.headers.set(name, value);
    // A preflight may ask for more headers (the openai package sends x-stainless-*): allow them.
    const asked = request.headers.get("access-control-request-headers");
    if (request.method === "OPTIONS" && asked) {
      response.headers.set("access-control-allow-headers", asked);
    }
    return response;
  }

  #sendWebhook(job: JobRecord): void {
    if (job.webhook === undefined) return;
    const view = this.#table.view(job);
    this.#webhooks.send(job.webhook, {
      id: job.id,
      status: job.status,
      input: job.input,
      ...(view.output !== undefined ? { output: view.output } : {}),
      ...(view.error !== undefined ? { error: view.error } : {}),
      ...(view.delayTime !== undefined ? { delayTime: view.delayTime } : {}),
      ...(view.executionTime !== undefined ? { executionTime: view.executionTime } : {}),
      webhook: job.webhook,
    });
  }

  #snapshot(job: JobRecord): EmulatorJob {
    const view = this.#table.view(job);
    return {
      id: job.id,
      endpointId: job.endpointId,
      mode: job.mode,
      status: job.status,
      input: job.input,
      output: job.output,
      error: job.error,
      stream: job.stream.map((item) => ({ ...item })),
      undrained: job.pending.length,
      webhook: job.webhook,
      policy: { ...job.policy },
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      completedAt: job.completedAt,
      delayTime: view.delayTime,
      executionTime: view.executionTime,
      workerId: job.workerId,
      retries: job.retries,
      removed: job.removed,
      stopPod: job.stopPod,
    };
  }
}

/**
 * Makes a local RunPod serverless emulator (see {@linkcode Emulator}).
 *
 * @typeParam I The input type the worker expects.
 * @param options The API key, endpoints, worker, clock and timings.
 * @returns The emulator; close it (`await using`) when done.
 *
 * @example Streaming a generator worker's items
 * ```ts
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({
 *   clock,
 *   worker: async function* (job) {
 *     for (let i = 1; i <= 3; i++) {
 *       await job.sleep(1000);
 *       yield `photo ${i}`;
 *     }
 *   },
 * });
 * const headers = { authorization: "Bearer test-key" };
 * const url = `${emulator.baseUrl}/test-endpoint`;
 * const run = await emulator.fetch(`${url}/run`, {
 *   method: "POST",
 *   headers,
 *   body: JSON.stringify({ input: {} }),
 * });
 * const { id } = await run.json();
 * const items: unknown[] = [];
 * while (true) {
 *   const chunk = await (await emulator.fetch(`${url}/stream/${id}`, { headers })).json();
 *   items.push(...chunk.stream.map((item: { output: unknown }) => item.output));
 *   if (chunk.status === "COMPLETED") break;
 * }
 * assert.deepEqual(items, ["photo 1", "photo 2", "photo 3"]);
 * ```
 */
export function createEmulator<I = unknown>(options: EmulatorOptions<I> = {}): Emulator<I> {
  return new Emulator<I>(options);
}

/** The names of {@linkcode EmulatorOptions} (the compiler holds this list to the type), and of its objects. */
const EMULATOR_KEYS: KnownKeys = optionKeys<EmulatorOptions>({
  apiKey: 1,
  endpoints: 1,
  worker: 1,
  workers: 1,
  queueDelay: 1,
  clock: 1,
  resultTtl: 1,
  streamHold: 1,
  webhookFetch: 1,
  returnAggregateStream: 1,
  rateLimits: 1,
  deepQueue: 1,
  rest: 1,
  workerKey: 1,
  loadBalancer: 1,
});
const RESULT_TTL_KEYS: KnownKeys = new Set(["run", "runsync"]);
const REST_KEYS: KnownKeys = new Set(["requestsPerMinute", "catalog"]);

/** Refuses options that are not an object, and any misspelt option. */
function checkEmulatorOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot create emulator: options must be an object");
  }
  checkKnownKeys("create emulator", options, EMULATOR_KEYS);
  const { resultTtl, rest } = options as EmulatorOptions;
  if (typeof resultTtl === "object" && resultTtl !== null) {
    checkKnownKeys("create emulator (resultTtl)", resultTtl, RESULT_TTL_KEYS);
  }
  if (typeof rest === "object" && rest !== null) {
    checkKnownKeys("create emulator (rest)", rest, REST_KEYS);
  }
}

/** How a request came in: through `handler` (served) or `fetch`, and whether to read its signal. */
interface HandleMode {
  served: boolean;
  watchSignal: boolean;
}

function isDenoServeInfo(info: unknown): boolean {
  return info !== null && typeof info === "object" && "completed" in info && "remoteAddr" in info;
}
