// How much real time simulated time costs: N concurrent runSync() calls of
// 60 s jobs on the in-process emulator, all on one FakeClock, with the
// FakeClock of @runpod/sdk/testing and, side by side in the same run, the
// FakeClock it replaced (scripts/bench/_fake_clock_before.ts). Checks that
// both give the same results (every job COMPLETED, the same requests, the
// same simulated times) and prints a Markdown table.
//
//   deno task bench:clock [--jobs 500,4000] [--write]
//   (deno run --allow-sys --allow-read --allow-write scripts/bench/fake_clock.ts ...)
//
// --write also puts the table into docs/benchmarks.md (its "fake-clock" section).
import process from "node:process";
import runpodSdk from "../../mod.ts";
import type { Clock } from "../../src/clock.ts";
import { createEmulator, FakeClock } from "../../testing.ts";
import { FakeClockBefore } from "./_fake_clock_before.ts";
import { writeDocSection } from "./doc_section.ts";

type AutoClock = Clock & Disposable;

interface Run {
  clock: string;
  jobs: number;
  realMs: number;
  /** CPU time of the process (user + system, every thread: GC included) over the run, in ms. */
  cpuMs: number;
  simulatedMs: number;
  requests: number;
  completed: number;
  /** Simulated ms from the start to each job's end, sorted: compared across clocks. */
  ends: number[];
}

const JOB_MS = 60_000;

async function measure(name: string, make: () => AutoClock, jobs: number): Promise<Run> {
  using clock = make();
  await using emulator = createEmulator({
    clock,
    rateLimits: false, // the scenario holds 4,000 /runsync at once: RunPod allows 400
    workers: jobs,
    worker: async ({ sleep, input }) => {
      await sleep(JOB_MS);
      return input;
    },
  });
  // No pacing: this measures the clock on issue 13's scenario, 4,000 runSync
  // held at once (pacing would hold them 400 at a time, RunPod's /runsync limit).
  const endpoint = runpodSdk("test-key", {
    baseUrl: emulator.baseUrl,
    fetch: emulator.fetch,
    clock,
    pacing: false,
  })
    .endpoint<number, number>("test-endpoint");
  const start = clock.now();
  const real = performance.now();
  const cpu = process.cpuUsage();
  const results = await Promise.all(
    Array.from({ length: jobs }, async (_, n) => {
      const job = await endpoint.runSync({ input: n });
      if (job.output !== n) throw new Error(`job ${n}: output of another job`);
      return { job, end: clock.now() - start };
    }),
  );
  const realMs = performance.now() - real;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return {
    clock: name,
    jobs,
    realMs,
    cpuMs,
    simulatedMs: clock.now() - start,
    requests: emulator.countRequests(),
    completed: results.filter((r) => r.job.status === "COMPLETED").length,
    ends: results.map((r) => r.end).sort((a, b) => a - b),
  };
}

function same(a: Run, b: Run): boolean {
  return a.requests === b.requests && a.completed === b.completed &&
    a.simulatedMs === b.simulatedMs && a.ends.every((end, i) => end === b.ends[i]);
}

const i = Deno.args.indexOf("--jobs");
const counts = (i >= 0 ? Deno.args[i + 1] ?? "" : "500,4000").split(",").map(Number);
if (counts.some((n) => !Number.isInteger(n) || n < 1)) {
  throw new RangeError("--jobs must be a comma-separated list of positive integers");
}

const loadStart = Deno.loadavg();
const rows: string[] = [];
let failures = 0;
for (const jobs of counts) {
  const before = await measure("before", () => new FakeClockBefore(), jobs);
  const after = await measure("after", () => new FakeClock(), jobs);
  const ok = same(before, after) && after.completed === jobs;
  if (!ok) failures++;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  rows.push(
    `| ${jobs} | ${s(before.realMs)} (${s(before.cpuMs)}) | ${s(after.realMs)} (${
      s(after.cpuMs)
    }) | ${(before.realMs / after.realMs).toFixed(0)}× | ${
      s(after.simulatedMs)
    } | ${after.requests} | ${after.completed} COMPLETED | ${ok ? "same" : "**differ**"} |`,
  );
  console.error(
    `${jobs} jobs: before ${s(before.realMs)}, after ${s(after.realMs)}, ${
      ok ? "same results" : "RESULTS DIFFER"
    }`,
  );
}

const cores = navigator.hardwareConcurrency;
const table = `## Simulated time: FakeClock

Produced by \`deno task bench:clock --write\` (\`scripts/bench/fake_clock.ts\`) on ${
  new Date().toISOString().slice(0, 10)
} (Deno ${Deno.version.deno}, ${cores} cores, a shared machine): N concurrent \`runSync\` calls of ${
  JOB_MS / 1000
} s jobs on the in-process emulator (as many workers as jobs; the client's pacing off, so that all are held at once), client and emulator on one \`FakeClock\`, in one run with the \`FakeClock\` before this change (\`scripts/bench/_fake_clock_before.ts\`: one timer fired per turn, each turn two nested \`setTimeout(0)\`, which runtimes clamp to 4 ms) and after it (every due timer fired at once, turns taken with a fresh \`MessageChannel\` message). Both columns run today's emulator, whose job table (changed in the same commit as the clock) no longer scans every job on each request but keeps a queue per endpoint and expires results lazily; issue 13's 36 s for 4,000 jobs was the old clock on the old job table. CPU is the process's user + system time over the same span (all threads, garbage collection included): on a shared machine it says what the work costs when real time also counts waiting for a core. The machine's load average at the start: ${
  loadStart.map((l) => l.toFixed(2)).join(" ")
}. "Same results": the same request count, the same simulated end time of every job, every job COMPLETED.

| jobs | real time before (CPU) | real time after (CPU) | speed-up | simulated time | requests | jobs | results |
|---:|---:|---:|---:|---:|---:|---|---|
${rows.join("\n")}
`;
console.log(table);
if (Deno.args.includes("--write")) {
  const file = new URL("../../docs/benchmarks.md", import.meta.url);
  await writeDocSection(file, "fake-clock", table);
  console.error(`wrote the fake-clock section of ${file.pathname}`);
}
if (failures > 0) Deno.exitCode = 1;
