/**
 * The worker side of RunPod serverless, for Node 20+, Deno and Bun:
 * `@runpod/sdk/worker`.
 *
 * A queue endpoint's worker: {@linkcode start} is the counterpart of
 * runpod-python's `runpod.serverless.start`, wire-compatible with RunPod's
 * worker protocol. It takes jobs the moment a slot frees (a held take; the
 * batch form when several slots are free), posts every result until it is
 * delivered, streams what a generator handler yields, sends heartbeats,
 * aborts `ctx.signal` when RunPod stops a job, and drains on SIGTERM. Without
 * RunPod's variables it runs the handler once on `--test-input` or
 * `./test_input.json`; `--serve-api [--port N]` serves this project's
 * emulator on that port with the handler as its worker.
 *
 * ```ts ignore
 * // handler.ts: deno run -A handler.ts, bun handler.ts, or node handler.mjs
 * import { start } from "@runpod/sdk/worker";
 *
 * start({
 *   handler: async (job, ctx) => ({ text: `hello ${job.input.name}` }),
 *   concurrency: 4,
 * });
 * ```
 *
 * A load-balancing endpoint's worker is an HTTP server: {@linkcode serve}
 * runs any web-standard handler (Hono's `app.fetch`, or any
 * `(Request) => Response`) with RunPod's health contract: the health path
 * (`HEALTH_CHECK_PATH`, `/ping`) answers 204 while the worker initializes and
 * 200 once `ready()` is true, on `PORT_HEALTH` when it differs from `PORT`;
 * SIGTERM drains the requests in flight. {@linkcode workerHandler} is the same
 * routing without a server, for tests.
 *
 * Nothing runs at import time; the engines use web standards only, and the
 * runtime (environment, arguments, signals, exit, the HTTP server) is reached
 * by feature detection.
 *
 * @example A load-balancing worker (in a real one, RunPod sets PORT: call serve(app.fetch, { ready }))
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
export { start } from "./src/worker/start.ts";
export type { Clock } from "./src/clock.ts";
export type {
  Handler,
  JobContext,
  LogLevel,
  StartOptions,
  WorkerHandle,
  WorkerJob,
  WorkerLogger,
} from "./src/worker/types.ts";
export { serve, type ServeOptions, type WorkerServer } from "./src/worker/serve.ts";
export {
  type FetchHandler,
  type WorkerHandler,
  workerHandler,
  type WorkerHandlerOptions,
} from "./src/worker/_worker_handler.ts";
