// `serve`: runs a load-balancing worker's HTTP server in Deno, Bun or Node,
// with RunPod's health contract (see _worker_handler.ts) and a drain on SIGTERM.
import { LOAD_BALANCER } from "../_runpod_facts.ts";
import { env, listen, type Listener, onSigterm } from "./_listen.ts";
import { type FetchHandler, workerHandler } from "./_worker_handler.ts";
import { checkKnownKeys, type KnownKeys, optionKeys } from "../_known_keys.ts";

/**
 * Options of {@linkcode serve}. Each defaults to RunPod's environment
 * variable, then to RunPod's default.
 *
 * @example Ports for a local run
 * ```ts
 * import type { ServeOptions } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const options: ServeOptions = { port: 8000, healthPort: 8001, ready: () => true };
 * assert.equal(options.port, 8000);
 * ```
 */
export interface ServeOptions {
  /**
   * Whether the worker is ready: the health path answers 204 until it returns true, then 200.
   *
   * @default {() => true}
   */
  ready?: (() => boolean | Promise<boolean>) | undefined;
  /**
   * The port of the app (0: any free port).
   *
   * @default {PORT, else 80}
   */
  port?: number | undefined;
  /**
   * The port of the health path, when it differs from `port` (RunPod's docs
   * disagree on its default: the same as `PORT`, or 80; set `PORT_HEALTH` to be sure).
   *
   * @default {PORT_HEALTH, else port}
   */
  healthPort?: number | undefined;
  /**
   * The health path.
   *
   * @default {HEALTH_CHECK_PATH, else "/ping"}
   */
  healthPath?: string | undefined;
  /**
   * The address to listen on: all interfaces, as RunPod's proxy needs.
   *
   * @default {"0.0.0.0"}
   */
  hostname?: string | undefined;
  /**
   * Whether SIGTERM drains the worker (health and new requests answer 503,
   * requests in flight finish) and then stops it.
   *
   * @default {true}
   */
  handleSignals?: boolean | undefined;
}

/**
 * A running worker server, as {@linkcode serve} resolves it.
 *
 * @example Stopping a worker
 * ```ts
 * import { serve, type WorkerServer } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const server: WorkerServer = await serve(() => new Response("hi"), {
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   handleSignals: false,
 * });
 * assert.ok(server.port > 0);
 * await server.shutdown();
 * await server.finished;
 * ```
 */
export interface WorkerServer {
  /** The app's port. */
  readonly port: number;
  /** The health path's port (the same as `port` unless `PORT_HEALTH` differs). */
  readonly healthPort: number;
  /** Drains (requests in flight finish, new ones answer 503), then stops the servers. */
  shutdown(): Promise<void>;
  /** Resolves once the servers have stopped. */
  readonly finished: Promise<void>;
  /** Same as {@linkcode WorkerServer.shutdown}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves a load-balancing worker: `handler` (Hono's `app.fetch`, or any
 * `(Request) => Response`) on `PORT`, and RunPod's health contract on
 * `HEALTH_CHECK_PATH` (`/ping`): 204 while the worker initializes, 200 once
 * `ready()` is true, on `PORT_HEALTH` when it differs from `PORT`. On
 * SIGTERM it drains: the health path and new requests answer 503, requests
 * in flight finish (streamed answers included), then the servers stop.
 * Runs in Deno (`Deno.serve`), Bun (`Bun.serve`) and Node (`node:http`).
 *
 * @param handler The app.
 * @param options `ready`, ports, health path, hostname, signals.
 * @returns The running server.
 *
 * @example A worker that is ready once its model has loaded
 * ```ts
 * import { serve } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * let modelLoaded = false;
 * const app = { fetch: (_request: Request) => Response.json({ text: "Hello" }) };
 * await using server = await serve(app.fetch, {
 *   ready: () => modelLoaded,
 *   port: 0, // tests: any free port (RunPod sets PORT)
 *   hostname: "127.0.0.1",
 *   handleSignals: false,
 * });
 * const base = `http://127.0.0.1:${server.port}`;
 * const health = async () => {
 *   const answer = await fetch(`${base}/ping`);
 *   await answer.body?.cancel();
 *   return answer.status;
 * };
 * assert.equal(await health(), 204); // initializing
 * modelLoaded = true;
 * assert.equal(await health(), 200); // ready
 * const answer = await fetch(`${base}/generate`, { method: "POST", body: "{}" });
 * assert.deepEqual(await answer.json(), { text: "Hello" });
 * ```
 */
export async function serve(
  handler: FetchHandler,
  options: ServeOptions = {},
): Promise<WorkerServer> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot serve: options must be an object");
  }
  checkKnownKeys("serve", options, SERVE_KEYS);
  const port = options.port ?? portOf("PORT") ?? LOAD_BALANCER.port;
  const healthPort = options.healthPort ?? portOf("PORT_HEALTH") ?? port;
  for (const [name, value] of [["port", port], ["healthPort", healthPort]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      throw new RangeError(`Cannot serve: ${name} must be a port number, received ${value}`);
    }
  }
  const healthPath = options.healthPath ?? env("HEALTH_CHECK_PATH") ?? LOAD_BALANCER.healthPath;
  const hostname = options.hostname ?? "0.0.0.0";
  const worker = workerHandler(handler, { ready: options.ready, healthPath });
  const servers: Listener[] = [await listen(worker.fetch, hostname, port)];
  // A separate health port answers the health path only.
  if (healthPort !== port) {
    try {
      servers.push(
        await listen(
          async (request) =>
            new URL(request.url).pathname === healthPath
              ? await worker.fetch(request)
              : new Response("Not found: this port answers the health path only", { status: 404 }),
          hostname,
          healthPort,
        ),
      );
    } catch (error) {
      await servers[0]!.close();
      throw error;
    }
  }
  let stopped: Promise<void> | undefined;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const stopSignals = options.handleSignals === false ? () => {} : onSigterm(() => void shutdown());
  const shutdown = () =>
    stopped ??= (async () => {
      stopSignals();
      await worker.drain();
      await Promise.all(servers.map((server) => server.close()));
      finish();
    })();
  return {
    port: servers[0]!.port,
    healthPort: servers[1]?.port ?? servers[0]!.port,
    shutdown,
    finished,
    [Symbol.asyncDispose]: shutdown,
  };
}

function portOf(name: string): number | undefined {
  const value = env(name);
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`Cannot serve: ${name} must be a port number, received '${value}'`);
  }
  return port;
}

/** The names of {@linkcode ServeOptions}: the compiler holds this list to the type. */
const SERVE_KEYS: KnownKeys = optionKeys<ServeOptions>({
  ready: 1,
  port: 1,
  healthPort: 1,
  healthPath: 1,
  hostname: 1,
  handleSignals: 1,
});
