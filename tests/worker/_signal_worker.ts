// A worker process for signals_test.ts: its handler waits until told to end
// (by the test's server answering /release) or until its signal aborts.
import { start } from "../../worker.ts";

start({
  handler: async (job, ctx) => {
    const base = String(job.input.release);
    const answer = await fetch(base, { signal: ctx.signal });
    return { released: await answer.text() };
  },
});
