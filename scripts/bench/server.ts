// The emulator as the benchmark serves it: every request counted by route,
// and `/status-sync/{id}?wait=MS` (which runpod-sdk 1.1.2 polls after a
// `/runsync` that did not finish) answered as a held `/status`, the way
// runpod-sdk expects. The emulator itself answers that undocumented route 404,
// as RunPod may: see docs/benchmarks.md.
import { type Clock, delay, isTerminalStatus, realClock } from "../../mod.ts";
import { createEmulator, type Emulator } from "../../testing.ts";
import { type BenchInput, benchWorker } from "./worker.ts";

/** The API key and endpoint id the benchmark's emulator accepts. */
export const API_KEY = "test-key";
export const ENDPOINT = "test-endpoint";

/** How often the `/status-sync` shim looks at the job while it holds, in clock ms. */
const SHIM_STEP = 100;

type Forward = (request: Request) => Promise<Response>;

/** Requests counted by route (`"POST /runsync"`, `"GET /status-sync"`, ...). */
export class RouteCounts {
  #counts = new Map<string, number>();

  add(route: string): void {
    this.#counts.set(route, (this.#counts.get(route) ?? 0) + 1);
  }

  /** A copy of the counts so far. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** The counts since `before` (a snapshot), zero routes left out. */
  since(before: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [route, n] of this.#counts) {
      const d = n - (before[route] ?? 0);
      if (d > 0) out[route] = d;
    }
    return out;
  }
}

/** Sums a route-count record. */
export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Options of {@linkcode benchHandler}. */
export interface BenchHandlerOptions {
  /** Whether `/status-sync` is held like a `/status` poll (true) or passed on to the emulator (404). */
  statusSync?: boolean;
}

/**
 * A handler in front of `emulator` that counts requests and serves `/status-sync`.
 *
 * @param emulator The emulator.
 * @param clock The emulator's clock.
 * @param forward How a request reaches the emulator (its `fetch` or `handler`).
 * @param options Whether to serve `/status-sync`.
 * @returns The handler and its counts.
 */
export function benchHandler(
  emulator: Emulator<BenchInput>,
  clock: Clock,
  forward: Forward,
  options: BenchHandlerOptions = {},
): { handle: Forward; counts: RouteCounts } {
  const counts = new RouteCounts();
  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const match = /^\/v2\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
    counts.add(`${request.method} /${match?.[2] ?? url.pathname}`);
    if (match && match[2] === "status-sync" && match[3] && options.statusSync !== false) {
      return await statusSync(emulator, clock, forward, request, match[1], match[3]);
    }
    return await forward(request);
  };
  return { handle, counts };
}

async function statusSync(
  emulator: Emulator<BenchInput>,
  clock: Clock,
  forward: Forward,
  request: Request,
  endpointId: string,
  jobId: string,
): Promise<Response> {
  const asked = Number(new URL(request.url).searchParams.get("wait") ?? 90_000);
  const wait = Math.min(300_000, Math.max(1000, Number.isFinite(asked) ? asked : 90_000));
  const deadline = clock.now() + wait;
  for (let step = 0; step < 10_000; step++) {
    const job = emulator.job(jobId);
    if (!job || job.removed || isTerminalStatus(job.status) || clock.now() >= deadline) break;
    await delay(Math.min(SHIM_STEP, deadline - clock.now()), { clock });
  }
  const status = new URL(`/v2/${endpointId}/status/${jobId}`, request.url);
  return await forward(new Request(status, { headers: request.headers }));
}

/** The emulator served on loopback for the benchmark's client processes. */
export interface BenchServer extends AsyncDisposable {
  /** The base URL to give clients, such as `http://127.0.0.1:8123/v2`. */
  baseUrl: string;
  emulator: Emulator<BenchInput>;
  counts: RouteCounts;
  close(): Promise<void>;
}

/**
 * Serves the benchmark's emulator (real clock) with `Deno.serve` on 127.0.0.1, a free port.
 *
 * @returns The running server.
 */
export function startBenchServer(): BenchServer {
  const emulator = createEmulator<BenchInput>({
    apiKey: API_KEY,
    endpoints: [ENDPOINT],
    worker: benchWorker,
    workers: 2000,
    // The bench measures the client's overhead, not RunPod's limits.
    rateLimits: false,
    deepQueue: false,
  });
  let info: Deno.ServeHandlerInfo | undefined;
  const { handle, counts } = benchHandler(
    emulator,
    realClock,
    (request) => emulator.handler(request, info),
  );
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request, serveInfo) => {
      // Marks the requests as coming from Deno.serve, whose request.signal the emulator must not read.
      info = serveInfo;
      return handle(request);
    },
  );
  const close = async () => {
    await emulator.close();
    await server.shutdown();
  };
  return {
    baseUrl: `http://127.0.0.1:${server.addr.port}/v2`,
    emulator,
    counts,
    close,
    [Symbol.asyncDispose]: close,
  };
}
