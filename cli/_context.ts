// What every command gets: the parsed line, the printer, the stop signal,
// and the client (opened on first use).
import type { CommandSpec, Options, ValuesOf } from "./_args.ts";
import type { Client } from "./_client.ts";
import { UsageError } from "./_exit.ts";
import type { Io } from "./_io.ts";
import type { Printer } from "./_output.ts";
import { parseDuration } from "./_args.ts";
import type { Stopper } from "./_stop.ts";

/** What a command runs with; `values` holds the options of table `O` and the global ones. */
export interface Context<O extends Options = Options> {
  io: Io;
  printer: Printer;
  values: ValuesOf<O>;
  /** The positional arguments after the command's name. */
  args: string[];
  command: CommandSpec;
  stop: Stopper;
  /** The client; the in-process emulator (--emulator) serves `endpointIds`. */
  client(endpointIds?: string[]): Promise<Client>;
}

/** A command: its spec and what it does; resolves with the exit code. */
export interface Command<O extends Options = Options> extends CommandSpec<O> {
  run(ctx: Context<O>): Promise<number>;
}

/**
 * A command, with its options declared beside it: `ctx.values` is typed by
 * them (and the global options).
 */
export function command<const O extends Options>(spec: Command<O>): Command {
  return spec as unknown as Command;
}

/** `-e, --endpoint`: the endpoint of a job command (read by `endpointOf` and `jobOf`). */
export const ENDPOINT_OPTION = {
  endpoint: {
    type: "string",
    short: "e",
    value: "ENDPOINT",
    help: "the endpoint id (default: the ENDPOINT_ID variable; or write ENDPOINT/JOB)",
  },
} as const satisfies Options;

/** `--interval`: how often `health --watch` and `endpoints update --wait-ready` look again. */
export const INTERVAL_OPTION = {
  interval: {
    type: "string",
    value: "DURATION",
    help: "how often --watch refreshes (default 2s)",
  },
} as const satisfies Options;

/** `--execution-timeout`: a job's (run) or an endpoint's (endpoints create) executionTimeout. */
export const EXECUTION_TIMEOUT_OPTION = {
  "execution-timeout": {
    type: "string",
    value: "DURATION",
    help: "policy.executionTimeout: the job ends TIMED_OUT after running this long on RunPod",
  },
} as const satisfies Options;

/** The endpoint a command works on: its argument, else -e, else ENDPOINT_ID. */
export function endpointOf(ctx: Context<typeof ENDPOINT_OPTION>, arg: string | undefined): string {
  const flag = ctx.values.endpoint;
  if (arg !== undefined && flag !== undefined && arg !== flag) {
    throw new UsageError(
      `Two endpoints were given: '${arg}' and -e '${flag}': keep one`,
      ctx.command.name,
    );
  }
  const id = arg ?? flag ?? nonEmpty(ctx.io.env("ENDPOINT_ID"));
  if (id === undefined) {
    throw new UsageError(
      `Which endpoint? Write it after the command (${
        ctx.command.examples[0]
      }), pass -e ENDPOINT, or set ENDPOINT_ID`,
      ctx.command.name,
    );
  }
  return id;
}

/** A job given as `ENDPOINT/JOB`, or as `JOB` with -e ENDPOINT or ENDPOINT_ID. */
export function jobOf(
  ctx: Context<typeof ENDPOINT_OPTION>,
  arg: string,
): { endpointId: string; jobId: string } {
  const slash = arg.indexOf("/");
  if (slash >= 0) {
    const endpointId = arg.slice(0, slash);
    const jobId = arg.slice(slash + 1);
    if (endpointId === "" || jobId === "" || jobId.includes("/")) {
      throw new UsageError(
        `'${arg}' is not a job reference: write ENDPOINT/JOB (as 'runpod run --no-wait' prints it), or JOB with -e ENDPOINT`,
        ctx.command.name,
      );
    }
    return { endpointId: endpointOf(ctx, endpointId), jobId };
  }
  const flag = ctx.values.endpoint ?? nonEmpty(ctx.io.env("ENDPOINT_ID"));
  if (flag === undefined) {
    throw new UsageError(
      `Which endpoint is job '${arg}' on? Write ENDPOINT/${arg}, pass -e ENDPOINT, or set ENDPOINT_ID`,
      ctx.command.name,
    );
  }
  return { endpointId: flag, jobId: arg };
}

/** The --timeout given, in ms. */
export function timeoutOf(ctx: Context): number | undefined {
  const text = ctx.values.timeout;
  return text === undefined ? undefined : parseDuration(text, "--timeout");
}

/** Call options for a single request: the stop signal and --timeout. */
export function callOf(ctx: Context): { signal: AbortSignal; timeout?: number } {
  const timeout = timeoutOf(ctx);
  return timeout === undefined ? { signal: ctx.stop.signal } : { signal: ctx.stop.signal, timeout };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Reads a JSON argument: the JSON itself, `@file.json`, or `-` for stdin. */
export async function readJsonArg(ctx: Context, text: string, option: string): Promise<unknown> {
  let source = text;
  let from = option;
  if (text === "-") {
    source = await ctx.io.readStdin();
    from = `${option} - (stdin)`;
  } else if (text.startsWith("@")) {
    const path = text.slice(1);
    try {
      source = await ctx.io.readFile(path);
    } catch (error) {
      throw new UsageError(
        `Cannot read '${path}' given to ${option} (${
          (error as Error).message.split("\n")[0]
        }): check the path after the @`,
        ctx.command.name,
      );
    }
    from = `the file '${path}' given to ${option}`;
  }
  return parseJson(ctx, source, from, option);
}

/** Parses JSON, or throws a UsageError that shows how to quote it. */
export function parseJson(ctx: Context, source: string, from: string, option: string): unknown {
  if (source.trim() === "") {
    throw new UsageError(
      `${from} is empty: give JSON, e.g. ${option} '{"prompt":"a horse"}'`,
      ctx.command.name,
    );
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new UsageError(
      `${from} is not JSON (${
        (error as Error).message
      }): quote it for the shell, e.g. ${option} '{"prompt":"a horse"}', or give a file with ${option} @input.json`,
      ctx.command.name,
    );
  }
}
