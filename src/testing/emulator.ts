import { type Clock, realClock } from "../clock.ts";
import { delay } from "../delay.ts";
import type { JobPolicy, JobStatus, StreamItem } from "../types.ts";
import { isDropped } from "./_drop.ts";
import { describeFault, faultAnswer, FaultQueue, replacesAnswer, truncate } from "./_faults.ts";
import { corsHeaders, errorAnswer } from "./_http.ts";
import { type JobRecord, JobTable } from "./_jobs.ts";
import type { JobApiLink } from "./rest/_link.ts";
import { REST_PREFIX, RestApi } from "./rest/_rest_api.ts";
import type { RestEmulatorOptions } from "./rest/options.ts";
import { type RecordedRequest, redactedHeaders, routeMatches } from "./_request_log.ts";
import type { RouteContext } from "./_routes/_context.ts";
import { routes } from "./_routes/mod.ts";
import { Timers } from "./_timers.ts";
import { type WebhookDelivery, WebhookSender } from "./_webhooks.ts";
import type { Fault } from "./faults.ts";
import { echoWorker, type EmulatorWorker } from "./worker.ts";

export type { RecordedRequest, WebhookDelivery };

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
   * The API key requests must carry as `Authorization: Bearer <apiKey>` (401 otherwise).
   *
   * @default {"test-key"}
   */
  apiKey?: string;
  /**
   * The endpoint ids that exist; requests to any other answer 404.
   *
   * @default {["test-endpoint"]}
   */
  endpoints?: string[];
  /**
   * The worker handler that runs each job (see {@linkcode EmulatorWorker}).
   *
   * @default {echoWorker}
   */
  worker?: EmulatorWorker<I>;
  /**
   * How many workers each endpoint has: how many jobs run at once.
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
   * The management API served at {@linkcode Emulator.restUrl}: its rate
   * limit and seeded catalog (see {@linkcode RestEmulatorOptions}).
   *
   * @default {{ requestsPerMinute: 60, catalog: true }}
   */
  rest?: RestEmulatorOptions;
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
  readonly webhook?: string;
  /** The policy in force (defaults filled in). */
  readonly policy: JobPolicy;
  /** The clock time of creation, in ms. */
  readonly createdAt: number;
  /** The clock time the latest run started, in ms. */
  readonly startedAt?: number;
  /** The clock time the job reached its terminal status, in ms. */
  readonly completedAt?: number;
  /** Milliseconds queued before the latest run. */
  readonly delayTime?: number;
  /** Milliseconds the latest run took. */
  readonly executionTime?: number;
  /** The worker that ran it. */
  readonly workerId?: string;
  /** How many times it was retried. */
  readonly retries: number;
  /** Why the job is gone (`/status` answers 404): purged, results expired, or `policy.ttl`. */
  readonly removed?: "purged" | "expired" | "ttl";
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

  #apiKey: string;
  #endpoints: Set<string>;
  #clock: Clock;
  #streamHold: number;
  #timers: Timers;
  #table: JobTable;
  #webhooks: WebhookSender;
  #faults = new FaultQueue();
  #log: RecordedRequest[] = [];
  #routes = routes();
  #rest: RestApi;
  #workers: number;
  #inFlight = new Set<Promise<unknown>>();
  #closer = new AbortController();
  #closing: Promise<void> | undefined;

  /**
   * Makes an emulator; {@linkcode createEmulator} does the same.
   *
   * @param options The API key, endpoints, worker, clock and timings.
   */
  constructor(options: EmulatorOptions<I> = {}) {
    const {
      apiKey = "test-key",
      endpoints = ["test-endpoint"],
      worker = echoWorker as EmulatorWorker<I>,
      workers = 1,
      queueDelay = 0,
      clock = realClock,
      resultTtl = {},
      streamHold = 10_000,
      webhookFetch = (input, init) => globalThis.fetch(input, init),
    } = options;
    if (!Number.isInteger(workers) || workers < 1) {
      throw new RangeError(
        `Cannot create emulator: workers must be a positive integer, received ${workers}`,
      );
    }
    for (const [name, value] of [["queueDelay", queueDelay], ["streamHold", streamHold]] as const) {
      if (!(Number.isFinite(value) && value >= 0)) {
        throw new RangeError(
          `Cannot create emulator: ${name} must be a non-negative number, received ${value}`,
        );
      }
    }
    if (!Array.isArray(endpoints) || endpoints.some((id) => typeof id !== "string" || id === "")) {
      throw new TypeError("Cannot create emulator: endpoints must be an array of endpoint ids");
    }
    this.#apiKey = apiKey;
    this.#workers = workers;
    this.#endpoints = new Set(endpoints);
    this.#clock = clock;
    this.#streamHold = streamHold;
    this.#timers = new Timers(clock);
    this.#webhooks = new WebhookSender(webhookFetch, this.#timers, () => clock.now());
    this.#table = new JobTable({
      clock,
      timers: this.#timers,
      worker: worker as EmulatorWorker,
      workers,
      queueDelay,
      resultTtl: { run: resultTtl.run ?? 30 * 60_000, runsync: resultTtl.runsync ?? 60_000 },
      onEnd: (job) => this.#sendWebhook(job),
    });
    this.#rest = new RestApi({
      apiKey,
      clock,
      timers: this.#timers,
      link: this.#jobApiLink(),
      ...(options.rest ? { rest: options.rest } : {}),
    });
  }

  /** How the management API reaches the job API: the endpoints served, and their jobs. */
  #jobApiLink(): JobApiLink {
    return {
      initial: () => [...this.#endpoints].map((id) => ({ id, workers: { max: this.#workers } })),
      add: (endpoint) => void this.#endpoints.add(endpoint.id),
      // Per-endpoint timeout and worker count arrive with the job side's endpoint settings.
      update: () => {},
      remove: (id) => {
        this.#endpoints.delete(id);
        for (const job of this.#table.all()) if (job.endpointId === id) this.#table.cancel(job);
      },
      jobs: (id) =>
        this.#table.all().filter((job) => job.endpointId === id).map((job) => ({
          id: job.id,
          status: job.status,
          createdAt: job.createdAt,
          ...(job.workerId !== undefined ? { workerId: job.workerId } : {}),
          ...(job.startedAt !== undefined ? { startedAt: job.startedAt } : {}),
          ...(job.completedAt !== undefined ? { completedAt: job.completedAt } : {}),
        })),
    };
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
  readonly fetch = (input: Request | URL | string, init?: RequestInit): Promise<Response> =>
    this.#fetch(input, init);

  /**
   * Answers a request as the RunPod API would: a handler for `Deno.serve`,
   * `Bun.serve`, a Worker's `fetch`, or `serveNode`. A dropped connection is
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
   *
   * @param route A route such as `"POST /run"` or `"GET /stream"`, a path such as `"/status"`, or `"*"`.
   * @param fault The fault (see {@linkcode Fault}).
   * @param times How many requests it applies to.
   */
  inject(route: string, fault: Fault, times = 1): void {
    this.#faults.inject(route, fault, times);
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

  async #fetch(input: Request | URL | string, init?: RequestInit): Promise<Response> {
    const original = new Request(input, init);
    const signal = original.signal;
    if (signal.aborted) throw signal.reason;
    let url = original.url;
    let method = original.method;
    const headers = new Headers(original.headers);
    let body: ArrayBuffer | null = original.body === null ? null : await original.arrayBuffer();
    for (let redirects = 0;; redirects++) {
      if (signal.aborted) throw signal.reason;
      const request = new Request(url, { method, headers, body, signal });
      const handling = this.#handle(request, { served: false, watchSignal: true });
      const response = await abortable(this.#track(handling), signal);
      if (isDropped(response)) {
        await response.body?.cancel().catch(() => {});
        throw new TypeError("fetch failed", {
          cause: new Error("The connection was dropped (injected fault)"),
        });
      }
      const location = response.headers.get("location");
      if (!isRedirect(response.status) || location === null || original.redirect === "manual") {
        return response;
      }
      await response.body?.cancel().catch(() => {});
      if (original.redirect === "error" || redirects >= 20) {
        throw new TypeError("fetch failed", {
          cause: new Error(`Redirected to '${location}' (redirect: ${original.redirect})`),
        });
      }
      const next = new URL(location, url);
      // As fetch does: the Authorization header is not sent to another origin.
      if (next.origin !== new URL(url).origin) headers.delete("authorization");
      if (
        (response.status === 303 && method !== "GET" && method !== "HEAD") ||
        ((response.status === 301 || response.status === 302) && method === "POST")
      ) {
        method = "GET";
        body = null;
        headers.delete("content-type");
        headers.delete("content-length");
      }
      url = next.href;
    }
  }

  async #handle(request: Request, mode: HandleMode): Promise<Response> {
    const url = new URL(request.url);
    const path = parsePath(url.pathname);
    const restRoute = this.#rest.routeName(request.method, url.pathname);
    const entry: RecordedRequest = {
      method: request.method,
      path: url.pathname + url.search,
      route: restRoute ??
        (path ? `${request.method} /${path.name}` : `${request.method} ${url.pathname}`),
      headers: redactedHeaders(request.headers),
      at: this.#clock.now(),
    };
    if (path?.endpointId !== undefined) entry.endpointId = path.endpointId;
    if (path?.jobId !== undefined) entry.jobId = path.jobId;
    this.#log.push(entry);
    let response: Response;
    try {
      response = await this.#answer(request, url, path, entry, mode);
    } catch (error) {
      response = errorAnswer(
        500,
        `Emulator error: ${error instanceof Error ? error.message : error}`,
      );
    }
    entry.status = isDropped(response) ? 0 : response.status;
    for (const [name, value] of Object.entries(corsHeaders())) response.headers.set(name, value);
    return response;
  }

  async #answer(
    request: Request,
    url: URL,
    path: ParsedPath | undefined,
    entry: RecordedRequest,
    mode: HandleMode,
  ): Promise<Response> {
    if (request.method === "OPTIONS") return new Response(null, { status: 204 });
    if (this.#closer.signal.aborted) return errorAnswer(503, "The emulator is closed");
    const fault = this.#faults.take(entry.route);
    if (fault) entry.fault = describeFault(fault);
    if (fault && (replacesAnswer(fault) || ("drop" in fault && fault.when !== "after"))) {
      await request.body?.cancel().catch(() => {});
      return faultAnswer(fault);
    }
    const signal = mode.watchSignal
      ? AbortSignal.any([request.signal, this.#closer.signal])
      : this.#closer.signal;
    if (fault && "delay" in fault) {
      try {
        await delay(fault.delay, { clock: this.#clock, signal });
      } catch {
        return errorAnswer(503, "The request was aborted");
      }
    }
    let response = await this.#process(request, url, path, entry, signal);
    if (fault && "drop" in fault) {
      await response.body?.cancel().catch(() => {});
      return faultAnswer(fault);
    }
    if (fault && "truncate" in fault) response = await truncate(response, mode.served);
    return response;
  }

  async #process(
    request: Request,
    url: URL,
    path: ParsedPath | undefined,
    entry: RecordedRequest,
    signal: AbortSignal,
  ): Promise<Response> {
    if (this.#rest.routeName(request.method, url.pathname) !== undefined) {
      return await this.#rest.handle(request, url, signal);
    }
    if (!path) {
      return errorAnswer(404, `Not found: '${url.pathname}' (routes are /v2/{endpointId}/...)`);
    }
    if (request.headers.get("authorization") !== `Bearer ${this.#apiKey}`) {
      return errorAnswer(401, "Unauthorized: missing or invalid API key");
    }
    if (!this.#endpoints.has(path.endpointId)) {
      return errorAnswer(404, `Endpoint '${path.endpointId}' not found`);
    }
    const route = Object.hasOwn(this.#routes, path.name) ? this.#routes[path.name] : undefined;
    if (!route || route.withJobId !== (path.jobId !== undefined) || path.rest) {
      return errorAnswer(404, `Route '${url.pathname}' not found`);
    }
    if (!route.methods.includes(request.method)) {
      return errorAnswer(405, `Method ${request.method} not allowed on /${path.name}`, {
        allow: route.methods.join(", "),
      });
    }
    const context: RouteContext = {
      request,
      url,
      endpointId: path.endpointId,
      jobId: path.jobId,
      signal,
      table: this.#table,
      clock: this.#clock,
      timers: this.#timers,
      streamHold: this.#streamHold,
      setJobId: (id) => (entry.jobId = id),
    };
    return await route.handle(context);
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

/** How a request came in: through `handler` (served) or `fetch`, and whether to read its signal. */
interface HandleMode {
  served: boolean;
  watchSignal: boolean;
}

function isDenoServeInfo(info: unknown): boolean {
  return info !== null && typeof info === "object" && "completed" in info && "remoteAddr" in info;
}

interface ParsedPath {
  endpointId: string;
  name: string;
  jobId?: string;
  rest: boolean;
}

function parsePath(pathname: string): ParsedPath | undefined {
  const match = /^\/v2\/([^/]+)\/([^/]+)(?:\/([^/]+))?(\/.*)?$/.exec(pathname);
  if (!match) return undefined;
  const [, endpointId, name, jobId, rest] = match;
  try {
    return {
      endpointId: decodeURIComponent(endpointId),
      name,
      jobId: jobId === undefined ? undefined : decodeURIComponent(jobId),
      rest: rest !== undefined,
    };
  } catch {
    return undefined; // malformed percent-encoding
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Rejects with the signal's reason as soon as it aborts; an answer that comes later is discarded. */
function abortable(promise: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then((response) => {
      signal.removeEventListener("abort", onAbort);
      if (signal.aborted) {
        response.body?.cancel().catch(() => {});
        reject(signal.reason);
      } else resolve(response);
    }, (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
  });
}
