// A load-balancing worker's routing, web standards only: the health path
// answers 204 while the worker initializes, 200 once `ready()` is true (503
// while draining); any other path goes to the app's handler, counted in
// flight until its answer's body is written, so that a drain can wait for it.
import { checkKnownKeys, type KnownKeys, optionKeys } from "../_known_keys.ts";
import { LOAD_BALANCER } from "../_runpod_facts.ts";
import { quote } from "../_validate.ts";

/** The names of {@linkcode WorkerHandlerOptions}. */
const HANDLER_KEYS: KnownKeys = optionKeys<WorkerHandlerOptions>({ ready: 1, healthPath: 1 });

/** A web-standard request handler, such as Hono's `app.fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Options of {@linkcode workerHandler}.
 *
 * @example A worker ready once its model is loaded
 * ```ts
 * import type { WorkerHandlerOptions } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * let modelLoaded = false;
 * const options: WorkerHandlerOptions = { ready: () => modelLoaded, healthPath: "/ping" };
 * assert.equal(await options.ready?.(), false);
 * ```
 */
export interface WorkerHandlerOptions {
  /**
   * Whether the worker is ready to take requests: the health path answers
   * 204 (initializing) until it returns true, then 200.
   *
   * @default {() => true}
   */
  ready?: (() => boolean | Promise<boolean>) | undefined;
  /**
   * The health path (`HEALTH_CHECK_PATH`).
   *
   * @default {"/ping"}
   */
  healthPath?: string | undefined;
}

/**
 * A worker's routing as a web-standard handler: {@linkcode workerHandler} makes it.
 *
 * @example Draining
 * ```ts
 * import { type WorkerHandler, workerHandler } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const worker: WorkerHandler = workerHandler(() => new Response("hi"));
 * await worker.drain(); // nothing in flight: resolves at once
 * assert.equal((await worker.fetch(new Request("http://w/ping"))).status, 503);
 * ```
 */
export interface WorkerHandler {
  /** Answers one request: the health path, or the app's handler. */
  fetch(request: Request): Promise<Response>;
  /** How many of the app's requests are in flight (their answers not yet written). */
  readonly inFlight: number;
  /**
   * Stops taking requests (the health path and new requests answer 503,
   * which RunPod's proxy takes as unhealthy and no worker having taken them)
   * and resolves once every request in flight has been answered.
   */
  drain(): Promise<void>;
}

/**
 * Routes a load-balancing worker's requests: the health path answers 204
 * until `ready()` is true, then 200; any other path goes to `handler`. It
 * keeps count of the requests in flight so that `drain()` can wait for them.
 * `serve` runs it; use it alone to test a worker without a server.
 *
 * @param handler The app's handler (Hono's `app.fetch`, or any `(Request) => Response`).
 * @param options `ready` and the health path.
 * @returns The routing.
 *
 * @example Health while the model loads
 * ```ts
 * import { workerHandler } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * let modelLoaded = false;
 * const worker = workerHandler(() => Response.json({ text: "Hello" }), {
 *   ready: () => modelLoaded,
 * });
 * assert.equal((await worker.fetch(new Request("http://w/ping"))).status, 204);
 * modelLoaded = true;
 * assert.equal((await worker.fetch(new Request("http://w/ping"))).status, 200);
 * const answer = await worker.fetch(new Request("http://w/generate", { method: "POST" }));
 * assert.deepEqual(await answer.json(), { text: "Hello" });
 * ```
 */
export function workerHandler(
  handler: FetchHandler,
  options: WorkerHandlerOptions = {},
): WorkerHandler {
  if (typeof handler !== "function") {
    throw new TypeError(
      "Cannot serve: the handler must be a function (Request) => Response, such as Hono's app.fetch",
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot serve: options must be an object");
  }
  checkKnownKeys("serve", options, HANDLER_KEYS);
  const { ready = () => true, healthPath = LOAD_BALANCER.healthPath } = options;
  if (typeof ready !== "function") throw new TypeError("Cannot serve: ready must be a function");
  if (typeof healthPath !== "string" || !healthPath.startsWith("/")) {
    throw new TypeError(
      `Cannot serve: the health path must start with '/', received ${quote(healthPath)}`,
    );
  }
  let inFlight = 0;
  /** Set by the first drain(): every drain() call resolves with it. */
  let drained: Promise<void> | undefined;
  let idle: (() => void) | undefined;
  const done = () => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };
  return {
    get inFlight() {
      return inFlight;
    },
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (drained) return new Response("The worker is shutting down", { status: 503 });
      if (path === healthPath) {
        let healthy = false;
        try {
          healthy = await ready();
        } catch {
          // A ready() that throws: not ready yet.
        }
        return new Response(null, { status: healthy ? 200 : 204 });
      }
      inFlight++;
      let response: Response;
      try {
        response = await handler(request);
      } catch (error) {
        done();
        throw error;
      }
      if (response.body === null) {
        done();
        return response;
      }
      return new Response(counted(response.body, done), response);
    },
    drain() {
      return drained ??= inFlight === 0
        ? Promise.resolve()
        : new Promise((resolve) => (idle = resolve));
    },
  };
}

/** The body, passed on as it is read; `done` runs once, when it ends, fails or is cancelled. */
function counted(body: ReadableStream<Uint8Array>, done: () => void): ReadableStream<Uint8Array> {
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      done();
    }
  };
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          end();
          controller.close();
        } else controller.enqueue(next.value);
      } catch (error) {
        end();
        controller.error(error);
      }
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
}
