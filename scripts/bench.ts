// Benchmarks this SDK against a hand-written fetch and runpod-sdk 1.1.2, side
// by side in one run, on the emulator served on loopback (and in process on a
// FakeClock where real time would be too long). See docs/benchmarks.md.
//
//   deno task bench                               the full run: writes docs/benchmarks.md and .svg
//   deno run -A scripts/bench.ts --smoke          tiny counts, writes nothing to docs/; ends with
//                                                 `N passed, N failed` (one per section that ran)
//   deno run -A scripts/bench.ts --report-from .tmp/bench/results.json
//                                                 rewrites docs/ from a full run's saved figures
//   deno run -A scripts/bench.ts --only overhead,size
//                                                 full counts, only the sections named (overhead,
//                                                 requests, stream, scale, longstream, size, worker,
//                                                 loadbalancer); saves .tmp/bench/results-only.json,
//                                                 writes nothing to docs/
//   deno run -A scripts/bench.ts --worker         the same as --only worker: the worker runtime
//                                                 beside a hand-written take/post loop
//
// Client work runs in child processes (Deno, and Node on an esbuild bundle),
// one at a time, so that each one's memory is its own and requests can be
// counted by route on the server.
import { type BenchServer, startBenchServer, total } from "./bench/server.ts";
import type { LibName, Task } from "./bench/client.ts";
import type { Count } from "./bench/requests_per_job.ts";
import { sizeByFeature } from "./bench/size_by_feature.ts";
import { benchWorkers } from "./bench/worker_runtime.ts";
import { median, quantile } from "./bench/stats.ts";
import {
  type Machine,
  RAW_SIGNAL,
  RAW_TIMEOUT,
  type Results,
  RUN_LENGTH,
  writeReport,
} from "./bench/report.ts";

const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
const tmp = `${root}/.tmp/bench`;
const deno = Deno.execPath();
const smoke = Deno.args.includes("--smoke");
const COMMAND = "deno task bench";
/** The longest any one child process may run, in ms. */
const CHILD_LIMIT = smoke ? 120_000 : 600_000;

const config = smoke
  ? {
    overhead: { rounds: 2, calls: 30 },
    jobs: [100, 5000],
    realJobs: [100],
    stream: { items: 5, interval: 20, runs: 1 },
    scale: { jobs: 20, ms: 100, runs: 1 },
    longstream: { items: 2000, batch: 100 },
    imports: 1,
    worker: { jobs: 300, rounds: 1, concurrencies: [1, 8, 64], memoryJobs: 2000 },
  }
  : {
    overhead: { rounds: 7, calls: 1500 },
    jobs: [100, 5000, 150_000],
    realJobs: [100, 5000],
    stream: { items: 100, interval: 50, runs: 3 },
    scale: { jobs: 1000, ms: 1000, runs: 3 },
    longstream: { items: 100_000, batch: 100 },
    imports: 7,
    worker: { jobs: 20_000, rounds: 3, concurrencies: [1, 8, 64], memoryJobs: 100_000 },
  };

type Runtime = "deno" | "node";
const LIBS: LibName[] = ["raw", "sdk", "runpod-sdk"];

let passed = 0;
let failed = 0;

const onlyAt = Deno.args.indexOf("--only");
const only = Deno.args.includes("--worker")
  ? new Set(["worker"])
  : onlyAt >= 0
  ? new Set(Deno.args[onlyAt + 1]?.split(","))
  : undefined;

async function section(
  key: string,
  name: string,
  body: () => Promise<void>,
): Promise<void> {
  if (only && !only.has(key)) return;
  console.log(`\n## ${name}`);
  const start = performance.now();
  try {
    await body();
    passed++;
    console.log(`ok: ${name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    console.log(`FAILED: ${name}: ${error instanceof Error ? error.stack : error}`);
  }
}

async function exec(
  cmd: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<string> {
  const { success, stdout, stderr, code } = await new Deno.Command(cmd, {
    args,
    cwd: root,
    env: options.env ?? {},
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(CHILD_LIMIT),
  }).output();
  const out = new TextDecoder().decode(stdout);
  if (!success) {
    throw new Error(
      `${cmd} ${args.join(" ").slice(0, 200)} exited with ${code}:\n${
        new TextDecoder().decode(stderr).slice(-2000)
      }${out.slice(-1000)}`,
    );
  }
  return out;
}

function resultLine(out: string, prefix = "RESULT "): string {
  const line = out.split("\n").reverse().find((l) => l.startsWith(prefix));
  if (line === undefined) throw new Error(`No '${prefix.trim()}' line in:\n${out.slice(-1000)}`);
  return line.slice(prefix.length);
}

async function client<T>(runtime: Runtime, task: Task): Promise<T> {
  const json = JSON.stringify(task);
  const out = runtime === "deno"
    ? await exec(deno, ["run", "-A", "--v8-flags=--expose-gc", "scripts/bench/client.ts", json])
    : await exec("node", ["--expose-gc", `${tmp}/client.mjs`, json]);
  return JSON.parse(resultLine(out)) as T;
}

/** Runs a client task and returns its result with the requests the server saw meanwhile. */
async function counted<T>(
  server: BenchServer,
  runtime: Runtime,
  task: Task,
): Promise<{ result: T; requests: Record<string, number> }> {
  const before = server.counts.snapshot();
  const result = await client<T>(runtime, task);
  return { result, requests: server.counts.since(before) };
}

async function esbuild(args: string[]): Promise<void> {
  await exec(`${root}/node_modules/.bin/esbuild`, [...args, "--log-level=warning"]);
}

async function gzipSize(path: string): Promise<{ min: number; gz: number }> {
  const data = await Deno.readFile(path);
  const gz = await new Response(
    new Blob([data]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  return { min: data.length, gz: gz.byteLength };
}

/**
 * The code an app that only runs jobs loads: `runpodSdk(key).endpoint(id).runSync()`
 * bundled with code splitting (as Vite, Rollup, webpack and esbuild --splitting do),
 * counting its entry chunk and the chunks it imports statically, not the management
 * code it would load on first use; gzip of those chunks together.
 */
async function jobsAppSize(sources = root, name = "jobs-app"): Promise<
  { min: number; gz: number; lazy: { min: number; gz: number } }
> {
  const dir = `${tmp}/${name}`;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/app.ts`,
    `import runpodSdk from "${sources}/mod.ts";\n` +
      `export const caption = (key: string, id: string, prompt: string) =>\n` +
      `  runpodSdk(key).endpoint(id).runSync({ input: { prompt } });\n`,
  );
  await esbuild([
    `${dir}/app.ts`,
    "--bundle",
    "--minify",
    "--splitting",
    "--format=esm",
    "--platform=neutral",
    "--target=es2022",
    `--outdir=${dir}/out`,
    `--metafile=${dir}/meta.json`,
  ]);
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/meta.json`)) as {
    outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string }[] }>;
  };
  const entry = Object.keys(meta.outputs).find((o) =>
    meta.outputs[o]!.entryPoint && o.endsWith(".js")
  )!;
  const eager = new Set<string>();
  const visit = (output: string) => {
    if (eager.has(output)) return;
    eager.add(output);
    for (const i of meta.outputs[output]!.imports) if (i.kind === "import-statement") visit(i.path);
  };
  visit(entry);
  const sizeOf = async (files: string[]) => {
    const parts = await Promise.all(
      files.map((f) => Deno.readFile(`${root}/${f}`).catch(() => Deno.readFile(f))),
    );
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) all.set(part, (at += part.length) - part.length);
    const path = `${dir}/joined.js`;
    await Deno.writeFile(path, all);
    return await gzipSize(path);
  };
  const lazy = Object.keys(meta.outputs).filter((o) => o.endsWith(".js") && !eager.has(o));
  return { ...await sizeOf([...eager]), lazy: await sizeOf(lazy) };
}

async function dirSize(path: string): Promise<number> {
  let sum = 0;
  for await (const entry of Deno.readDir(path)) {
    const full = `${path}/${entry.name}`;
    if (entry.isDirectory) sum += await dirSize(full);
    else if (entry.isFile) sum += (await Deno.lstat(full)).size;
  }
  return sum;
}

/** The installed size of a package in node_modules and of every package it depends on. */
async function installedSize(name: string): Promise<{ bytes: number; packages: string[] }> {
  const seen = new Map<string, string>();
  const visit = async (pkg: string, from: string) => {
    const candidates = [`${from}/node_modules/${pkg}`, `${root}/node_modules/${pkg}`];
    let dir: string | undefined;
    for (const c of candidates) {
      if (await Deno.stat(`${c}/package.json`).catch(() => undefined)) {
        dir = c;
        break;
      }
    }
    if (dir === undefined || seen.has(dir)) return;
    const manifest = JSON.parse(await Deno.readTextFile(`${dir}/package.json`));
    seen.set(dir, `${manifest.name}@${manifest.version}`);
    for (const dep of Object.keys(manifest.dependencies ?? {})) await visit(dep, dir);
  };
  await visit(name, root);
  let bytes = 0;
  for (const dir of seen.keys()) bytes += await dirSize(dir);
  return { bytes, packages: [...seen.values()] };
}

async function npmPack(dir: string): Promise<{ size: number; unpackedSize: number }> {
  const out = await exec("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", dir]);
  const [info] = JSON.parse(out.slice(out.indexOf("[")));
  return { size: info.size, unpackedSize: info.unpackedSize };
}

async function machine(): Promise<Machine> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? "unknown";
  const nodeVersion = (await exec("node", ["--version"])).trim();
  const legacy = JSON.parse(
    await Deno.readTextFile(`${root}/node_modules/runpod-sdk/package.json`),
  );
  return {
    cpu: model,
    cores: navigator.hardwareConcurrency,
    memoryGiB: Deno.systemMemoryInfo().total / 2 ** 30,
    os: `${Deno.build.os} ${Deno.osRelease()} ${Deno.build.arch}`,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    node: nodeVersion,
    runpodSdk: legacy.version,
    loadavg: Deno.loadavg(),
    date: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  await Deno.mkdir(tmp, { recursive: true });
  const results: Results = {
    smoke,
    command: COMMAND,
    config,
    machine: await machine(),
    overhead: {},
    requests: [],
    realRequests: [],
    stream: [],
    scale: [],
    longstream: [],
  };
  const m = results.machine;
  console.log(
    `machine: ${m.cpu}, ${m.cores} cores, ${
      m.memoryGiB.toFixed(1)
    } GiB, ${m.os}; Deno ${m.deno}, Node ${m.node}, runpod-sdk ${m.runpodSdk}; load ${
      m.loadavg.map((l) => l.toFixed(2)).join(" ")
    }`,
  );
  await esbuild([
    "scripts/bench/client.ts",
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--target=node20",
    "--external:runpod-sdk",
    `--outfile=${tmp}/client.mjs`,
  ]);
  await using server = startBenchServer();

  await section("overhead", "per-call overhead of status()", async () => {
    for (const runtime of ["deno", "node"] as const) {
      const { result } = await counted<{
        median: Record<LibName, number>;
        perRound: Record<LibName, number[]>;
        runs: { median: Record<LibName, number>; perRound: Record<LibName, number[]> };
        stub: { raw: number; sdk: number };
        timerPair: number;
        abortController: number;
      }>(server, runtime, {
        task: "overhead",
        baseUrl: server.baseUrl,
        libs: LIBS,
        ...config.overhead,
      });
      const table = (
        measured: { median: Record<LibName, number>; perRound: Record<LibName, number[]> },
        how: string,
      ) => {
        const rows: Results["overhead"][Runtime] = {};
        for (const lib of [...LIBS, RAW_SIGNAL, RAW_TIMEOUT] as LibName[]) {
          rows[lib] = {
            us: measured.median[lib],
            ratio: measured.median[lib] / measured.median.raw,
            rounds: measured.perRound[lib],
          };
          console.log(
            `${runtime} ${how} ${lib}: median ${rows[lib]!.us.toFixed(1)} µs/call, ${
              rows[lib]!.ratio.toFixed(3)
            }× raw (per-round medians: ${
              measured.perRound[lib].map((v) => v.toFixed(0)).join(" ")
            })`,
          );
        }
        return rows;
      };
      const rows = table(result, "call by call");
      results.overheadRuns ??= {};
      results.overheadRuns[runtime] = table(result.runs, `in runs of ${RUN_LENGTH}`);
      results.ownCost ??= {};
      results.ownCost[runtime] = {
        raw: result.stub.raw,
        sdk: result.stub.sdk,
        timerPair: result.timerPair,
        abortController: result.abortController,
      };
      console.log(
        `${runtime} over a stub fetch: raw ${result.stub.raw.toFixed(2)} µs, sdk ${
          result.stub.sdk.toFixed(2)
        } µs (own cost ${(result.stub.sdk - result.stub.raw).toFixed(2)} µs); a timer pair ${
          result.timerPair.toFixed(2)
        } µs, an AbortController ${result.abortController.toFixed(2)} µs`,
      );
      results.overhead[runtime] = rows;
    }
  });

  await section("requests", "HTTP requests per runSync", async () => {
    const out = await exec(deno, [
      "run",
      "-A",
      "scripts/bench/requests_per_job.ts",
      JSON.stringify(config.jobs),
    ]);
    results.requests = JSON.parse(resultLine(out)) as Count[];
    for (const c of results.requests) {
      console.log(
        `${c.jobMs / 1000} s job, ${c.contender}: ${c.requests} requests ${
          JSON.stringify(c.byRoute)
        } -> ${c.outcome} after ${c.tookMs / 1000} s (fake clock)`,
      );
    }
    // The same in real time over loopback, for the jobs short enough to wait for.
    for (const ms of config.realJobs) {
      for (const lib of ["sdk", "runpod-sdk"] as const) {
        const { result, requests } = await counted<{ status: string }>(server, "node", {
          task: "runsync",
          baseUrl: server.baseUrl,
          lib,
          ms,
        });
        results.realRequests.push({
          lib,
          jobMs: ms,
          requests: total(requests),
          status: result.status,
        });
        console.log(
          `${ms / 1000} s job, real time, node ${lib}: ${total(requests)} requests ${
            JSON.stringify(requests)
          } -> ${result.status}`,
        );
      }
    }
  });

  const streamContenders: [Runtime, LibName][] = [
    ["node", "raw"],
    ["node", "sdk"],
    ["node", "runpod-sdk"],
    ["deno", "sdk"],
  ];

  await section("stream", "streaming delay", async () => {
    const pooled = new Map<string, { delays: number[]; requests: number[] }>();
    for (let run = 0; run < config.stream.runs; run++) {
      for (const [runtime, lib] of streamContenders) {
        const { result, requests } = await counted<{ delays: number[] }>(server, runtime, {
          task: "stream",
          baseUrl: server.baseUrl,
          lib,
          items: config.stream.items,
          interval: config.stream.interval,
        });
        if (result.delays.length !== config.stream.items) {
          throw new Error(`${runtime} ${lib} got ${result.delays.length} items`);
        }
        const key = `${runtime} ${lib}`;
        const entry = pooled.get(key) ?? { delays: [], requests: [] };
        entry.delays.push(...result.delays);
        entry.requests.push(requests["GET /stream"] ?? 0);
        pooled.set(key, entry);
      }
    }
    for (const [runtime, lib] of streamContenders) {
      const { delays, requests } = pooled.get(`${runtime} ${lib}`)!;
      const row = {
        runtime,
        lib,
        streamRequests: median(requests),
        median: median(delays),
        p99: quantile(delays, 0.99),
        max: Math.max(...delays),
      };
      results.stream.push(row);
      console.log(
        `${runtime} ${lib}: ${row.streamRequests} /stream requests, delay median ${
          row.median.toFixed(2)
        } ms, p99 ${row.p99.toFixed(2)} ms, max ${row.max.toFixed(2)} ms`,
      );
    }
  });

  await section("scale", "scale: concurrent runSync", async () => {
    type Scale = {
      wallMs: number;
      completed: number;
      start: { rss: number; heap: number };
      peak: { rss: number; heap: number };
    };
    const runs = new Map<string, { r: Scale; requests: number }[]>();
    for (let run = 0; run < config.scale.runs; run++) {
      for (const [runtime, lib] of streamContenders) {
        const { result, requests } = await counted<Scale>(server, runtime, {
          task: "scale",
          baseUrl: server.baseUrl,
          lib,
          jobs: config.scale.jobs,
          ms: config.scale.ms,
        });
        if (result.completed !== config.scale.jobs) {
          throw new Error(
            `${runtime} ${lib}: ${result.completed} of ${config.scale.jobs} completed`,
          );
        }
        const key = `${runtime} ${lib}`;
        runs.set(key, [...(runs.get(key) ?? []), { r: result, requests: total(requests) }]);
      }
    }
    for (const [runtime, lib] of streamContenders) {
      const list = runs.get(`${runtime} ${lib}`)!;
      const row = {
        runtime,
        lib,
        wallMs: median(list.map((x) => x.r.wallMs)),
        requests: median(list.map((x) => x.requests)),
        rssStart: median(list.map((x) => x.r.start.rss)),
        rssPeak: median(list.map((x) => x.r.peak.rss)),
        heapPeak: median(list.map((x) => x.r.peak.heap)),
      };
      results.scale.push(row);
      console.log(
        `${runtime} ${lib}: ${config.scale.jobs} × ${config.scale.ms} ms jobs in ${
          row.wallMs.toFixed(0)
        } ms, ${row.requests} requests, RSS ${(row.rssStart / 1e6).toFixed(1)} -> peak ${
          (row.rssPeak / 1e6).toFixed(1)
        } MB, heap peak ${(row.heapPeak / 1e6).toFixed(1)} MB`,
      );
    }
  });

  await section("longstream", "scale: one long stream", async () => {
    type Long = {
      count: number;
      start: { rss: number; heap: number };
      mid: { rss: number; heap: number };
      end: { rss: number; heap: number };
      seconds: number;
    };
    for (const [runtime, lib] of streamContenders) {
      const { result, requests } = await counted<Long>(server, runtime, {
        task: "longstream",
        baseUrl: server.baseUrl,
        lib,
        items: config.longstream.items,
        batch: config.longstream.batch,
      });
      if (result.count !== config.longstream.items) {
        throw new Error(`${runtime} ${lib} got ${result.count} items`);
      }
      results.longstream.push({
        runtime,
        lib,
        items: result.count,
        seconds: result.seconds,
        streamRequests: requests["GET /stream"] ?? 0,
        start: result.start,
        mid: result.mid,
        end: result.end,
      });
      console.log(
        `${runtime} ${lib}: ${result.count} items in ${result.seconds.toFixed(1)} s, ${
          requests["GET /stream"]
        } polls; heap after GC ${(result.start.heap / 1e6).toFixed(2)} -> ${
          (result.mid.heap / 1e6).toFixed(2)
        } -> ${(result.end.heap / 1e6).toFixed(2)} MB, RSS ${
          (result.start.rss / 1e6).toFixed(1)
        } -> ${(result.end.rss / 1e6).toFixed(1)} MB`,
      );
    }
  });

  await section(
    "loadbalancer",
    "load-balancing endpoints: lb.fetch beside fetch, cold starts",
    async () => {
      // In a child process of its own (scripts/bench/load_balancer.ts runs alone too).
      const out = await exec(deno, [
        "run",
        "-A",
        "scripts/bench/load_balancer.ts",
        ...(smoke ? ["--smoke"] : []),
      ]);
      for (const line of out.split("\n")) {
        if (line && !line.startsWith("RESULT ")) {
          console.log(line);
        }
      }
      results.loadBalancer = JSON.parse(resultLine(out));
    },
  );

  await section("size", "size and cold import", async () => {
    await esbuild([
      "mod.ts",
      "--bundle",
      "--minify",
      "--format=esm",
      "--platform=neutral",
      "--target=es2022",
      `--outfile=${tmp}/sdk.min.js`,
    ]);
    await esbuild([
      "node_modules/runpod-sdk/dist/src/index.js",
      "--bundle",
      "--minify",
      "--format=esm",
      "--platform=node",
      "--target=es2022",
      `--outfile=${tmp}/runpod-sdk.min.js`,
    ]);
    const ours = await gzipSize(`${tmp}/sdk.min.js`);
    const theirs = await gzipSize(`${tmp}/runpod-sdk.min.js`);
    const hasNpm = await Deno.stat(`${root}/npm/package.json`).then(() => true, () => false);
    const ourPack = hasNpm
      ? await npmPack(`${root}/npm`).catch((error) => {
        console.log(`npm pack of npm/ failed (is it being rebuilt?): ${error.message}`);
        return undefined;
      })
      : undefined;
    const theirPack = await npmPack(`${root}/node_modules/runpod-sdk`);
    const theirInstall = await installedSize("runpod-sdk");
    results.size = {
      sdk: {
        min: ours.min,
        gz: ours.gz,
        tarball: ourPack?.size,
        installed: ourPack?.unpackedSize,
        packages: ["@runpod/sdk (npm/, built by scripts/build_npm.ts)"],
      },
      "runpod-sdk": {
        min: theirs.min,
        gz: theirs.gz,
        tarball: theirPack.size,
        installed: theirInstall.bytes,
        packages: theirInstall.packages,
      },
    };
    if (!hasNpm) console.log("npm/ is missing: run scripts/build_npm.ts for the tarball size");
    console.log(JSON.stringify(results.size));
    results.jobsApp = await jobsAppSize();
    console.log(`an app that only runs jobs: ${JSON.stringify(results.jobsApp)}`);
    results.sizeByFeature = await sizeByFeature(root, tmp, jobsAppSize);
    for (const f of results.sizeByFeature) {
      console.log(
        `  without ${f.name}: ${f.without ? JSON.stringify(f.without) : `stale cut (${f.stale})`}`,
      );
    }

    // Cold import: a fresh process per sample, alternating the two, one unmeasured warm-up each.
    await Deno.writeTextFile(`${tmp}/import_time.mjs`, IMPORT_TIME_MJS);
    const nodeOurs = hasNpm ? `${root}/npm/esm/mod.js` : `${tmp}/sdk.min.js`;
    const specs = {
      deno: { sdk: `file://${root}/mod.ts`, "runpod-sdk": "runpod-sdk" },
      node: { sdk: `file://${nodeOurs}`, "runpod-sdk": "runpod-sdk" },
    };
    const samples: Record<string, number[]> = {};
    for (let i = 0; i <= config.imports; i++) { // i = 0 is the warm-up
      for (const runtime of ["deno", "node"] as const) {
        for (const lib of ["sdk", "runpod-sdk"] as const) {
          const spec = specs[runtime][lib];
          const out = runtime === "deno"
            ? await exec(deno, ["run", "-A", "scripts/bench/import_time.ts", spec])
            : await exec("node", [`${tmp}/import_time.mjs`, spec]);
          if (i === 0) continue;
          (samples[`${runtime} ${lib}`] ??= []).push(Number(resultLine(out, "IMPORT ")));
        }
      }
    }
    results.imports = {};
    for (const [key, list] of Object.entries(samples)) {
      results.imports[key] = median(list);
      console.log(`cold import, ${key}: median ${median(list).toFixed(1)} ms of ${list.length}`);
    }
    results.imports.nodeSdkFile = hasNpm ? "npm/esm/mod.js" : ".tmp/bench/sdk.min.js";
  });

  await section("worker", "worker runtime: take / run / post", async () => {
    results.worker = await benchWorkers(config.worker, (line) => console.log(line));
  });

  await Deno.writeTextFile(
    `${tmp}/${only ? "results-only" : "results"}.json`,
    JSON.stringify(results, null, 2),
  );
  if (!smoke && !only) {
    const written = await writeReport(results, `${root}/docs`);
    console.log(`\nwrote ${written.join(", ")}`);
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  if (failed > 0) Deno.exitCode = 1;
}

/** Node's half of the cold-import timing (Deno's is scripts/bench/import_time.ts). */
const IMPORT_TIME_MJS = `// Written by scripts/bench.ts.
const start = performance.now();
await import(process.argv[2]);
console.log("IMPORT " + (performance.now() - start));
`;

const from = Deno.args.indexOf("--report-from");
if (from >= 0) {
  // Rewrites docs/ from the figures a full run saved in .tmp/bench/results.json (after a change
  // to the report's wording or chart), without measuring again.
  const file = Deno.args[from + 1];
  if (file === undefined) throw new TypeError("--report-from needs the path of a results.json");
  const saved = JSON.parse(await Deno.readTextFile(file)) as Results;
  console.log(`wrote ${(await writeReport(saved, `${root}/docs`)).join(", ")}`);
} else {
  await main();
}
