// A RunPod serverless worker in JavaScript (Node 20+ or Bun): node handler.mjs
import { start } from "@runpod/sdk/worker";

start({
  handler: async (job, ctx) => {
    await ctx.progress({ step: "loading" });
    ctx.signal.throwIfAborted(); // RunPod cancelled or timed out the job
    return { text: `hello ${job.input.name}` };
  },
  concurrency: 1,
});
