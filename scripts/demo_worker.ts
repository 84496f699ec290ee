// The demo's TypeScript worker (step 12 of scripts/demo.ts): a real process
// running start() of @runpod/sdk/worker from the sources, started with the
// emulator's RUNPOD_* variables in its environment:
//
//   deno run --allow-net --allow-env scripts/demo_worker.ts
//
// {"prompt": "..."} renders after 300 ms, reporting progress; {"photos": N}
// yields N items, 150 ms apart; {"seconds": N} runs N seconds, or until the
// job is cancelled (RunPod's stop channel aborts ctx.signal).
import { type JobContext, start, type WorkerJob } from "../worker.ts";

type Input = { prompt?: string; photos?: number; seconds?: number };

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

start({
  concurrency: 2,
  handler(job: WorkerJob<Input>, ctx: JobContext) {
    const { prompt, photos, seconds } = job.input ?? {};
    if (photos) {
      return (async function* () {
        for (let i = 1; i <= photos; i++) {
          await pause(150, ctx.signal);
          yield { photo: i, caption: `horse photo ${i} of ${photos}, from process ${Deno.pid}` };
        }
      })();
    }
    return (async () => {
      if (seconds) {
        try {
          await pause(seconds * 1000, ctx.signal);
        } catch (error) {
          console.log(`job ${job.id}: stopped by RunPod's stop channel (${ctx.signal.reason})`);
          throw error;
        }
        return { slept: seconds };
      }
      await ctx.progress("warming up");
      await pause(300, ctx.signal);
      return { image: `a picture of ${prompt}`, pid: Deno.pid };
    })();
  },
});
