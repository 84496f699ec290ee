// Printing log lines (pods and endpoint workers): as they come, from one or
// several streams at once; -f follows until Ctrl-C.
import type { LogLine, LogOptions } from "../mod.ts";
import { type Options, pick } from "./_args.ts";
import { choiceOf, FIELD_OPTIONS, intOf, timeOf } from "./_body.ts";
import type { Context } from "./_context.ts";
import { EXIT } from "./_exit.ts";

/** The options of a logs command (pods logs, endpoints logs). */
export const LOG_OPTIONS = {
  follow: { type: "boolean", short: "f", help: "keep printing new lines until Ctrl-C" },
  tail: { type: "string", value: "N", help: "how many past lines to print first (default 100)" },
  ...pick(FIELD_OPTIONS, "since"),
  source: { type: "string", value: "SOURCE", help: "only container or system lines" },
} as const satisfies Options;

/** The options of a logs command: --follow, --tail, --since, --source, and the stop signal. */
export function logOptions(ctx: Context<typeof LOG_OPTIONS>): LogOptions {
  const options: LogOptions = { signal: ctx.stop.signal };
  if (ctx.values.follow) options.follow = true;
  const tail = intOf(ctx, "tail");
  if (tail !== undefined) options.tail = tail;
  const since = timeOf(ctx, "since");
  if (since !== undefined) options.since = since;
  const source = choiceOf(ctx, "source", ["CONTAINER", "SYSTEM"]);
  if (source !== undefined) {
    options.source = source.toLowerCase() as NonNullable<LogOptions["source"]>;
  }
  return options;
}

/**
 * Prints the lines of `streams` as they arrive (each line labelled when there
 * are several). Resolves with the exit code: 0 when they end, or on Ctrl-C
 * while following.
 */
export async function printLogs(
  ctx: Context<Pick<typeof LOG_OPTIONS, "follow">>,
  streams: { label?: string; lines: AsyncGenerator<LogLine> }[],
): Promise<number> {
  const { printer } = ctx;
  let count = 0;
  const results = await Promise.allSettled(streams.map(async ({ label, lines }) => {
    for await (const line of lines) {
      count++;
      if (printer.json) {
        printer.printJsonLine(label === undefined ? line : { worker: label, ...line });
      } else {
        const source = printer.paint(printer.stdout, "dim", `${line.ts} ${line.source}`);
        printer.data(`${source} ${label === undefined ? "" : `${label} `}${line.line}`);
      }
    }
  }));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    if (ctx.stop.stopped && ctx.values.follow) return EXIT.ok;
    throw failed.reason;
  }
  if (count === 0) printer.note("(no log lines)");
  return EXIT.ok;
}
