import {
  generatorRaisedError,
  raisedError,
  returnedResult,
  splitStreamItem,
  type WorkerResult,
} from "./_results.ts";
import { yieldedError } from "../_handler_values.ts";
import type { EmulatorWorker, WorkerJob } from "./worker.ts";

/** What a running worker reports to the job table. */
export interface WorkerReports {
  /** Whether the job still wants reports from this run (not cancelled, timed out, gone). */
  current(): boolean;
  /** A generator yielded an item (already split to RunPod's stream item size). */
  item(output: unknown): void;
  /** The job ended, as runpod-python reports it. */
  end(result: WorkerResult): void;
}

/**
 * Runs `worker` on `job` to its end, reporting what it produces the way
 * runpod-python's worker loop does; never rejects.
 *
 * - A plain handler: its return value is the result (see `returnedResult`);
 *   a throw fails the job with runpod-python's JSON error report.
 * - A generator: each yield is a stream item; a yielded object with a truthy
 *   `error` ends the job FAILED with that error and is not streamed; a throw
 *   fails it with `"handler: ... \ntraceback: ..."`. The final output is the
 *   array of the items when `aggregate` (`return_aggregate_stream`), else `[]`.
 */
export async function runWorker(
  worker: EmulatorWorker,
  job: WorkerJob,
  workerId: string,
  aggregate: boolean,
  reports: WorkerReports,
): Promise<void> {
  let generator = false;
  try {
    const result = await worker(job);
    if (!isAsyncIterable(result)) {
      if (reports.current()) reports.end(returnedResult(result));
      return;
    }
    generator = true;
    const items: unknown[] = [];
    for await (const output of result) {
      if (!reports.current()) return;
      const failed = yieldedError(output);
      if (failed) {
        reports.end({ status: "FAILED", error: failed.error });
        return;
      }
      if (aggregate) items.push(output);
      for (const piece of splitStreamItem(output)) reports.item(piece);
    }
    if (reports.current()) reports.end(returnedResult(items));
  } catch (error) {
    if (!reports.current()) return;
    reports.end({
      status: "FAILED",
      error: generator ? generatorRaisedError(error) : raisedError(error, workerId),
    });
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}
