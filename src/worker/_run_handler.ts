// Running a handler on one job, whatever its kind (sync, async, sync or
// async generator), to the body of its final post. Never rejects.
import type { Reporter } from "./_error_report.ts";
import {
  type FinalBody,
  returnedBody,
  streamEndBody,
  thrownBody,
  toJsonText,
} from "./_result_body.ts";
import { yieldedError } from "../_handler_values.ts";
import type { Handler, JobContext, WorkerJob } from "./types.ts";

/** How one handler run is set up. */
export interface HandlerRun {
  handler: Handler;
  reporter: Reporter;
  refreshAll: boolean;
  aggregate: boolean;
  /** Posts one stream item (JSON text of `{"output": item}`) and resolves once done with it. */
  streamItem(text: string): Promise<void>;
}

/** What a run ended with: the final body, and whether it was a stream (`isStream=true`). */
export interface HandlerOutcome {
  body: FinalBody;
  stream: boolean;
}

type AnyIterator = Iterator<unknown> | AsyncIterator<unknown>;

/** Runs `run.handler` on `job`; a throw, rejection or bad value becomes a failed body. */
export async function runHandler(
  run: HandlerRun,
  job: WorkerJob,
  ctx: JobContext,
): Promise<HandlerOutcome> {
  let value: unknown;
  try {
    value = run.handler(job, ctx);
    if (isIterator(value)) return { body: await drainStream(run, value, ctx.signal), stream: true };
    value = await value;
    // An async function may resolve to a generator: that is a stream too.
    if (isIterator(value)) return { body: await drainStream(run, value, ctx.signal), stream: true };
  } catch (thrown) {
    return { body: thrownBody(thrown, run.refreshAll, run.reporter), stream: false };
  }
  return { body: returnedBody(value, run.refreshAll, run.reporter), stream: false };
}

async function drainStream(
  run: HandlerRun,
  iterator: AnyIterator,
  signal: AbortSignal,
): Promise<FinalBody> {
  const items: unknown[] | undefined = run.aggregate ? [] : undefined;
  try {
    while (!signal.aborted) {
      const step = await iterator.next();
      if (step.done) break;
      const error = yieldedError(step.value);
      if (error) {
        await close(iterator);
        return streamEndBody(items, error.error, run.refreshAll, run.reporter);
      }
      const text = toJsonText({ output: step.value });
      if (text instanceof Error) {
        await close(iterator);
        return thrownBody(text, run.refreshAll, run.reporter);
      }
      items?.push(step.value);
      await run.streamItem(text);
    }
    if (signal.aborted) await close(iterator);
  } catch (thrown) {
    return thrownBody(thrown, run.refreshAll, run.reporter);
  }
  return streamEndBody(items, undefined, run.refreshAll, run.reporter);
}

/** Lets a generator run its `finally` blocks; what that throws is ignored. */
async function close(iterator: AnyIterator): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // The stream already ended; its clean-up failing changes nothing posted.
  }
}

/** A generator object (sync or async); arrays and other iterables are values, not streams. */
function isIterator(value: unknown): value is AnyIterator {
  return value !== null && typeof value === "object" &&
    typeof (value as { next?: unknown }).next === "function" &&
    (Symbol.asyncIterator in value || Symbol.iterator in value);
}
