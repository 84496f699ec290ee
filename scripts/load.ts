// Load run: the emulator served on loopback (Deno.serve, 127.0.0.1, a free
// port), then 5,000 concurrent run() + waitFor() and 200 concurrent streams
// of 1,000 items each. Checks that every result arrives exactly once, in
// order, without error and that no job is enqueued twice; samples
// Deno.memoryUsage() and reports the peaks and wall times.
//
//   deno task load [--jobs 5000] [--streams 200] [--items 1000] [--submissions 10000]
//                  [--only submissions] [--write]
//
// Then 10,000 submissions at RunPod's rate limits, several ways side by side
// (scripts/load/submissions.ts, in process on a FakeClock); --write puts that
// table into docs/benchmarks.md.
//
// Bounded: at most --deadline seconds (default 240), loopback only.
import runpodSdk from "../mod.ts";
import { createEmulator } from "../testing.ts";
import { writeDocSection } from "./bench/doc_section.ts";
import { measureSubmissions } from "./load/submissions.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`--${name} must be a positive integer`);
  }
  return value;
}

const JOBS = flag("jobs", 5_000);
const STREAMS = flag("streams", 200);
const ITEMS = flag("items", 1_000);
const DEADLINE_S = flag("deadline", 240);
const SUBMISSIONS = flag("submissions", 10_000);
const ONLY_SUBMISSIONS = Deno.args.join(" ").includes("--only submissions");

if (ONLY_SUBMISSIONS) {
  const { markdown } = await measureSubmissions(SUBMISSIONS);
  console.log(markdown);
  if (Deno.args.includes("--write")) {
    await writeDocSection(
      new URL("../docs/benchmarks.md", import.meta.url),
      "load-submissions",
      markdown,
    );
  }
  Deno.exit(0);
}

function worker(
  { input, sleep }: { input: unknown; sleep(ms: number): Promise<void> },
): unknown {
  const { items, n } = input as { items?: number; n?: number };
  if (!items) return { n };
  return (async function* () {
    for (let i = 0; i < items; i++) {
      // Bursts of 50 items, 5 ms apart: the streams drain over many polls.
      if (i % 50 === 0) await sleep(5);
      yield i;
    }
  })();
}

const memory = { rss: 0, heapUsed: 0 };
function sample(): void {
  const { rss, heapUsed } = Deno.memoryUsage();
  memory.rss = Math.max(memory.rss, rss);
  memory.heapUsed = Math.max(memory.heapUsed, heapUsed);
}
const sampler = setInterval(sample, 50);
const deadline = setTimeout(() => {
  console.error(`load: not done within ${DEADLINE_S} s: giving up`);
  Deno.exit(2);
}, DEADLINE_S * 1000);

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const failures: string[] = [];

// A load run measures the SDK and the emulator under load, not RunPod's limits.
const emulator = createEmulator({
  worker,
  workers: JOBS + STREAMS,
  rateLimits: false,
  deepQueue: false,
});
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
const baseUrl = `http://127.0.0.1:${server.addr.port}/v2`;
// Parts 1 and 2 measure the SDK and the emulator over loopback as fast as they
// go, so the client's pacing is off (5,000 /run at RunPod's 1,000 per 10 s
// would take 50 s of real time); part 3 measures submissions at the limits.
const endpoint = runpodSdk("test-key", { baseUrl, pacing: false }).endpoint<
  { n?: number; items?: number }
>("test-endpoint");
sample();
const baseline = { ...memory };

// 1. 5,000 concurrent run() + waitFor().
const started = performance.now();
const results = await Promise.allSettled(
  Array.from({ length: JOBS }, async (_, n) => {
    const { id } = await endpoint.run({ input: { n } });
    const job = await endpoint.waitFor(id, 120_000);
    return { n, id, job };
  }),
);
const jobsMs = performance.now() - started;
const seenIds = new Set<string>();
const seenN = new Set<number>();
for (const result of results) {
  if (result.status === "rejected") {
    failures.push(`run + waitFor: ${result.reason}`);
    continue;
  }
  const { n, id, job } = result.value;
  if (job.status !== "COMPLETED") failures.push(`job ${id} ended ${job.status}`);
  if ((job.output as { n: number }).n !== n) failures.push(`job ${id}: output of another job`);
  if (seenIds.has(id)) failures.push(`job id ${id} came back twice`);
  seenIds.add(id);
  seenN.add(n);
}
if (seenN.size !== JOBS) failures.push(`${JOBS - seenN.size} run results missing`);
const jobRequests = {
  run: emulator.countRequests("POST /run"),
  status: emulator.countRequests("GET /status"),
};
if (emulator.jobs.length !== JOBS) {
  failures.push(`${emulator.jobs.length} jobs enqueued for ${JOBS} run() calls`);
}

// 2. 200 concurrent streams of 1,000 items.
const streamStarted = performance.now();
const streams = await Promise.allSettled(
  Array.from({ length: STREAMS }, async () => {
    const { id } = await endpoint.run({ input: { items: ITEMS } });
    const items: number[] = [];
    for await (const item of endpoint.stream(id, 120_000)) items.push(item.output as number);
    return { id, items };
  }),
);
const streamsMs = performance.now() - streamStarted;
let itemCount = 0;
for (const result of streams) {
  if (result.status === "rejected") {
    failures.push(`stream: ${result.reason}`);
    continue;
  }
  const { id, items } = result.value;
  itemCount += items.length;
  const inOrderOnce = items.length === ITEMS && items.every((item, i) => item === i);
  if (!inOrderOnce) failures.push(`stream ${id}: ${items.length} items, not 0..${ITEMS - 1} once`);
}
const streamPolls = emulator.countRequests("GET /stream");
if (emulator.jobs.length !== JOBS + STREAMS) {
  failures.push(`${emulator.jobs.length} jobs enqueued for ${JOBS + STREAMS} run() calls`);
}
sample();

await emulator.close();
await server.shutdown();
clearInterval(sampler);
clearTimeout(deadline);

const cores = navigator.hardwareConcurrency;
console.log(
  `# Load run (${new Date().toISOString().slice(0, 10)}, Deno ${Deno.version.deno}, ${cores} cores)

| phase | count | wall time | requests | result |
|---|---|---|---|---|
| run() + waitFor(), concurrent | ${JOBS} jobs | ${
    seconds(jobsMs)
  } | ${jobRequests.run} POST /run, ${jobRequests.status} GET /status | ${seenN.size} results, each once; ${JOBS} jobs enqueued |
| stream(), concurrent | ${STREAMS} streams × ${ITEMS} items | ${
    seconds(streamsMs)
  } | ${streamPolls} GET /stream | ${itemCount} items, each once and in order |

Memory (Deno.memoryUsage(), sampled every 50 ms, client and emulator in one process):
peak RSS ${mib(memory.rss)} (${mib(baseline.rss)} at start), peak heap used ${
    mib(memory.heapUsed)
  } (${mib(baseline.heapUsed)} at start).
Errors: ${failures.length === 0 ? "none" : failures.length}`,
);
if (failures.length > 0) {
  console.error(failures.slice(0, 20).join("\n"));
  Deno.exit(1);
}

// 3. 10,000 submissions at RunPod's rate limits, several ways.
const { markdown } = await measureSubmissions(SUBMISSIONS);
console.log(`\n${markdown}`);
if (Deno.args.includes("--write")) {
  await writeDocSection(
    new URL("../docs/benchmarks.md", import.meta.url),
    "load-submissions",
    markdown,
  );
}
