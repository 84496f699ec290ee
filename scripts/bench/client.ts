// One benchmark task in a process of its own, in Deno (run as is) or in Node
// (bundled by esbuild into .tmp/bench/client.mjs, runpod-sdk left external so
// that Node loads it from node_modules as its users do). Takes one JSON
// argument ({ task, baseUrl, ... }), prints one line: `RESULT {json}`.
import process from "node:process";
import runpodSdk from "../../mod.ts";
import legacySdk from "runpod-sdk";
import type { BenchItem } from "./worker.ts";

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

function makeLib(name: LibName, baseUrl: string): Lib {
  if (name === "sdk") {
    const endpoint = runpodSdk(API_KEY, { baseUrl }).endpoint(ENDPOINT);
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

async function overhead(task: Extract<Task, { task: "overhead" }>) {
  const libs = Object.fromEntries(task.libs.map((name) => [name, makeLib(name, task.baseUrl)]));
  const raw = makeLib("raw", task.baseUrl);
  const id = await raw.run({ ms: 0 });
  await settled(raw, id);
  for (const name of task.libs) for (let i = 0; i < 200; i++) await libs[name]!.status(id);
  const perRound: Record<string, number[]> = Object.fromEntries(task.libs.map((n) => [n, []]));
  // Each round interleaves the contenders in blocks of BLOCK calls, in rotating order, so that
  // a slow spell of the shared machine falls on all of them alike.
  const BLOCK = 50;
  const blocks = Math.max(1, Math.round(task.calls / BLOCK));
  for (let round = 0; round < task.rounds; round++) {
    const spent: Record<string, number> = Object.fromEntries(task.libs.map((n) => [n, 0]));
    for (let b = 0; b < blocks; b++) {
      for (let k = 0; k < task.libs.length; k++) {
        const name = task.libs[(k + b + round) % task.libs.length]!;
        const lib = libs[name]!;
        const start = performance.now();
        for (let i = 0; i < BLOCK; i++) await lib.status(id);
        spent[name]! += performance.now() - start;
      }
    }
    for (const name of task.libs) perRound[name]!.push((spent[name]! * 1000) / (blocks * BLOCK));
  }
  return { perRound };
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
