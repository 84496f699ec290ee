// One benchmark task in a process of its own, in Deno (run as is) or in Node
// (bundled by esbuild into .tmp/bench/client.mjs, runpod-sdk left external so
// that Node loads it from node_modules as its users do). Takes one JSON
// argument ({ task, baseUrl, ... }), prints one line: `RESULT {json}`.
import process from "node:process";
import runpodSdk from "../../mod.ts";
import legacySdk from "runpod-sdk";
import type { BenchItem } from "./worker.ts";
import { OVERHEAD_PACING, RAW_SIGNAL, RAW_TIMEOUT, RUN_LENGTH } from "./report.ts";

const API_KEY = "test-key";
const ENDPOINT = "test-endpoint";

/** The contenders: this SDK, a hand-written fetch, runpod-sdk 1.1.2. */
export type LibName = "sdk" | "raw" | "runpod-sdk";

interface Lib {
  run(input: unknown): Promise<string>;
  status(id: string): Promise<unknown>;
  runSync(input: unknown): Promise<{ status: string }>;
  stream(id: string): AsyncIterable<{ output?: unknown }>;
}

/** What the orchestrator asks a client process to do. */
export type Task =
  | { task: "overhead"; baseUrl: string; libs: LibName[]; rounds: number; calls: number }
  | { task: "stream"; baseUrl: string; lib: LibName; items: number; interval: number }
  | { task: "scale"; baseUrl: string; lib: LibName; jobs: number; ms: number }
  | { task: "longstream"; baseUrl: string; lib: LibName; items: number; batch: number }
  | { task: "runsync"; baseUrl: string; lib: LibName; ms: number };

const TERMINAL = ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"];
const wallNow = () => performance.timeOrigin + performance.now();

function makeLib(name: LibName, baseUrl: string, pacing?: typeof OVERHEAD_PACING): Lib {
  if (name === "sdk") {
    const endpoint = runpodSdk(API_KEY, { baseUrl, ...(pacing ? { pacing } : {}) })
      .endpoint(ENDPOINT);
    return {
      run: async (input) => (await endpoint.run({ input })).id,
      status: (id) => endpoint.status(id),
      runSync: (input) => endpoint.runSync({ input }),
      stream: (id) => endpoint.stream(id),
    };
  }
  if (name === "runpod-sdk") {
    const endpoint = legacySdk(API_KEY, { baseUrl }).endpoint(ENDPOINT);
    if (!endpoint) throw new Error("runpod-sdk made no endpoint");
    return {
      run: async (input) => (await endpoint.run({ input })).id,
      status: (id) => endpoint.status(id),
      runSync: (input) => endpoint.runSync({ input }),
      stream: (id) => endpoint.stream(id),
    };
  }
  return rawLib(`${baseUrl}/${ENDPOINT}`);
}

/** The floor: fetch, text, JSON.parse, nothing else. */
function rawLib(base: string): Lib {
  const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
  const get = async (path: string) =>
    JSON.parse(await (await fetch(base + path, { headers })).text());
  const post = async (path: string, body: unknown) =>
    JSON.parse(
      await (await fetch(base + path, { method: "POST", headers, body: JSON.stringify(body) }))
        .text(),
    );
  return {
    run: async (input) => (await post("/run", { input })).id,
    status: (id) => get(`/status/${id}`),
    async runSync(input) {
      let job = await post("/runsync?wait=90000", { input });
      for (let i = 0; i < 10_000 && !TERMINAL.includes(job.status); i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        job = await get(`/status/${job.id}`);
      }
      return job;
    },
    async *stream(id) {
      for (let i = 0; i < 1_000_000; i++) {
        const chunk = await get(`/stream/${id}`);
        yield* chunk.stream;
        if (TERMINAL.includes(chunk.status)) return;
      }
    },
  };
}

function memory(): { rss: number; heap: number } {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

function collect(): { rss: number; heap: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return memory();
}

async function settled(lib: Lib, id: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const job = await lib.status(id) as { status: string };
    if (TERMINAL.includes(job.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The median of `values` (for the per-call samples). */
function med(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Times every call on its own, the contenders interleaved call by call (or,
 * with `run` above 1, run by run: `run` calls in a row each) in a fresh
 * random order each time, so that a slow spell of the shared machine
 * (another session's burst, a GC) falls on all of them alike, and no
 * contender always follows the same one. The medians of the per-call times
 * shrug off the long tail that such spells add; the ratio is the ratio of
 * the medians. Rounds of `calls` calls give each round's medians too, to
 * show the spread.
 */
async function interleaved(
  libs: Record<string, () => Promise<unknown>>,
  rounds: number,
  calls: number,
  run = 1,
): Promise<{ median: Record<string, number>; perRound: Record<string, number[]> }> {
  const names = Object.keys(libs);
  for (const name of names) for (let i = 0; i < 200; i++) await libs[name]!();
  const all: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < calls; i += run) {
      const order = [...names];
      for (let k = order.length - 1; k > 0; k--) {
        const j = Math.floor(Math.random() * (k + 1));
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
      for (const name of order) {
        for (let k = 0; k < run; k++) {
          const start = performance.now();
          await libs[name]!();
          samples[name]!.push((performance.now() - start) * 1000);
        }
      }
    }
    for (const name of names) {
      perRound[name]!.push(med(samples[name]!));
      all[name]!.push(...samples[name]!);
    }
  }
  return { median: Object.fromEntries(names.map((n) => [n, med(all[n]!)])), perRound };
}

async function overhead(task: Extract<Task, { task: "overhead" }>) {
  const raw = makeLib("raw", task.baseUrl);
  const id = await raw.run({ ms: 0 });
  await settled(raw, id);
  const libs: Record<string, () => Promise<unknown>> = Object.fromEntries(
    task.libs.map((name) => {
      const lib = makeLib(name, task.baseUrl, OVERHEAD_PACING);
      return [name, () => lib.status(id)];
    }),
  );
  // The floors: the same hand-written call with an AbortController's signal (any client that
  // can abort its request), and with a timer set and cleared around it too (any client whose
  // calls each set their own timer).
  const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
  const statusUrl = `${task.baseUrl}/${ENDPOINT}/status/${id}`;
  libs[RAW_SIGNAL] = async () => {
    const controller = new AbortController();
    return JSON.parse(
      await (await fetch(statusUrl, { headers, signal: controller.signal })).text(),
    );
  };
  libs[RAW_TIMEOUT] = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      return JSON.parse(
        await (await fetch(statusUrl, { headers, signal: controller.signal })).text(),
      );
    } finally {
      clearTimeout(timer);
    }
  };
  const loopback = await interleaved(libs, task.rounds, task.calls);
  // The same in runs of sequential calls, as a loop of `await endpoint.status(id)` makes them.
  const runs = await interleaved(libs, task.rounds, task.calls, RUN_LENGTH);

  // The SDK's own cost: the same status() over a stub fetch that answers at once (no network,
  // no server), beside the hand-written fetch over the same stub.
  const answer = JSON.stringify({ id, status: "COMPLETED", output: { ok: true } });
  const stubFetch = () =>
    Promise.resolve(new Response(answer, { headers: { "content-type": "application/json" } }));
  const sdk = runpodSdk(API_KEY, {
    baseUrl: task.baseUrl,
    fetch: stubFetch,
    pacing: OVERHEAD_PACING,
  }).endpoint(ENDPOINT);
  const stub = await interleaved(
    {
      raw: async () => JSON.parse(await (await stubFetch()).text()),
      sdk: () => sdk.status(id),
    },
    task.rounds,
    task.calls * 2,
  );

  // What a call's unavoidable parts cost on their own here: a timer set and cleared (the
  // call's deadline), an AbortController (the call's signal).
  const unit = (fn: () => void) => {
    const n = 20_000;
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - start) * 1000 / n;
  };
  const noop = () => {};
  const parts = { timerPair: [] as number[], abortController: [] as number[] };
  const kept: AbortSignal[] = [];
  let k = 0;
  for (let r = 0; r < task.rounds; r++) {
    parts.timerPair.push(unit(() => clearTimeout(setTimeout(noop, 30_000))));
    // Each signal is kept (a ring of 64), so that the engine cannot drop the allocation.
    parts.abortController.push(unit(() => kept[++k & 63] = new AbortController().signal));
  }
  return {
    median: loopback.median,
    perRound: loopback.perRound,
    runs,
    stub: stub.median,
    timerPair: med(parts.timerPair),
    abortController: med(parts.abortController),
  };
}

async function stream(task: Extract<Task, { task: "stream" }>) {
  const lib = makeLib(task.lib, task.baseUrl);
  const id = await lib.run({ items: task.items, interval: task.interval });
  const delays: number[] = [];
  for await (const item of lib.stream(id)) {
    delays.push(wallNow() - (item.output as BenchItem).t);
  }
  return { delays };
}

async function scale(task: Extract<Task, { task: "scale" }>) {
  const lib = makeLib(task.lib, task.baseUrl);
  const start = collect();
  let peak = memory();
  const sampler = setInterval(() => {
    const m = memory();
    peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heap) };
  }, 10);
  const t0 = performance.now();
  const jobs = await Promise.all(
    Array.from({ length: task.jobs }, () => lib.runSync({ ms: task.ms })),
  );
  const wallMs = performance.now() - t0;
  clearInterval(sampler);
  const m = memory();
  peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heap) };
  return { wallMs, completed: jobs.filter((j) => j.status === "COMPLETED").length, start, peak };
}

async function longstream(task: Extract<Task, { task: "longstream" }>) {
  const lib = makeLib(task.lib, task.baseUrl);
  const id = await lib.run({ items: task.items, batch: task.batch, interval: 1 });
  // "Start" is read once 10% of the items arrived, after the code paths warmed up; an SDK that
  // kept the items it yielded would grow by the 90% that follow.
  const marks = [Math.max(1, Math.round(task.items / 10)), Math.round(task.items * 0.55)];
  let count = 0;
  const seen: { rss: number; heap: number }[] = [];
  const t0 = performance.now();
  for await (const item of lib.stream(id)) {
    if ((item.output as BenchItem).i !== count) throw new Error(`Item ${count} missing or late`);
    count++;
    if (marks.includes(count)) seen.push(collect());
  }
  const end = collect();
  return { count, start: seen[0], mid: seen[1], end, seconds: (performance.now() - t0) / 1000 };
}

async function runsync(task: Extract<Task, { task: "runsync" }>) {
  const job = await makeLib(task.lib, task.baseUrl).runSync({ ms: task.ms });
  return { status: job.status };
}

async function main(): Promise<void> {
  const arg = process.argv[process.argv.length - 1]!;
  const task = JSON.parse(arg) as Task;
  // runpod-sdk 1.1.2 logs every /status-sync poll (with a console.log it saved at import, so it
  // cannot be muted): the orchestrator reads only the RESULT line.
  const result = task.task === "overhead"
    ? await overhead(task)
    : task.task === "stream"
    ? await stream(task)
    : task.task === "scale"
    ? await scale(task)
    : task.task === "longstream"
    ? await longstream(task)
    : await runsync(task);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

await main();
