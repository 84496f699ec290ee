// The worker runtime (`@runpod/sdk/worker`) beside a minimal hand-written
// take/run/post loop, against a minimal local protocol server served by this
// process; each run in a child process of its own (worker_child.ts), the two
// contenders alternating. Used by scripts/bench.ts (`--worker` runs it alone).
import { median, quantile } from "./stats.ts";

/** The worker section's figures. */
export interface WorkerResults {
  jobs: number;
  rounds: number;
  /** Jobs per second (median of the rounds) per concurrency. */
  throughput: { concurrency: number; runtime: number; loop: number; ratio: number }[];
  /** At concurrency 1: ms between a handler's end and the next handler's start. */
  gap: Record<"runtime" | "loop", { median: number; p99: number; samples: number }>;
  /** Heap after GC (MB), sampled every tenth of `jobs` jobs at concurrency 8. */
  memory: { jobs: number; heapMB: number[] };
}

/** Section config. */
export interface WorkerConfig {
  jobs: number;
  rounds: number;
  concurrencies: number[];
  memoryJobs: number;
}

/** A minimal protocol server: `total` jobs, then 204; results counted; stop polls held. */
function protocolServer(total: number) {
  let next = 0;
  let done = 0;
  const held = new AbortController();
  const ac = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    async (req) => {
      const url = new URL(req.url);
      const path = url.pathname;
      if (path.includes("/job-take")) {
        const size = Number(url.searchParams.get("batch_size") ?? 1);
        const jobs = [];
        while (jobs.length < size && next < total) jobs.push({ id: `j${next++}`, input: null });
        if (jobs.length === 0) return new Response(null, { status: 204 });
        return Response.json(path.includes("/job-take-batch/") ? jobs : jobs[0]);
      }
      if (path.includes("/job-done/")) {
        await req.text();
        done++;
        return new Response(null);
      }
      if (path.includes("/job-stop/")) {
        // Held, as RunPod holds it, until the run ends.
        await new Promise((resolve) => held.signal.addEventListener("abort", resolve));
        return new Response(null, { status: 204 });
      }
      return new Response(null);
    },
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}/v2/bench`,
    get done() {
      return done;
    },
    async close() {
      held.abort();
      ac.abort();
      await server.finished;
    },
  };
}

interface ChildResult {
  seconds: number;
  gaps: number[];
  heapMB: number[];
  ran: number;
}

async function child(
  contender: "runtime" | "loop",
  concurrency: number,
  jobs: number,
  memory = false,
): Promise<ChildResult> {
  const server = protocolServer(jobs);
  try {
    const task = JSON.stringify({ contender, concurrency, jobs, base: server.base, memory });
    const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--expose-gc", "scripts/bench/worker_child.ts", task],
      cwd: new URL("../../", import.meta.url).pathname,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(600_000),
    }).output();
    const out = new TextDecoder().decode(stdout);
    if (!success) throw new Error(`worker_child failed: ${new TextDecoder().decode(stderr)}`);
    const line = out.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) throw new Error(`no RESULT line in ${out.slice(-500)}`);
    const result = JSON.parse(line.slice(7)) as ChildResult;
    if (server.done < jobs) throw new Error(`${contender}: ${server.done} of ${jobs} results`);
    return result;
  } finally {
    await server.close();
  }
}

/** Runs the section; `log` prints progress lines. */
export async function benchWorkers(
  config: WorkerConfig,
  log: (line: string) => void,
): Promise<WorkerResults> {
  const throughput: WorkerResults["throughput"] = [];
  const gaps: Record<"runtime" | "loop", number[]> = { runtime: [], loop: [] };
  for (const concurrency of config.concurrencies) {
    const rates: Record<"runtime" | "loop", number[]> = { runtime: [], loop: [] };
    for (let round = 0; round < config.rounds; round++) {
      const order = round % 2 === 0 ? ["runtime", "loop"] as const : ["loop", "runtime"] as const;
      for (const contender of order) {
        const result = await child(contender, concurrency, config.jobs);
        rates[contender].push(config.jobs / result.seconds);
        if (concurrency === 1) gaps[contender].push(...result.gaps);
      }
    }
    const row = {
      concurrency,
      runtime: median(rates.runtime),
      loop: median(rates.loop),
      ratio: median(rates.runtime) / median(rates.loop),
    };
    throughput.push(row);
    log(
      `concurrency ${concurrency}: runtime ${row.runtime.toFixed(0)} jobs/s, hand-written loop ${
        row.loop.toFixed(0)
      } jobs/s (${(row.ratio * 100).toFixed(0)}%)`,
    );
  }
  const gap = {
    runtime: {
      median: median(gaps.runtime),
      p99: quantile(gaps.runtime, 0.99),
      samples: gaps.runtime.length,
    },
    loop: { median: median(gaps.loop), p99: quantile(gaps.loop, 0.99), samples: gaps.loop.length },
  };
  log(
    `gap at concurrency 1 (handler end to next start): runtime median ${
      gap.runtime.median.toFixed(3)
    } ms, p99 ${gap.runtime.p99.toFixed(3)} ms; hand-written loop median ${
      gap.loop.median.toFixed(3)
    } ms, p99 ${gap.loop.p99.toFixed(3)} ms`,
  );
  const mem = await child("runtime", 8, config.memoryJobs, true);
  log(
    `heap after GC over ${config.memoryJobs} jobs (MB): ${
      mem.heapMB.map((m) => m.toFixed(1)).join(" ")
    }`,
  );
  return {
    jobs: config.jobs,
    rounds: config.rounds,
    throughput,
    gap,
    memory: { jobs: config.memoryJobs, heapMB: mem.heapMB },
  };
}

if (import.meta.main) {
  const jobs = Number(Deno.args[0] ?? 5000);
  await benchWorkers(
    { jobs, rounds: 1, concurrencies: [1, 8, 64], memoryJobs: jobs * 2 },
    (line) => console.log(line),
  );
}

/** A flat-memory verdict for the worker allows this much heap growth (MB) from the first sample. */
const FLAT_WORKER_HEAP_MB = 2;

/** The worker section's rows of the targets table. */
export function workerVerdicts(
  w: WorkerResults,
): { target: string; figure: string; met: boolean | undefined }[] {
  const ratios = w.throughput.map((t) => `${t.concurrency}: ${(t.ratio * 100).toFixed(0)}%`);
  const growth = (w.memory.heapMB.at(-1) ?? NaN) - (w.memory.heapMB[0] ?? NaN);
  return [
    {
      target: "Worker: result-to-next-job gap at concurrency 1 ≤ 5 ms (median and p99)",
      figure: `median ${w.gap.runtime.median.toFixed(2)} ms, p99 ${
        w.gap.runtime.p99.toFixed(2)
      } ms (hand-written loop: ${w.gap.loop.median.toFixed(2)} / ${w.gap.loop.p99.toFixed(2)} ms)`,
      met: w.gap.runtime.median <= 5 && w.gap.runtime.p99 <= 5,
    },
    {
      target: "Worker: no-op jobs/s ≥ 90% of a hand-written take/post loop (concurrency 1, 8, 64)",
      figure: ratios.join(", "),
      met: w.throughput.every((t) => t.ratio >= 0.9),
    },
    {
      target: `Worker: heap flat over ${w.memory.jobs.toLocaleString("en")} jobs`,
      figure: `${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MB from the first sample to the last`,
      met: Number.isFinite(growth) ? growth <= FLAT_WORKER_HEAP_MB : undefined,
    },
  ];
}

/** The worker section of docs/benchmarks.md. */
export function workerReport(w: WorkerResults): string[] {
  return [
    "## Worker runtime: `@runpod/sdk/worker` beside a hand-written loop",
    "",
    `A minimal protocol server (\`Deno.serve\` in the bench process: \`/job-take/\` and \`/job-take-batch/\` answer a job at once while there are any, \`/job-done/\` counts results, \`/job-stop/\` is held) and no-op jobs; each run in a child process of its own, \`start()\` (with its heartbeat and stop channel) and a minimal hand-written loop (one take, run, post, take again per slot) alternating, ${w.rounds} rounds of ${
      w.jobs.toLocaleString("en")
    } jobs each; jobs/s is the median of the rounds, counted until the last result is delivered. The gap is the time from a handler's end to the next handler's start at concurrency 1, over every job of every round.`,
    "",
    "| concurrency | start() jobs/s | hand-written loop jobs/s | start() / loop |",
    "|---:|---:|---:|---:|",
    ...w.throughput.map((t) =>
      `| ${t.concurrency} | ${t.runtime.toFixed(0)} | ${t.loop.toFixed(0)} | ${
        (t.ratio * 100).toFixed(0)
      }% |`
    ),
    "",
    "| gap at concurrency 1 | median (ms) | p99 (ms) | samples |",
    "|---|---:|---:|---:|",
    ...(["runtime", "loop"] as const).map((k) =>
      `| ${k === "runtime" ? "start()" : "hand-written loop"} | ${w.gap[k].median.toFixed(3)} | ${
        w.gap[k].p99.toFixed(3)
      } | ${w.gap[k].samples} |`
    ),
    "",
    `Heap after GC (MB) every ${(w.memory.jobs / 10).toLocaleString("en")} jobs of ${
      w.memory.jobs.toLocaleString("en")
    } at concurrency 8: ${w.memory.heapMB.map((m) => m.toFixed(1)).join(", ")}.`,
  ];
}
