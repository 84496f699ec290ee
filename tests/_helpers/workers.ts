// The test workers, typed, shared by every test file: each is a RunPod-shaped
// worker for the emulator (`createEmulator({ worker })` or `setup({ worker })`)
// and sleeps on the emulator's clock, so a FakeClock runs it in no real time.
import type { EmulatorWorker, WorkerJob } from "../../testing.ts";

/**
 * Sleeps `ms` on the emulator's clock, then returns `output` (nothing when
 * omitted). A stopped job (cancel, executionTimeout, ttl) rejects the sleep.
 */
export function sleeper<O = undefined>(ms: number, output?: O): EmulatorWorker {
  return async ({ sleep }: WorkerJob): Promise<O | undefined> => {
    await sleep(ms);
    return output;
  };
}

/** Throws `new Error(message)` at once: the job ends FAILED with that message. */
export function failing(message = "the worker failed"): EmulatorWorker {
  return () => {
    throw new Error(message);
  };
}

/**
 * Fails its first job with "flaky", then returns `output`: a FAILED job that
 * `/retry` can complete.
 */
export function flaky<O>(output: O): EmulatorWorker {
  let calls = 0;
  return () => {
    if (++calls === 1) throw new Error("flaky");
    return output;
  };
}

/** Yields `horse photo 1` to `horse photo <count>`, one every `every` ms. */
export function photos(
  count: number,
  every: number,
): (job: WorkerJob) => AsyncGenerator<string, void, unknown> {
  return async function* ({ sleep }) {
    for (let i = 1; i <= count; i++) {
      await sleep(every);
      yield `horse photo ${i}`;
    }
  };
}

/** Yields `{ photo: 1 }` to `{ photo: <count> }`, one every `every` ms. */
export function photoRecords(
  count: number,
  every: number,
): (job: WorkerJob) => AsyncGenerator<{ photo: number }, void, unknown> {
  return async function* ({ sleep }) {
    for (let i = 1; i <= count; i++) {
      await sleep(every);
      yield { photo: i };
    }
  };
}
