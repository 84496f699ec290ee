// The load-balancing endpoints' route family: a request to
// `https://ENDPOINT_ID.api.runpod.ai/<path>` (or, served on a port,
// `http://127.0.0.1:PORT/lb/ENDPOINT_ID/<path>`, or any host
// `ENDPOINT_ID.localhost`) goes to one of the endpoint's workers (see
// _pool.ts), whose server answers it: a handler in process or a URL. Its
// answer passes through as it comes (streamed), within RunPod's limits: 30
// MB bodies, 2 minutes waiting for a worker, 5.5 minutes of processing (then
// 524). A job-API path on such an endpoint answers 400 "not allowed for QB API".
import { checkKnownKeys, type KnownKeys, optionKeys } from "../../../_known_keys.ts";
import { LOAD_BALANCER } from "../../../_runpod_facts.ts";
import { abortable } from "../../_fetch.ts";
import { errorAnswer, json } from "../../_http.ts";
import type { Timers } from "../../_timers.ts";
import { echoServer, type LoadBalancerEmulatorOptions } from "../../load_balancer.ts";
import type { EmulatorState } from "../../_state.ts";
import { checkKey, type RouteCall, type RouteFamily } from "../_dispatch.ts";
import { Pool, type PoolSettings, type PoolWorker } from "./_pool.ts";

/** A load-balancing endpoint as `createEmulator` or the management API declares it. */
export interface LoadBalancerSettings {
  id: string;
  workers?: { min?: number; max?: number; idleTimeout?: number };
  scaling?: { requestCount?: number };
}

/** The emulator's defaults where an endpoint does not say (RunPod's create defaults; requestCount as its spec's example). */
const DEFAULTS: PoolSettings = { min: 0, max: 3, idleTimeout: 10, requestCount: 4 };

/** The load-balancing endpoints that exist, each with its workers. */
export class LoadBalancers {
  #pools = new Map<string, Pool>();
  #timers: Timers;
  #now: () => number;
  #options: LoadBalancerEmulatorOptions;

  constructor(timers: Timers, now: () => number, options: LoadBalancerEmulatorOptions = {}) {
    this.#timers = timers;
    this.#now = now;
    this.#options = checkOptions(options);
  }

  has(id: string): boolean {
    return this.#pools.has(id);
  }

  get(id: string): Pool | undefined {
    return this.#pools.get(id);
  }

  ids(): string[] {
    return [...this.#pools.keys()];
  }

  /** Adds an endpoint (its `workers.min` start at once). */
  add(endpoint: LoadBalancerSettings): void {
    if (this.#pools.has(endpoint.id)) {
      throw new TypeError(`Cannot add endpoint '${endpoint.id}': an endpoint with this id exists`);
    }
    const options = this.#options;
    const healthPath = options.healthPath ?? LOAD_BALANCER.healthPath;
    const health = async () => {
      const answer = await this.#send(
        new Request(`http://localhost${healthPath}`),
        options.healthUrl,
      );
      await answer.body?.cancel().catch(() => {});
      return answer.status;
    };
    this.#pools.set(
      endpoint.id,
      new Pool({
        timers: this.#timers,
        now: this.#now,
        health,
        coldStart: options.coldStart ?? 0,
        healthInterval: options.healthInterval ?? 1000,
      }, settingsOf(endpoint, DEFAULTS, `Cannot add endpoint '${endpoint.id}'`)),
    );
  }

  /** Changes an endpoint's workers or scaling. */
  update(endpoint: LoadBalancerSettings): void {
    const pool = this.#pools.get(endpoint.id);
    if (!pool) throw new TypeError(`Cannot update endpoint '${endpoint.id}': it does not exist`);
    pool.resize(settingsOf(endpoint, pool.settings, `Cannot update endpoint '${endpoint.id}'`));
  }

  /** Stops every endpoint's workers (the emulator closes). */
  close(): void {
    for (const pool of this.#pools.values()) pool.close();
  }

  remove(id: string): boolean {
    const pool = this.#pools.get(id);
    pool?.close();
    return this.#pools.delete(id);
  }

  /** Sends a request to the worker's server: the handler, or the URL. */
  async #send(request: Request, base?: string): Promise<Response> {
    const { handler, url } = this.#options;
    if (url === undefined) return await (handler ?? echoServer)(request);
    const target = new URL(request.url);
    const to = (base ?? url).replace(/\/+$/, "") + target.pathname + target.search;
    return await (this.#options.fetch ?? globalThis.fetch)(new Request(to, request));
  }

  /** Answers a request to endpoint `id` at `path`: a worker's answer, or RunPod's own. */
  async answer(id: string, path: string, call: RouteCall): Promise<Response> {
    const pool = this.#pools.get(id)!;
    const { request, signal } = call;
    const declared = Number(request.headers.get("content-length"));
    if (declared > LOAD_BALANCER.bodyLimit) return tooLarge();
    let body: ArrayBuffer | null = null;
    if (request.body !== null) {
      body = await request.arrayBuffer();
      if (body.byteLength > LOAD_BALANCER.bodyLimit) return tooLarge();
    }
    const taken = pool.take(signal);
    let worker: Awaited<typeof taken>;
    try {
      worker = taken instanceof Promise ? await taken : taken;
    } catch {
      // The client went away, or the emulator closed, while the request waited for a worker.
      return errorAnswer(503, "The request was aborted while it waited for a worker");
    }
    if (worker === "no-workers") return errorAnswer(503, "no workers available");
    if (worker === "timeout") {
      return json(
        { status: 400, title: "Bad Request", detail: "timed out waiting for worker" },
        400,
      );
    }
    return await this.#forward(pool, worker, path, body, call);
  }

  /** Has `worker` answer the request; it is released once its answer's body ends. */
  async #forward(
    pool: Pool,
    worker: PoolWorker,
    path: string,
    body: ArrayBuffer | null,
    call: RouteCall,
  ): Promise<Response> {
    const work = new AbortController();
    const onAbort = () => work.abort(call.signal.reason);
    call.signal.addEventListener("abort", onAbort, { once: true });
    const stopLimit = this.#timers.set(
      () => work.abort(new ProcessingLimit()),
      LOAD_BALANCER.processing,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      stopLimit();
      call.signal.removeEventListener("abort", onAbort);
      pool.release(worker);
    };
    const headers = new Headers(call.request.headers);
    // Whether RunPod hands the API key on to the worker is not documented: the emulator does not.
    headers.delete("authorization");
    headers.delete("host");
    const search = call.url.search;
    const forwarded = new Request(`http://localhost${path}${search}`, {
      method: call.request.method,
      headers,
      body,
      signal: work.signal,
    });
    let response: Response;
    try {
      response = await abortable(this.#send(forwarded), work.signal);
    } catch (error) {
      end();
      if (work.signal.reason instanceof ProcessingLimit) return cutOff();
      if (work.signal.aborted) return errorAnswer(503, "The request was aborted");
      // A server that cannot be reached: RunPod's proxy answers 502.
      if (this.#options.url !== undefined) {
        return errorAnswer(502, `Bad Gateway: the worker's server did not answer (${error})`);
      }
      return errorAnswer(500, `The worker's handler threw: ${error}`);
    }
    return new Response(passThrough(response.body, end, work.signal), {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    });
  }
}

/** The family: claims the requests for a load-balancing endpoint's URL. */
export function loadBalancerRoutes(state: EmulatorState): RouteFamily {
  const balancers = state.loadBalancers;
  return {
    match(request, url) {
      const target = targetOf(url);
      if (target === undefined) {
        // A job-API path on a load-balancing endpoint.
        const queue = /^\/v2\/([^/]+)\//.exec(url.pathname);
        if (!queue || !balancers.has(queue[1]!)) return undefined;
        const endpointId = queue[1]!;
        return {
          route: `${request.method} ${url.pathname.replace(/^\/v2\/[^/]+(\/[^/]*).*$/, "$1")}`,
          endpointId,
          answer: () =>
            checkKey(request, state.apiKey) ?? errorAnswer(400, "not allowed for QB API"),
        };
      }
      const { endpointId, path } = target;
      return {
        route: `LB ${request.method} ${path}`,
        endpointId,
        answer: (call) =>
          checkKey(request, state.apiKey) ??
            (balancers.has(endpointId)
              ? balancers.answer(endpointId, path, call)
              : errorAnswer(404, `Load-balancing endpoint '${endpointId}' not found`)),
      };
    },
  };
}

/** The endpoint and path a URL is for: `ID.api.runpod.ai`, `ID.localhost`, or `/lb/ID/...`. */
export function targetOf(url: URL): { endpointId: string; path: string } | undefined {
  const host = /^([A-Za-z0-9_-]+)\.(?:api\.runpod\.ai|localhost)$/.exec(url.hostname);
  if (host) return { endpointId: host[1]!, path: url.pathname };
  const prefix = /^\/lb\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(url.pathname);
  if (prefix) return { endpointId: prefix[1]!, path: prefix[2] ?? "/" };
  return undefined;
}

class ProcessingLimit extends Error {}

function tooLarge(): Response {
  // RunPod's answer to a body over the limit is not documented: the emulator answers 413.
  return errorAnswer(
    413,
    `Request body is over the limit of ${LOAD_BALANCER.bodyLimit} bytes for a load-balancing endpoint`,
  );
}

function cutOff(): Response {
  return errorAnswer(
    524,
    `The worker did not answer within ${LOAD_BALANCER.processing / 1000} s (a timeout occurred)`,
  );
}

/**
 * The worker's body, passed on chunk by chunk as the worker writes it (read
 * at once, as a proxy does: the worker is done when it has written its
 * answer, not when the client has read it): `end` runs once it is written
 * to its end, cancelled or failed; `signal` (the client gone, the
 * processing limit) cuts it.
 */
function passThrough(
  body: ReadableStream<Uint8Array> | null,
  end: () => void,
  signal: AbortSignal,
): ReadableStream<Uint8Array> | null {
  if (body === null) {
    end();
    return null;
  }
  const reader = body.getReader();
  let onAbort: (() => void) | undefined;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    if (onAbort) signal.removeEventListener("abort", onAbort);
    end();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        if (done) return;
        try {
          controller.error(signal.reason);
        } catch {
          // Closed already.
        }
        reader.cancel(signal.reason).catch(() => {});
        finish();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      (async () => {
        try {
          while (!done) {
            const next = await reader.read();
            if (done) return;
            if (next.done) {
              finish();
              controller.close();
              return;
            }
            controller.enqueue(next.value);
          }
        } catch (error) {
          if (done) return;
          finish();
          controller.error(error);
        }
      })();
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
}

function settingsOf(
  endpoint: LoadBalancerSettings,
  base: PoolSettings,
  what: string,
): PoolSettings {
  const settings = {
    min: endpoint.workers?.min ?? base.min,
    max: endpoint.workers?.max ?? base.max,
    idleTimeout: endpoint.workers?.idleTimeout ?? base.idleTimeout,
    requestCount: endpoint.scaling?.requestCount ?? base.requestCount,
  };
  for (
    const [name, value, least] of [
      ["workers.min", settings.min, 0],
      ["workers.max", settings.max, 0],
      ["workers.idleTimeout", settings.idleTimeout, 0],
      ["scaling.requestCount", settings.requestCount, 1],
    ] as const
  ) {
    if (!Number.isInteger(value) || value < least) {
      throw new RangeError(
        `${what}: ${name} must be an integer of at least ${least}, received ${value}`,
      );
    }
  }
  if (settings.min > settings.max) {
    throw new RangeError(
      `${what}: workers.min (${settings.min}) exceeds workers.max (${settings.max})`,
    );
  }
  return settings;
}

/** The names of {@linkcode LoadBalancerEmulatorOptions}: the compiler holds this list to the type. */
const EMULATOR_LB_KEYS: KnownKeys = optionKeys<LoadBalancerEmulatorOptions>({
  handler: 1,
  url: 1,
  healthUrl: 1,
  fetch: 1,
  healthPath: 1,
  coldStart: 1,
  healthInterval: 1,
});

function checkOptions(options: LoadBalancerEmulatorOptions): LoadBalancerEmulatorOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot create emulator: loadBalancer must be an object");
  }
  checkKnownKeys("create emulator (loadBalancer)", options, EMULATOR_LB_KEYS);
  const { handler, url, coldStart, healthInterval, healthPath } = options;
  if (handler !== undefined && typeof handler !== "function") {
    throw new TypeError("Cannot create emulator: loadBalancer.handler must be a function");
  }
  if (handler !== undefined && url !== undefined) {
    throw new TypeError("Cannot create emulator: give loadBalancer.handler or url, not both");
  }
  if (url !== undefined) {
    try {
      new URL(url);
    } catch {
      throw new TypeError(`Cannot create emulator: loadBalancer.url is not a URL: '${url}'`);
    }
  }
  for (const [name, value] of [["coldStart", coldStart], ["healthInterval", healthInterval]]) {
    if (
      value !== undefined && !(typeof value === "number" && value >= 0 && Number.isFinite(value))
    ) {
      throw new RangeError(
        `Cannot create emulator: loadBalancer.${name} must be a non-negative number of ms, received ${value}`,
      );
    }
  }
  if (healthPath !== undefined && (typeof healthPath !== "string" || !healthPath.startsWith("/"))) {
    throw new TypeError(
      "Cannot create emulator: loadBalancer.healthPath must be a path such as '/ping'",
    );
  }
  return options;
}
