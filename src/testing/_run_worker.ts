import type { EmulatorWorker, WorkerJob } from "./worker.ts";

/** What a running worker reports to the job table. */
export interface WorkerReports {
  /** Whether the job still wants reports from this run (not cancelled, timed out, gone). */
  current(): boolean;
  /** A generator yielded `output`. */
  item(output: unknown): void;
  /** The worker returned (`streamed`: it was a generator and `output` is the array of its items). */
  complete(output: unknown, streamed: boolean): void;
  /** The worker threw. */
  fail(error: unknown): void;
}

/** Runs `worker` on `job` to its end, reporting what it produces; never rejects. */
export async function runWorker(
  worker: EmulatorWorker,
  job: WorkerJob,
  reports: WorkerReports,
): Promise<void> {
  try {
    const result = await worker(job);
    if (!isAsyncIterable(result)) {
      reports.complete(result, false);
      return;
    }
    const items: unknown[] = [];
    for await (const output of result) {
      if (!reports.current()) return;
      items.push(output);
      reports.item(output);
    }
    reports.complete(items, true);
  } catch (error) {
    if (reports.current()) reports.fail(errorMessage(error));
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === "object" &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

function errorMessage(error: unknown): unknown {
  if (error instanceof Error) return error.message;
  return error;
}
