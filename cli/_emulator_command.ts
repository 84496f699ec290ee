// `runpod emulator`: serves the emulator with the demo worker on a loopback
// port, so that a session of commands (run --no-wait, then status, wait,
// cancel...) can share its jobs.
import { createEmulator, type Emulator } from "../testing.ts";
import type { Options } from "./_args.ts";
import { serveNode } from "../testing_node.ts";
import { EMULATOR_KEY } from "./_client.ts";
import { type Command, command, type Context, ENDPOINT_OPTION } from "./_context.ts";
import { demoWorker } from "./_demo_worker.ts";
import { EXIT, UsageError } from "./_exit.ts";

/** The options of `runpod emulator` (besides the global ones): a new one goes here. */
export const EMULATOR_OPTIONS = {
  ...ENDPOINT_OPTION,
  port: { type: "string", value: "PORT", help: "the port to listen on (default: a free one)" },
  external: {
    type: "boolean",
    help:
      "leave the jobs to worker processes, over RunPod's worker protocol; prints each endpoint's RUNPOD_* variables",
  },
} as const satisfies Options;

/** A context of `runpod emulator` (or of a command that serves an emulator the same way). */
export type EmulatorContext = Context<typeof EMULATOR_OPTIONS>;

/** `runpod emulator`. */
export const emulatorCommand: Command = command({
  name: "emulator",
  args: "",
  arity: [0, 0],
  summary: "serve a local emulator of both APIs on 127.0.0.1, with a demo worker",
  options: EMULATOR_OPTIONS,
  examples: [
    "runpod emulator --port 8123",
    "runpod emulator -e demo,other --json",
    "runpod emulator --external",
  ],
  details: `Prints the variables that point the other commands at it (stdout), e.g.
  RUNPOD_BASE_URL=http://127.0.0.1:8123/v2 RUNPOD_REST_URL=http://127.0.0.1:8123/rest/v2
  RUNPOD_API_KEY=${EMULATOR_KEY} ENDPOINT_ID=demo
and serves until Ctrl-C (exit 0). -e names its endpoints, comma-separated (default:
demo). The demo worker echoes its input after {"seconds": N} (default 1), reporting
progress; {"stream": N} yields N items, one every {"every": MS} (250); {"fail":
"message"} makes the job FAIL. 'runpod chat' gets its prompt echoed, word by word.
With --external there is no demo worker: jobs wait in the queue until a worker process
takes them over RunPod's worker protocol (runpod-python's serverless.start, or
@runpod/sdk/worker). One more line per endpoint gives the variables to start it with:
  ENDPOINT_ID=demo RUNPOD_WEBHOOK_GET_JOB=http://127.0.0.1:8123/v2/demo/job-take/$ID?gpu=emulated ...
(--json: one object per line with the same names).`,
  async run(ctx) {
    const endpoints = endpointsOf(ctx);
    const port = portOf(ctx);
    const external = ctx.values.external === true;
    await using emulator = createEmulator({
      apiKey: EMULATOR_KEY,
      endpoints: external ? endpoints.map((id) => ({ id, external: true })) : endpoints,
      workers: 2,
      worker: demoWorker,
    });
    return await serveUntilStopped(ctx, emulator, { endpoints, port, external });
  },
});

/** The endpoints -e names, comma-separated (default: demo). */
export function endpointsOf(ctx: EmulatorContext): string[] {
  return (ctx.values.endpoint ?? "demo").split(",").map((s) => s.trim()).filter(Boolean);
}

/** The port --port gives (default 0: a free one); checks that no other API was given. */
export function portOf(ctx: EmulatorContext): number {
  const port = Number(ctx.values.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port takes a port number (0 to 65535), not '${ctx.values.port}'`);
  }
  if (ctx.values.emulator || ctx.values["base-url"] !== undefined) {
    throw new UsageError(
      `'runpod ${ctx.command.name}' serves one: it takes neither --emulator nor --base-url`,
    );
  }
  return port;
}

/**
 * Serves `emulator` on 127.0.0.1, prints the variables that point the other
 * commands at it, and waits for Ctrl-C or SIGTERM. It then closes the server
 * with every connection still open (a held request is not waited for), and
 * resolves with exit code 0 as soon as they are closed.
 */
export async function serveUntilStopped(
  ctx: EmulatorContext,
  emulator: Emulator,
  { endpoints, port, external = false }: { endpoints: string[]; port: number; external?: boolean },
): Promise<number> {
  const server = await serveNode(emulator.handler, { hostname: "127.0.0.1", port });
  try {
    const origin = server.url;
    const baseUrl = `${origin}/v2`;
    const restUrl = `${origin}${new URL(emulator.restUrl).pathname}`;
    const variables =
      `RUNPOD_BASE_URL=${baseUrl} RUNPOD_REST_URL=${restUrl} RUNPOD_API_KEY=${EMULATOR_KEY} ENDPOINT_ID=${
        endpoints[0]
      }`;
    if (ctx.printer.json) {
      ctx.printer.printJsonLine({ baseUrl, restUrl, apiKey: EMULATOR_KEY, endpoints });
    } else {
      ctx.printer.data(variables);
    }
    if (external) {
      for (const id of endpoints) {
        const env = { ENDPOINT_ID: id, ...emulator.workerEnv(id, { baseUrl }) };
        if (ctx.printer.json) ctx.printer.printJsonLine(env);
        else {ctx.printer.data(
            Object.entries(env).map(([name, value]) => `${name}=${value}`).join(" "),
          );}
      }
    }
    ctx.printer.note(
      `Emulator serving endpoint${endpoints.length > 1 ? "s" : ""} ${
        endpoints.join(", ")
      } at ${origin} (Ctrl-C stops it). In another shell:\n  export ${variables}\n  runpod run --input '{"seconds":5}'`,
    );
    if (external) {
      ctx.printer.note(
        "Its jobs wait for worker processes: start one with its endpoint's line of variables (stdout) in its environment",
      );
    }
    await new Promise<void>((done) => {
      if (ctx.stop.signal.aborted) done();
      ctx.stop.signal.addEventListener("abort", () => done(), { once: true });
    });
    ctx.printer.note("Emulator stopped");
    return EXIT.ok;
  } finally {
    await server.close();
  }
}
