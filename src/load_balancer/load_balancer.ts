// A load-balancing endpoint's client: `runpod.loadBalancer(id)`. Its calls
// load their code (_engine.ts) on first use, so that an app that only runs
// jobs does not carry it: bundlers put it in a chunk of its own.
import { type Transport, transports } from "../_http.ts";
import { checkKnownKeys, type KnownKeys, optionKeys } from "../_known_keys.ts";
import { checkId, checkRetries, checkTimeout } from "../_validate.ts";
import type { LbOptions } from "./_engine.ts";
import type {
  LoadBalancerInit,
  LoadBalancerJsonOptions,
  LoadBalancerOptions,
  ReadyOptions,
} from "./types.ts";

/** The names of {@linkcode LoadBalancerOptions}: the compiler holds this list to the type. */
const OPTION_KEYS: KnownKeys = optionKeys<LoadBalancerOptions>({
  timeout: 1,
  maxRetries: 1,
  healthPath: 1,
});

type Engine = typeof import("./_engine.ts");
let loading: Promise<Engine> | undefined;
/** The engine once loaded: later calls go to it without a wait (a promise turn less per call). */
let engine: Engine | undefined;
const load = () =>
  loading ??= import("./_engine.ts").then((module) => {
    engine = module;
    return module;
  });

/**
 * A load-balancing endpoint (REST v2 `type: "LOAD_BALANCER"`): no job queue,
 * each request goes straight to a worker's own HTTP server at
 * `https://ENDPOINT_ID.api.runpod.ai/<path>`, with the API key. Make one with
 * `runpod.loadBalancer(id)`.
 *
 * The answers that mean no worker took the request (RunPod's "no workers
 * available", 400 "timed out waiting for worker", its proxy's 502 and 503)
 * are retried with backoff within the call's deadline, for every method:
 * no worker processed them. Any other answer, a worker's own 5xx included,
 * is the worker's: `fetch` hands it on, `json` throws it as a
 * `RunpodApiError`. When every try met a cold start, the call rejects with
 * a `WorkerUnavailableError` saying which answer it was and what to change.
 *
 * @example Calling a worker through a cold start
 * ```ts
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * let loaded = false;
 * clock.setTimer(() => (loaded = true), 30_000); // the model takes 30 s to load
 * await using emulator = createEmulator({
 *   clock,
 *   endpoints: [{ id: "llm", type: "LOAD_BALANCER" }],
 *   loadBalancer: {
 *     handler: (request) =>
 *       new URL(request.url).pathname === "/ping"
 *         ? new Response(null, { status: loaded ? 200 : 204 })
 *         : Response.json({ text: "Hello!" }),
 *   },
 * });
 * const lb = emulator.client().loadBalancer("llm"); // the emulator's key, URLs, fetch and clock
 * const answer = await lb.json<{ text: string }>("/generate", { prompt: "Hi" });
 * assert.equal(answer.text, "Hello!");
 * assert.ok(clock.now() >= 30_000); // it waited for the worker to be ready
 * ```
 */
export class LoadBalancer {
  /** The endpoint id. */
  readonly id: string;
  /** The endpoint's URL, such as `https://abc123.api.runpod.ai`. */
  readonly url: string;
  #t: Transport;
  #settings: LbOptions;

  /**
   * Makes the client of a load-balancing endpoint; `runpod.loadBalancer(id)` does the same.
   *
   * @param client The RunPod client whose key, `fetch` and clock it uses.
   * @param id The endpoint id.
   * @param options The defaults of its calls.
   */
  constructor(client: object, id: string, options: LoadBalancerOptions = {}) {
    const t = transports.get(client);
    if (!t) throw new TypeError("Cannot make a load balancer: client must be a RunpodSdk");
    const call = "make a load balancer";
    checkId(call, "endpointId", id);
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Cannot ${call}: options must be an object`);
    }
    checkKnownKeys(call, options, OPTION_KEYS);
    this.#t = t;
    this.id = id;
    this.url = t.loadBalancerUrl.replace("{endpointId}", id);
    // Defaults, and the check of healthPath, are the engine's (loaded on first call).
    this.#settings = {
      id,
      url: this.url,
      timeout: checkTimeout(call, options.timeout),
      maxRetries: checkRetries(call, options.maxRetries),
      healthPath: options.healthPath,
    };
  }

  /**
   * Sends a request to the worker and resolves with its answer, the body
   * unread: an SSE or chunked answer streams as it comes, and aborting
   * `signal` closes it. `timeout` covers the wait for the answer's head.
   *
   * @param path The path on the worker's server, such as `/generate` (a query may follow).
   * @param init `fetch`'s options, with `timeout`, `signal` and `maxRetries`.
   * @returns The worker's answer, any status.
   *
   * @example Streaming Server-Sent Events
   * ```ts
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator({
   *   endpoints: [{ id: "llm", type: "LOAD_BALANCER" }],
   *   loadBalancer: {
   *     handler: () =>
   *       new Response(new Blob(["data: Hel\n\n", "data: lo\n\n"]).stream(), {
   *         headers: { "content-type": "text/event-stream" },
   *       }),
   *   },
   * });
   * const lb = emulator.client().loadBalancer("llm");
   * const response = await lb.fetch("/v1/chat", { method: "POST", body: "{}" });
   * assert.equal(response.headers.get("content-type"), "text/event-stream");
   * assert.equal(await response.text(), "data: Hel\n\ndata: lo\n\n");
   * ```
   */
  fetch(path: string, init?: LoadBalancerInit): Promise<Response> {
    return engine
      ? engine.lbFetch(this.#t, this.#settings, path, init)
      : load().then((m) => m.lbFetch(this.#t, this.#settings, path, init));
  }

  /**
   * Sends JSON (a POST when there is a body) and resolves with the JSON
   * answer. A 2xx answer that is not JSON rejects with a `RunpodError`,
   * another status with a `RunpodApiError` (a `WorkerUnavailableError` when
   * no worker took it after every retry).
   *
   * @typeParam T The answer's shape.
   * @param path The path on the worker's server, such as `/generate`.
   * @param body The JSON body; none sends a GET.
   * @param options The method, headers, `timeout`, `signal` and `maxRetries`; or a timeout in ms.
   * @returns The parsed answer (`undefined` for an empty one).
   *
   * @example Posting JSON
   * ```ts
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator({ endpoints: [{ id: "llm", type: "LOAD_BALANCER" }] });
   * const lb = emulator.client().loadBalancer("llm");
   * // The emulator's default worker echoes what it received.
   * const echo = await lb.json<{ method: string; body: unknown }>("/generate", { prompt: "Hi" });
   * assert.deepEqual([echo.method, echo.body], ["POST", { prompt: "Hi" }]);
   * ```
   */
  async json<T = unknown>(
    path: string,
    body?: unknown,
    options?: LoadBalancerJsonOptions | number,
  ): Promise<T> {
    return await (engine ?? await load()).lbJson(
      this.#t,
      this.#settings,
      path,
      body,
      options,
    ) as T;
  }

  /**
   * Resolves once the worker's health path (`/ping` unless `healthPath`
   * says otherwise) answers 200 through RunPod: a worker has started and is
   * ready. Anything else (204 while it initializes, no worker yet) is read
   * again after a backoff.
   *
   * @param options `timeout` and `signal`; or a timeout in ms.
   * @returns A promise that resolves once the endpoint is ready.
   *
   * @example Waiting for a worker, then calling it
   * ```ts
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({
   *   clock,
   *   endpoints: [{ id: "llm", type: "LOAD_BALANCER" }],
   *   loadBalancer: { coldStart: 20_000 }, // 20 s before a worker's server answers
   * });
   * const lb = emulator.client().loadBalancer("llm");
   * await lb.ready({ timeout: 120_000 });
   * assert.ok(clock.now() >= 20_000);
   * ```
   */
  async ready(options?: ReadyOptions | number): Promise<void> {
    return await (engine ?? await load()).lbReady(this.#t, this.#settings, options);
  }
}
