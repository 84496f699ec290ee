// `runpod dev HANDLER_FILE`: the emulator served on 127.0.0.1, and the
// handler file running as a real worker process over RunPod's worker
// protocol (or, for a load-balancing worker, as the endpoint's HTTP server),
// restarted when a source file beside it changes.
import { createEmulator, type Emulator } from "../testing.ts";
import { serveNode } from "../testing_node.ts";
import { type Options, pick } from "./_args.ts";
import { EMULATOR_KEY } from "./_client.ts";
import { type Command, command, type Context } from "./_context.ts";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  evalCommand,
  freePort,
  startWorker,
  watchDirectory,
  workerCommand,
  type WorkerProcess,
} from "./_dev_process.ts";
import { EMULATOR_OPTIONS, type EmulatorContext, portOf } from "./_emulator_command.ts";
import { EXIT, UsageError } from "./_exit.ts";

/** The options of `runpod dev` (besides the global ones). */
export const DEV_OPTIONS = {
  ...pick(EMULATOR_OPTIONS, "endpoint", "port"),
  "load-balancer": {
    type: "boolean",
    help:
      "serve a load-balancing endpoint whose worker is the file's HTTP server (found on its own when the file imports serve from @runpod/sdk/worker or has export default { fetch })",
  },
} as const satisfies Options;

type DevContext = Context<typeof DEV_OPTIONS>;

/**
 * Whether `source` is a load-balancing worker: it imports `serve` from the
 * SDK's worker module (`@runpod/sdk/worker`, `jsr:@runpod/sdk/worker`, or a
 * path ending in `worker.ts`/`worker.js`).
 */
export function isLoadBalancerSource(source: string): boolean {
  return /\bimport\s*\{[^}]*\bserve\b[^}]*\}\s*from\s*["'][^"']*worker(?:\.[cm]?[jt]s)?["']/
    .test(source);
}

/**
 * Whether `source` exports a fetch handler as its default export (`export
 * default { fetch }`, as `deno serve` and Bun take it).
 */
export function exportsFetchHandler(source: string): boolean {
  return /\bexport\s+default\s*\{[^}]*\bfetch\b/.test(source);
}

/**
 * The module that runs a load-balancing worker which does not call serve()
 * itself: it imports `fileUrl` and, when its default export has a `fetch`,
 * serves that with serve() of `workerUrl` (PORT, PORT_HEALTH, the health path).
 */
export function fetchHandlerModule(fileUrl: string, workerUrl: string): string {
  return `const app = (await import(${JSON.stringify(fileUrl)})).default;
if (typeof app?.fetch === "function") {
  const { serve } = await import(${JSON.stringify(workerUrl)});
  await serve((request) => app.fetch(request), { hostname: "127.0.0.1" });
}`;
}

/** `@runpod/sdk/worker` beside this command: the sources' worker.ts, or the npm build's worker.js. */
const WORKER_MODULE = new URL(
  import.meta.url.endsWith(".ts") ? "../worker.ts" : "../worker.js",
  import.meta.url,
).href;

/** `runpod dev`. */
export const devCommand: Command = command({
  name: "dev",
  args: "HANDLER_FILE",
  arity: [1, 1],
  summary:
    "serve the emulator with HANDLER_FILE as its worker process, restarted when the file changes",
  options: DEV_OPTIONS,
  examples: [
    "runpod dev handler.ts",
    "runpod dev handler.mjs --port 8123 -e my-endpoint",
    "runpod dev server.ts --load-balancer",
  ],
  details: `Serves the emulator on 127.0.0.1 (as 'runpod emulator' does) with one endpoint
(-e ENDPOINT; default: dev, whatever ENDPOINT_ID says), and runs HANDLER_FILE as its
worker, a child process on the runtime this command runs on (deno run -A FILE, node
FILE, bun FILE; Node runs a .ts file from 22.6 on only), with RunPod's worker
variables in its environment: a worker that calls start() from @runpod/sdk/worker
takes the endpoint's jobs over RunPod's worker protocol. Prints the variables that point the other commands at the emulator
(stdout) and the line that calls the endpoint from code.
When a source file in the file's directory changes (.ts, .js, .mjs, .json...; not
its subdirectories), the worker gets SIGTERM (it finishes what it holds) and
starts again with the new code; jobs sent meanwhile wait in the queue. A worker that
exits on its own starts again at the next change. Ctrl-C or SIGTERM stops both (exit 0).
A file that imports serve from @runpod/sdk/worker, or whose default export has a fetch
(export default { fetch }: runpod dev serves it with serve()), or any file given with
--load-balancer, is a load-balancing worker: the endpoint is a LOAD_BALANCER one, the
worker gets PORT and PORT_HEALTH (free ports), and the emulator forwards the
endpoint's requests to it:
  ORIGIN/lb/ENDPOINT/<path>`,
  async run(ctx) {
    const file = ctx.args[0]!;
    const id = ctx.values.endpoint ?? "dev";
    if (!/^[A-Za-z0-9_-]+$/.test(id)) {
      throw new UsageError(`-e takes one endpoint id (letters, digits, _ and -), not '${id}'`);
    }
    const port = portOf(ctx as unknown as EmulatorContext);
    let source: string;
    try {
      source = await ctx.io.readFile(file);
    } catch (error) {
      throw new UsageError(
        `Cannot read '${file}' (${
          (error as Error).message.split("\n")[0]
        }): give the worker's file`,
        ctx.command.name,
      );
    }
    const servesItself = isLoadBalancerSource(source);
    const loadBalancer = ctx.values["load-balancer"] === true || servesItself ||
      exportsFetchHandler(source);
    const wrapped = loadBalancer && !servesItself;
    const cmd = wrapped
      ? evalCommand(fetchHandlerModule(pathToFileURL(resolve(file)).href, WORKER_MODULE), file)
      : workerCommand(file);
    const display = wrapped
      ? `serve() of the default export's fetch of ${file} (${cmd[0]})`
      : cmd.join(" ");
    const plan = { file, id, port, cmd, display };
    return loadBalancer ? await runLoadBalancer(ctx, plan) : await runQueue(ctx, plan);
  },
});

interface Plan {
  file: string;
  id: string;
  port: number;
  cmd: string[];
  /** The command as printed. */
  display: string;
}

/** A queue endpoint served to the worker over RunPod's worker protocol. */
async function runQueue(ctx: DevContext, plan: Plan): Promise<number> {
  await using emulator = createEmulator({
    apiKey: EMULATOR_KEY,
    endpoints: [{ id: plan.id, external: true }],
  });
  return await serveWith(ctx, emulator, plan, ({ origin }) => ({
    client: `runpodSdk("${EMULATOR_KEY}", { baseUrl: "${origin}/v2" }).endpoint("${plan.id}")`,
    env: (n) =>
      emulator.workerEnv(plan.id, { baseUrl: `${origin}/v2`, workerId: `dev-worker-${n}` }),
  }));
}

/** A load-balancing endpoint whose worker is the child's HTTP server. */
async function runLoadBalancer(ctx: DevContext, plan: Plan): Promise<number> {
  const appPort = await freePort();
  let healthPort = await freePort();
  while (healthPort === appPort) healthPort = await freePort();
  await using emulator = createEmulator({
    apiKey: EMULATOR_KEY,
    endpoints: [{ id: plan.id, type: "LOAD_BALANCER", workers: { max: 1 } }],
    loadBalancer: {
      url: `http://127.0.0.1:${appPort}`,
      healthUrl: `http://127.0.0.1:${healthPort}`,
      healthInterval: 200,
    },
  });
  return await serveWith(ctx, emulator, plan, ({ origin }) => ({
    client:
      `runpodSdk("${EMULATOR_KEY}", { loadBalancerUrl: "${origin}/lb/{endpointId}" }).loadBalancer("${plan.id}")`,
    env: () => ({
      PORT: String(appPort),
      PORT_HEALTH: String(healthPort),
      RUNPOD_ENDPOINT_ID: plan.id,
    }),
    loadBalancerUrl: `${origin}/lb/${plan.id}`,
  }));
}

interface Served {
  /** The line of code that calls the endpoint. */
  client: string;
  /** The environment of the worker's `n`th start. */
  env(n: number): Record<string, string>;
  /** Where a load-balancing endpoint is called. */
  loadBalancerUrl?: string;
}

/**
 * Serves the emulator, prints how to reach it, and keeps the worker running
 * (restarted on changes) until Ctrl-C or SIGTERM; then stops the worker (it
 * drains) and the server.
 */
async function serveWith(
  ctx: DevContext,
  emulator: Emulator,
  plan: Plan,
  describe: (at: { origin: string }) => Served,
): Promise<number> {
  const server = await serveNode(emulator.handler, { hostname: "127.0.0.1", port: plan.port });
  try {
    const origin = server.url;
    const baseUrl = `${origin}/v2`;
    const restUrl = `${origin}${new URL(emulator.restUrl).pathname}`;
    const served = describe({ origin });
    if (ctx.printer.json) {
      ctx.printer.printJsonLine({
        baseUrl,
        restUrl,
        apiKey: EMULATOR_KEY,
        endpoints: [plan.id],
        ...(served.loadBalancerUrl ? { loadBalancerUrl: served.loadBalancerUrl } : {}),
      });
    } else {
      ctx.printer.data(
        `RUNPOD_BASE_URL=${baseUrl} RUNPOD_REST_URL=${restUrl} RUNPOD_API_KEY=${EMULATOR_KEY} ENDPOINT_ID=${plan.id}`,
      );
    }
    ctx.printer.note(
      `Emulator serving ${
        served.loadBalancerUrl ? "load-balancing endpoint" : "endpoint"
      } ${plan.id} at ${origin}${
        served.loadBalancerUrl ? ` (${served.loadBalancerUrl}/<path>)` : ""
      }, its worker: ${plan.file}. Call it with\n  ${served.client}\n` +
        `The worker restarts when a source file beside ${plan.file} changes; Ctrl-C stops both.`,
    );
    await superviseWorker(ctx, plan, served);
    ctx.printer.note("Stopped");
    return EXIT.ok;
  } finally {
    await server.close();
  }
}

/** Runs the worker until the stop signal: restarted on each change, awaited on each stop. */
async function superviseWorker(ctx: DevContext, plan: Plan, served: Served): Promise<void> {
  const stopped = new Promise<"stop">((done) => {
    if (ctx.stop.signal.aborted) done("stop");
    ctx.stop.signal.addEventListener("abort", () => done("stop"), { once: true });
  });
  let wake: () => void = () => {};
  /** The next change of a watched file (a new promise for each run of the worker). */
  const nextChange = () => new Promise<"changed">((done) => wake = () => done("changed"));
  const unwatch = watchDirectory(plan.file, () => wake());
  const write = (text: string) => ctx.io.stderr.write(text);
  // A second Ctrl-C exits the command at once (see _stop.ts): the worker goes with it.
  let worker: WorkerProcess | undefined;
  let signals = 0;
  const offStop = ctx.io.onStop(() => {
    if (++signals >= 2) worker?.kill("SIGKILL");
  });
  try {
    for (let n = 1; !ctx.stop.signal.aborted; n++) {
      const changed = nextChange();
      worker = startWorker(plan.cmd, served.env(n), write);
      ctx.printer.note(`Worker ${n} started (pid ${worker.pid}): ${plan.display}`);
      const first = await Promise.race([worker.exited, changed, stopped]);
      if (first === "changed" || first === "stop") {
        ctx.printer.note(
          `${
            first === "stop" ? "Stopping" : `${plan.file} or a file beside it changed: restarting`
          }: SIGTERM to worker ${n} (it finishes what it holds)`,
        );
        worker.kill("SIGTERM");
        const end = await worker.exited;
        // Deno's node:child_process reports a child that exits 0 on SIGTERM as ended by it.
        ctx.printer.note(
          `Worker ${n} stopped${end.code !== null && end.code !== 0 ? ` (code ${end.code})` : ""}`,
        );
        continue;
      }
      ctx.printer.note(
        `Worker ${n} exited on its own (${
          describeExit(first)
        }): it starts again when ${plan.file} or a file beside it changes`,
      );
      await Promise.race([changed, stopped]);
    }
  } finally {
    offStop();
    unwatch();
  }
}

function describeExit({ code, signal }: { code: number | null; signal: string | null }): string {
  return signal ? `signal ${signal}` : `code ${code}`;
}
