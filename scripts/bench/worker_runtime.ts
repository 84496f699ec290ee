// The worker runtime against a minimal local protocol server, side by side
// with a minimal hand-written take/post loop (not yet wired into bench.ts):
//
//   deno run -A scripts/bench/worker_runtime.ts [jobs]
//
// Prints, per concurrency (1, 8, 64): no-op jobs per second for both, their
// ratio, and at concurrency 1 the gap between a job's result post and the
// next job's handler start (median and p99).
import { start } from "../../worker.ts";

const JOBS = Number(Deno.args[0] ?? 5000);

function server(total: number) {
  let next = 0;
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const postedAt = new Map<string, number>();
  const ac = new AbortController();
  const srv = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      if (url.pathname.includes("/job-take")) {
        const size = Number(url.searchParams.get("batch_size") ?? 1);
        const jobs = [];
        while (jobs.length < size && next < total) jobs.push({ id: `j${next++}`, input: null });
        if (jobs.length === 0) return new Response(null, { status: 204 });
        return Response.json(url.pathname.includes("batch") ? jobs : jobs[0]);
      }
      if (url.pathname.includes("/job-done/")) {
        await req.text();
        postedAt.set(url.pathname.split("/").pop()!, performance.now());
        if (++done === total) finished();
        return new Response(null);
      }
      if (url.pathname.includes("/job-stop/")) {
        await new Promise((resolve) => setTimeout(resolve, 30_000));
      }
      return new Response(null, { status: 204 });
    },
  );
  const base = `http://127.0.0.1:${srv.addr.port}/v2/ep`;
  return {
    env: {
      RUNPOD_WEBHOOK_GET_JOB: `${base}/job-take/$ID?gpu=x`,
      RUNPOD_WEBHOOK_POST_OUTPUT: `${base}/job-done/$RUNPOD_POD_ID/$ID?gpu=x`,
      RUNPOD_POD_ID: "w",
    },
    base,
    allDone,
    postedAt,
    close: async () => {
      ac.abort();
      await srv.finished.catch(() => {});
    },
  };
}

async function runtime(concurrency: number, total: number) {
  const s = server(total);
  const startedAt = new Map<string, number>();
  const t0 = performance.now();
  const handle = start({
    env: s.env,
    args: [],
    handleSignals: false,
    logger: { log: () => {} },
    concurrency,
    handler: (job) => {
      startedAt.set(job.id, performance.now());
      return null;
    },
  });
  await s.allDone;
  const seconds = (performance.now() - t0) / 1000;
  await handle.abort();
  await s.close();
  const gaps: number[] = [];
  for (let i = 1; i < total; i++) {
    const posted = s.postedAt.get(`j${i - 1}`);
    const began = startedAt.get(`j${i}`);
    if (posted !== undefined && began !== undefined) gaps.push(began - posted);
  }
  return { rate: total / seconds, gaps };
}

async function handWritten(concurrency: number, total: number) {
  const s = server(total);
  const t0 = performance.now();
  let stop = false;
  const loop = async () => {
    while (!stop) {
      const res = await fetch(`${s.base}/job-take/w?gpu=x&job_in_progress=0`);
      if (res.status !== 200) {
        await res.body?.cancel();
        if (res.status === 204) return;
        continue;
      }
      const job = await res.json();
      const out = await fetch(`${s.base}/job-done/w/${job.id}?gpu=x&isStream=false`, {
        method: "POST",
        body: JSON.stringify({ output: null }),
      });
      await out.body?.cancel();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  await s.allDone;
  stop = true;
  const seconds = (performance.now() - t0) / 1000;
  await s.close();
  return { rate: total / seconds };
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

for (const concurrency of [1, 8, 64]) {
  const hand = await handWritten(concurrency, JOBS);
  const rt = await runtime(concurrency, JOBS);
  console.log(
    `concurrency ${concurrency}: runtime ${rt.rate.toFixed(0)} jobs/s, hand-written loop ${
      hand.rate.toFixed(0)
    } jobs/s, ratio ${(rt.rate / hand.rate * 100).toFixed(0)}%` +
      (concurrency === 1
        ? `; result-to-next-start gap median ${pct(rt.gaps, 0.5).toFixed(2)} ms, p99 ${
          pct(rt.gaps, 0.99).toFixed(2)
        } ms`
        : ""),
  );
}
const before = Deno.memoryUsage().heapUsed;
await runtime(8, 20_000);
console.log(
  `heap after 20,000 more jobs: ${
    ((Deno.memoryUsage().heapUsed - before) / 1e6).toFixed(1)
  } MB change`,
);
