// --serve-api: this project's emulator served on a local port, with the
// handler as the worker of its one external endpoint (the engine running
// in-process against it over RunPod's worker protocol). runpod-python's bare
// routes (/run, /runsync, /status/{id}, /stream/{id}, /cancel/{id}) work
// without a key, as its --rp_serve_api does.
import type { Clock } from "../clock.ts";
import { readConfig } from "./_config.ts";
import { Engine } from "./_engine.ts";
import type { Log } from "./_logger.ts";
import type { Runtime, Served } from "./_runtime.ts";
import type { Handler } from "./types.ts";

/** The endpoint id of the local API. */
export const LOCAL_ENDPOINT = "local";
/** The port when `--port` is not given (runpod-python's). */
export const DEFAULT_API_PORT = 8000;

/** What serving the local API needs. */
export interface ServeApiOptions {
  handler: Handler;
  concurrency: number | ((current: number) => number);
  aggregate: boolean;
  clock: Clock;
  log: Log;
  hostname: string;
  port: number;
}

/** A served local API. */
export interface ServedApi {
  url: string;
  /** Drains the worker, then stops the server and the emulator. */
  close(): Promise<void>;
}

const BARE = /^\/(run|runsync|status|stream|cancel|retry|health|purge-queue)(\/|$)/;

/** Serves the emulator with `options.handler` as its worker. */
export async function serveApi(runtime: Runtime, options: ServeApiOptions): Promise<ServedApi> {
  const { createEmulator } = await import("../testing/emulator.ts");
  const apiKey = "local-key";
  const emulator = createEmulator({
    apiKey,
    clock: options.clock,
    endpoints: [{ id: LOCAL_ENDPOINT, external: true }],
  });
  const handler = (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (!BARE.test(url.pathname)) return emulator.handler(request);
    url.pathname = `/v2/${LOCAL_ENDPOINT}${url.pathname}`;
    const headers = new Headers(request.headers);
    headers.set("authorization", `Bearer ${apiKey}`);
    const init: RequestInit & { duplex?: string } = {
      method: request.method,
      headers,
      signal: request.signal,
    };
    if (request.body !== null) {
      init.body = request.body;
      init.duplex = "half";
    }
    return emulator.handler(new Request(url, init));
  };
  let served: Served;
  try {
    served = await runtime.serve(handler, options.hostname, options.port);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const config = readConfig(emulator.workerEnv(LOCAL_ENDPOINT, { workerId: "local-worker" }));
  const engine = new Engine({
    config: { ...config, takeUrl: config.takeUrl!, outputTemplate: config.outputTemplate! },
    handler: options.handler,
    concurrency: options.concurrency,
    aggregate: options.aggregate,
    refreshAll: false,
    fetch: emulator.fetch,
    clock: options.clock,
    log: options.log,
  });
  engine.start();
  options.log(
    "info",
    `serving the local API at ${served.url}: POST ${served.url}/runsync {"input": ...} (also /run, ` +
      `/status/{id}, /stream/{id}, /cancel/{id}), or the SDK and the runpod command with ` +
      `RUNPOD_BASE_URL=${served.url}/v2 RUNPOD_API_KEY=${apiKey} ENDPOINT_ID=${LOCAL_ENDPOINT}`,
  );
  return {
    url: served.url,
    async close() {
      await engine.drain();
      await served.close();
      await emulator.close();
    },
  };
}
