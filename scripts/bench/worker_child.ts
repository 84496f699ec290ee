// One worker-runtime benchmark run in a process of its own (see worker_runtime.ts):
//
//   deno run -A --v8-flags=--expose-gc scripts/bench/worker_child.ts '{"contender":"runtime",...}'
//
// Takes `jobs` no-op jobs from the protocol server at `base` and prints
// `RESULT {"seconds", "gaps", "heapMB"}`: the time to run and post them all, the
// gaps (ms) between a job's handler end and the next job's handler start (at
// concurrency 1), and with `memory` the heap after GC every tenth of the jobs.
import { start } from "../../worker.ts";

interface Task {
  contender: "runtime" | "loop";
  concurrency: number;
  jobs: number;
  base: string;
  memory?: boolean;
}

const task = JSON.parse(Deno.args[0]!) as Task;
const gc = (globalThis as { gc?: () => void }).gc;
const starts: number[] = [];
const ends: number[] = [];
const heapMB: number[] = [];
let ran = 0;
let allRan: () => void = () => {};
const allRanPromise = new Promise<void>((resolve) => (allRan = resolve));

/** The no-op handler: records its start and end; samples the heap every tenth of the jobs. */
function handler(): null {
  const i = ran++;
  if (task.concurrency === 1) starts[i] = performance.now();
  if (task.memory && gc && (i + 1) % Math.max(1, Math.floor(task.jobs / 10)) === 0) {
    gc();
    heapMB.push(Deno.memoryUsage().heapUsed / 1e6);
  }
  if (task.concurrency === 1) ends[i] = performance.now();
  if (ran === task.jobs) allRan();
  return null;
}

const t0 = performance.now();
if (task.contender === "runtime") {
  const handle = start({
    env: {
      RUNPOD_WEBHOOK_GET_JOB: `${task.base}/job-take/$ID?gpu=bench`,
      RUNPOD_WEBHOOK_POST_OUTPUT: `${task.base}/job-done/$RUNPOD_POD_ID/$ID?gpu=bench`,
      RUNPOD_WEBHOOK_PING: `${task.base}/ping/$RUNPOD_POD_ID?gpu=bench`,
      RUNPOD_POD_ID: "bench",
      RUNPOD_AI_API_KEY: "bench-key",
    },
    args: [],
    handleSignals: false,
    logger: { log: () => {} },
    concurrency: task.concurrency,
    handler,
  });
  await allRanPromise;
  await handle.stop(); // every result delivered
} else {
  // The minimal hand-written loop: take, run, post, take again; one loop per slot.
  const headers = { authorization: "bench-key" };
  const loop = async () => {
    while (true) {
      const res = await fetch(`${task.base}/job-take/bench?gpu=bench&job_in_progress=0`, {
        headers,
      });
      if (res.status !== 200) {
        await res.body?.cancel();
        return;
      }
      const job = await res.json() as { id: string };
      const output = handler();
      const posted = await fetch(`${task.base}/job-done/bench/${job.id}?gpu=bench&isStream=false`, {
        method: "POST",
        headers,
        body: JSON.stringify({ output }),
      });
      await posted.body?.cancel();
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, loop));
}
const seconds = (performance.now() - t0) / 1000;
const gaps: number[] = [];
for (let i = 1; i < starts.length; i++) gaps.push(starts[i]! - ends[i - 1]!);
console.log(`RESULT ${JSON.stringify({ seconds, gaps, heapMB, ran })}`);
