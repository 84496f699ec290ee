// A RunPod serverless worker in TypeScript (Deno): deno run -A handler.ts
import { start } from "jsr:@runpod/sdk@^0.1.0/worker";

start({
  handler: async (job, ctx) => {
    await ctx.progress({ step: "loading" });
    ctx.signal.throwIfAborted(); // RunPod cancelled or timed out the job
    return { text: `hello ${job.input.name}` };
  },
  concurrency: 1,
});
