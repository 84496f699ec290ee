// 10,000 submissions at RunPod's rate limits, several ways side by side in one
// run, each on its own in-process emulator and FakeClock (minutes of
// simulated time in seconds): Promise.all of raw fetch, Promise.all of the
// SDK's run() (without pacing, as before it, and with it), and runMany().
// Reports requests sent, 429 answers, failed submissions, duplicates,
// simulated time against the floor the limits allow, and peak heap.
//
// Called by scripts/load.ts (`deno task load`); alone:
//   deno run --v8-flags=--expose-gc --allow-read --allow-write scripts/load/submissions.ts [--count 10000] [--write]
import runpodSdk, { type Endpoint } from "../../mod.ts";
import { RATE_LIMITS as RATE_LIMIT_FACTS } from "../../src/_runpod_facts.ts";
import { createEmulator, type Emulator, FakeClock } from "../../testing.ts";
import { writeDocSection } from "../bench/doc_section.ts";

/** One way of submitting. */
export interface Contender {
  name: string;
  /** Submits every input; resolves with how many were refused or failed, and when the last submission settled. */
  submit(ctx: Context, count: number): Promise<{ failed: number; lastSubmitted: number }>;
}

/** What a contender gets. */
export interface Context {
  clock: FakeClock;
  emulator: Emulator<number>;
  fetch: typeof fetch;
  endpoint(options?: Parameters<typeof runpodSdk>[1]): Endpoint<number, number>;
}

/** The figures of one contender. */
export interface Row {
  name: string;
  requests: number;
  answered429: number;
  /** GET /status answered 429 (the polls of runMany). */
  status429: number;
  failed: number;
  duplicates: number;
  /** Simulated ms from the start until the last submission settled. */
  submittedMs: number;
  /** Simulated ms until every job was final (runMany only: the others do not wait). */
  finalMs?: number;
  floorMs: number;
  peakHeapMiB: number;
  realMs: number;
}

const JOB_MS = 1_000;
const WORKERS = 500;

const contenders: Contender[] = [
  {
    name: "Promise.all of raw fetch",
    async submit({ fetch, clock }, count) {
      let failed = 0;
      let last = 0;
      await Promise.all(Array.from({ length: count }, async (_, n) => {
        const answer = await fetch("https://api.runpod.ai/v2/load/run", {
          method: "POST",
          headers: { authorization: "Bearer test-key", "content-type": "application/json" },
          body: JSON.stringify({ input: n }),
        });
        await answer.body?.cancel();
        if (!answer.ok) failed++;
        last = clock.now();
      }));
      return { failed, lastSubmitted: last };
    },
  },
  sdkRun("Promise.all of run(), pacing: false (before pacing)", { pacing: false }),
  sdkRun("Promise.all of run() (default 30 s timeout)", {}),
  sdkRun("Promise.all of run({ timeout: 30000 })", {}, 30_000),
  {
    name: "runMany(), concurrency 1000",
    async submit({ endpoint, clock }, count) {
      let failed = 0;
      let last = 0;
      const requests = (function* () {
        for (let n = 0; n < count; n++) yield { input: n };
      })();
      const options = {
        concurrency: 1_000,
        onStatus: (job: { status: string }) => {
          if (job.status === "IN_QUEUE") last = clock.now();
        },
      };
      for await (const result of endpoint().runMany(requests, options)) {
        if (!result.job) failed++;
      }
      return { failed, lastSubmitted: last };
    },
  },
];

function sdkRun(name: string, options: { pacing?: false }, timeout?: number): Contender {
  return {
    name,
    async submit({ endpoint, clock }, count) {
      const client = endpoint(options);
      let failed = 0;
      let last = 0;
      await Promise.all(Array.from({ length: count }, async (_, n) => {
        try {
          await client.run({ input: n }, timeout);
        } catch {
          failed++;
        }
        last = clock.now();
      }));
      return { failed, lastSubmitted: last };
    },
  };
}

async function measure(contender: Contender, count: number): Promise<Row> {
  (globalThis as { gc?: () => void }).gc?.();
  using clock = new FakeClock();
  await using emulator = createEmulator<number>({
    clock,
    endpoints: ["load"],
    workers: WORKERS,
    worker: async ({ input, sleep }) => {
      await sleep(JOB_MS);
      return input;
    },
  });
  const fetch = emulator.fetch as typeof globalThis.fetch;
  const context: Context = {
    clock,
    emulator,
    fetch,
    endpoint: (options = {}) =>
      runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch, clock, ...options })
        .endpoint<number, number>("load"),
  };
  const baseline = Deno.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, Deno.memoryUsage().heapUsed);
  }, 20);
  const start = clock.now();
  const real = performance.now();
  try {
    const { failed, lastSubmitted } = await contender.submit(context, count);
    const end = clock.now();
    peak = Math.max(peak, Deno.memoryUsage().heapUsed);
    const inputs = emulator.jobs.map((job) => job.input as number);
    const requests = emulator.countRequests("POST /run");
    return {
      name: contender.name,
      requests,
      answered429: emulator.requests.filter((r) => r.route === "POST /run" && r.status === 429)
        .length,
      status429: emulator.requests.filter((r) => r.route === "GET /status" && r.status === 429)
        .length,
      failed,
      duplicates: inputs.length - new Set(inputs).size,
      submittedMs: lastSubmitted - start,
      ...(contender.name.startsWith("runMany") ? { finalMs: end - start } : {}),
      floorMs: count / RATE_LIMIT_FACTS.routes.run.rate * RATE_LIMIT_FACTS.window,
      peakHeapMiB: (peak - baseline) / 1024 / 1024,
      realMs: performance.now() - real,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** Runs every contender on `count` submissions; returns the rows and the Markdown section. */
export async function measureSubmissions(
  count: number,
): Promise<{ rows: Row[]; markdown: string }> {
  const rows: Row[] = [];
  for (const contender of contenders) {
    const row = await measure(contender, count);
    rows.push(row);
    console.error(
      `${row.name}: ${row.requests} requests, ${row.answered429} 429, ${row.failed} failed, ${row.duplicates} duplicates, ${
        (row.submittedMs / 1000).toFixed(1)
      } s simulated, ${(row.realMs / 1000).toFixed(1)} s real`,
    );
  }
  return { rows, markdown: markdownOf(rows, count) };
}

function markdownOf(rows: Row[], count: number): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const pct = (part: number, whole: number) =>
    whole === 0 ? "0%" : `${(100 * part / whole).toFixed(part === 0 ? 0 : 2)}%`;
  const floor = rows[0]!.floorMs;
  const lines = rows.map((r) =>
    `| ${r.name} | ${r.requests} | ${r.answered429} (${
      pct(r.answered429, r.requests)
    }) | ${r.failed} | ${r.duplicates} | ${s(r.submittedMs)} (${
      r.floorMs > 0 ? `${(r.submittedMs / r.floorMs).toFixed(2)}×` : "-"
    })${r.finalMs !== undefined ? `; all final at ${s(r.finalMs)}` : ""} | ${r.status429} | ${
      r.peakHeapMiB.toFixed(0)
    } MiB | ${s(r.realMs)} |`
  );
  return `## ${count.toLocaleString("en-US")} submissions at RunPod's rate limits

Produced by \`deno task load\` (its last part, \`scripts/load/submissions.ts\`; \`--write\` puts this section here) on ${
    new Date().toISOString().slice(0, 10)
  } (Deno ${Deno.version.deno}). Each way runs on its own in-process emulator (${WORKERS} workers, ${
    JOB_MS / 1000
  } s jobs) and \`FakeClock\`, with the emulator's rate limits on (its default: RunPod's documented limits per endpoint and route): \`/run\` ${RATE_LIMIT_FACTS.routes.run.rate} accepted per ${
    RATE_LIMIT_FACTS.window / 1000
  } s (a sliding window) and ${RATE_LIMIT_FACTS.routes.run.concurrent} in flight, \`/status\` ${RATE_LIMIT_FACTS.routes.status.rate} and ${RATE_LIMIT_FACTS.routes.status.concurrent}, a 429 without \`Retry-After\` beyond them (and its deep-queue 429, which ${WORKERS} workers never reach here). The floor: ${count} / ${RATE_LIMIT_FACTS.routes.run.rate} per ${
    RATE_LIMIT_FACTS.window / 1000
  } s = ${
    s(floor)
  } (as issue 13 counts it; a sliding window lets the first ${RATE_LIMIT_FACTS.routes.run.rate} go at once, so the last may go a window earlier). Requests count every \`POST /run\` sent, refused ones included; failed: submissions that never got a job id; duplicates: jobs enqueued more than once for one input; peak heap: \`Deno.memoryUsage().heapUsed\` sampled every 20 ms of real time, over the baseline before the way started.

| way | POST /run sent | answered 429 | failed | duplicates | simulated time to the last submission (× floor) | GET /status answered 429 | peak heap | real time |
|---|---:|---:|---:|---:|---|---:|---:|---:|
${lines.join("\n")}
`;
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--count");
  const count = i >= 0 ? Number(Deno.args[i + 1]) : 10_000;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError("--count must be a positive integer");
  }
  const { markdown } = await measureSubmissions(count);
  console.log(markdown);
  if (Deno.args.includes("--write")) {
    await writeDocSection(
      new URL("../../docs/benchmarks.md", import.meta.url),
      "load-submissions",
      markdown,
    );
  }
}
