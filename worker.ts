/**
 * The worker side of RunPod serverless: `@runpod/sdk/worker`.
 *
 * A load-balancing endpoint's worker is an HTTP server: {@linkcode serve}
 * runs any web-standard handler (Hono's `app.fetch`, or any
 * `(Request) => Response`) in Deno, Bun or Node with RunPod's health
 * contract: the health path (`HEALTH_CHECK_PATH`, `/ping`) answers 204 while
 * the worker initializes and 200 once `ready()` is true, on `PORT_HEALTH`
 * when it differs from `PORT`; SIGTERM drains the requests in flight.
 * {@linkcode workerHandler} is the same routing without a server, for tests.
 *
 * @example A worker (in a real one, RunPod sets PORT: call serve(app.fetch, { ready }))
 * ```ts
 * import { serve } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * let modelLoaded = false;
 * const app = { fetch: (_request: Request) => Response.json({ text: "Hello" }) };
 * await using server = await serve(app.fetch, {
 *   ready: () => modelLoaded,
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   handleSignals: false,
 * });
 * modelLoaded = true;
 * const health = await fetch(`http://127.0.0.1:${server.port}/ping`);
 * await health.body?.cancel();
 * assert.equal(health.status, 200);
 * ```
 *
 * @module
 */
export { serve, type ServeOptions, type WorkerServer } from "./src/worker/serve.ts";
export {
  type FetchHandler,
  type WorkerHandler,
  workerHandler,
  type WorkerHandlerOptions,
} from "./src/worker/_worker_handler.ts";
