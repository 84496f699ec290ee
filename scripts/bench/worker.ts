// The worker the benchmark's emulator runs: it sleeps, or streams items
// stamped with the wall-clock time at which they were produced.
import type { WorkerJob } from "../../testing.ts";

/** What a benchmark job asks of the worker. */
export interface BenchInput {
  /** A plain job: sleep this many ms (on the emulator's clock), then return. */
  ms?: number;
  /** A streaming job: yield this many items. */
  items?: number;
  /** Sleep this many ms before each batch of items. */
  interval?: number;
  /** Items per batch. */
  batch?: number;
}

/** One streamed item: its index and the wall-clock time (ms, sub-ms precision) it was produced. */
export interface BenchItem {
  i: number;
  t: number;
}

/** Wall-clock time in ms with sub-millisecond precision, comparable across processes. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Sleeps `input.ms`, or streams `input.items` items in batches. */
export function benchWorker(job: WorkerJob<BenchInput>): unknown {
  const { ms = 0, items, interval = 0, batch = 1 } = job.input ?? {};
  if (items === undefined) return job.sleep(ms).then(() => ({ slept: ms }));
  return (async function* () {
    for (let i = 0; i < items; i++) {
      if (interval > 0 && i % batch === 0) await job.sleep(interval);
      yield { i, t: wallNow() } satisfies BenchItem;
    }
  })();
}
