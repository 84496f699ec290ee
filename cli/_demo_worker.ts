// The worker of `--emulator` and `runpod emulator`: what a RunPod worker for
// trying the command would do, without a GPU.
import type { WorkerJob } from "../testing.ts";

/** The inputs the demo worker understands (any other input is echoed). */
export interface DemoInput {
  /** How long the job runs, in seconds (default 1), reporting progress as it goes. */
  seconds?: number;
  /** Yield this many stream items, one every `every` ms (default 250). */
  stream?: number;
  /** The pause between stream items, in ms. */
  every?: number;
  /** End FAILED with this message. */
  fail?: string;
}

/** The demo worker: echoes its input after `seconds`; `stream` yields items; `fail` fails. */
export function demoWorker(job: WorkerJob<unknown>): Promise<unknown> | AsyncGenerator<unknown> {
  const input = (typeof job.input === "object" && job.input !== null ? job.input : {}) as DemoInput;
  if (typeof input.stream === "number") return items(job, input.stream, input.every ?? 250);
  return work(job, input);
}

async function work(job: WorkerJob<unknown>, input: DemoInput): Promise<unknown> {
  const ms = Math.max(0, (typeof input.seconds === "number" ? input.seconds : 1) * 1_000);
  const steps = 4;
  for (let step = 1; step <= steps; step++) {
    job.progress(`step ${step} of ${steps}`);
    await job.sleep(ms / steps);
  }
  if (typeof input.fail === "string") throw new Error(input.fail);
  return { echo: job.input };
}

async function* items(job: WorkerJob<unknown>, count: number, every: number) {
  for (let i = 1; i <= count; i++) {
    await job.sleep(every);
    yield { item: i, of: count };
  }
}
