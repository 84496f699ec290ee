// Printing log lines (pods and endpoint workers): as they come, from one or
// several streams at once; -f follows until Ctrl-C.
import type { LogLine, LogOptions } from "../mod.ts";
import { choiceOf, intOf, timeOf } from "./_body.ts";
import type { Context } from "./_context.ts";
import { EXIT } from "./_exit.ts";

/** The options of a logs command: --follow, --tail, --since, --source, and the stop signal. */
export function logOptions(ctx: Context): LogOptions {
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
  ctx: Context,
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
