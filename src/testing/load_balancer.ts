// What serves the emulator's load-balancing endpoints: a web-standard handler
// in process, or a worker's HTTP server at a URL; and its default, an echo.

/**
 * A worker's HTTP server as a web-standard handler (Hono's `app.fetch`, or
 * `workerHandler` of `@runpod/sdk/worker`): it answers the health path and
 * the worker's own paths.
 *
 * @example A handler with a health path
 * ```ts
 * import type { LoadBalancerHandler } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const handler: LoadBalancerHandler = (request) =>
 *   new URL(request.url).pathname === "/ping"
 *     ? new Response(null, { status: 200 })
 *     : Response.json({ ok: true });
 * assert.equal((await handler(new Request("http://worker/ping"))).status, 200);
 * ```
 */
export type LoadBalancerHandler = (request: Request) => Response | Promise<Response>;

/**
 * How the emulator serves its load-balancing endpoints (`type:
 * "LOAD_BALANCER"`, given to `createEmulator` or created with the management
 * API): the worker's server (a handler in process, or a URL), and the
 * timings of a cold start. RunPod's own numbers (2 min waiting for a worker,
 * 5.5 min of processing, 30 MB) are not options.
 *
 * @example A worker that takes 30 s to boot, then 10 s to load its model
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, FakeClock, type LoadBalancerEmulatorOptions } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * let loaded = false;
 * const options: LoadBalancerEmulatorOptions = {
 *   coldStart: 30_000,
 *   handler: (request) => {
 *     if (new URL(request.url).pathname !== "/ping") return Response.json({ loaded });
 *     clock.setTimer(() => (loaded = true), 10_000); // the first health check starts the load
 *     return new Response(null, { status: loaded ? 200 : 204 });
 *   },
 * };
 * await using emulator = createEmulator({
 *   clock,
 *   endpoints: [{ id: "llm", type: "LOAD_BALANCER" }],
 *   loadBalancer: options,
 * });
 * const lb = runpodSdk("test-key", { fetch: emulator.fetch, clock }).loadBalancer("llm");
 * assert.deepEqual(await lb.json("/state"), { loaded: true });
 * assert.ok(clock.now() >= 40_000);
 * ```
 */
export interface LoadBalancerEmulatorOptions {
  /**
   * The worker's server, in process: every worker of every load-balancing
   * endpoint calls it (requests arrive as `http://localhost/<path>`, without
   * the API key). Give this or `url`.
   *
   * @default {an echo: the health path answers 200, any other path the request as JSON}
   */
  handler?: LoadBalancerHandler;
  /**
   * The base URL of a worker's HTTP server that is running already (such as
   * `http://127.0.0.1:8000`): requests are forwarded there, without the API key.
   */
  url?: string;
  /**
   * The base URL of its health server, where it differs (`PORT_HEALTH`).
   *
   * @default {url}
   */
  healthUrl?: string;
  /**
   * The `fetch` that reaches `url`.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * The worker's health path (`HEALTH_CHECK_PATH`).
   *
   * @default {"/ping"}
   */
  healthPath?: string;
  /**
   * How long (ms, on the clock) a new worker takes before its server is
   * first asked for its health (the container's start).
   *
   * @default {0}
   */
  coldStart?: number;
  /**
   * How often (ms) a starting worker's health path is read until it answers
   * 200 (RunPod's interval is not documented).
   *
   * @default {1000}
   */
  healthInterval?: number;
}

/**
 * The default worker of load-balancing endpoints: the health path answers
 * 200, and any other path the request as JSON (`method`, `path`, `query`,
 * `body`: parsed JSON or text).
 *
 * @param request The request.
 * @returns The echo.
 *
 * @example
 * ```ts
 * import { echoServer } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const answer = await echoServer(
 *   new Request("http://worker/generate?n=1", { method: "POST", body: '{"prompt":"Hi"}' }),
 * );
 * assert.deepEqual(await answer.json(), {
 *   method: "POST",
 *   path: "/generate",
 *   query: "?n=1",
 *   body: { prompt: "Hi" },
 * });
 * ```
 */
export async function echoServer(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/ping" || url.pathname === "/health") {
    return new Response(null, { status: 200 });
  }
  const text = await request.text();
  let body: unknown = text === "" ? null : text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: echoed as text.
  }
  return Response.json({ method: request.method, path: url.pathname, query: url.search, body });
}
