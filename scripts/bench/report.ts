// Writes docs/benchmarks.md and docs/benchmarks.svg from the figures of one
// run of scripts/bench.ts, with a verdict on each target.
import {
  type WorkerConfig,
  workerReport,
  type WorkerResults,
  workerVerdicts,
} from "./worker_runtime.ts";
import type { LoadBalancerResults } from "./load_balancer.ts";
import type { Count } from "./requests_per_job.ts";
import { bytes, fixed } from "./stats.ts";
import type { FeatureSize } from "./size_by_feature.ts";
import { docSections } from "./doc_section.ts";
import { RATE_LIMITS } from "../../src/_runpod_facts.ts";

/** The overhead's extra contender: the hand-written fetch with a timeout. */
export const RAW_TIMEOUT = "raw-timeout";
/** The overhead's other extra contender: the hand-written fetch with a signal, no timer. */
export const RAW_SIGNAL = "raw-signal";
/** How many calls in a row each contender makes in the overhead's second measurement. */
export const RUN_LENGTH = 10;

/** How many times RunPod's /status limits the SDK's pacing allows in the overhead task. */
const PACING_FACTOR = 100;

/**
 * The SDK's pacing in the overhead task: on, as by default, but with /status
 * limits far above the rate of the task's back-to-back calls, so that the
 * pacer's bookkeeping is part of every call measured and its waits (intended:
 * they keep a client under RunPod's limits, which a hand-written fetch
 * ignores) are not.
 */
export const OVERHEAD_PACING = {
  limits: {
    status: {
      rate: RATE_LIMITS.routes.status.rate * PACING_FACTOR,
      concurrent: RATE_LIMITS.routes.status.concurrent * PACING_FACTOR,
    },
  },
};

/** The machine a run happened on. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  deno: string;
  v8: string;
  node: string;
  runpodSdk: string;
  loadavg: number[];
  date: string;
}

type Mem = { rss: number; heap: number };

/** Everything one run measured. */
export interface Results {
  smoke: boolean;
  command: string;
  config: {
    overhead: { rounds: number; calls: number };
    jobs: number[];
    realJobs: number[];
    stream: { items: number; interval: number; runs: number };
    scale: { jobs: number; ms: number; runs: number };
    longstream: { items: number; batch: number };
    imports: number;
    worker?: WorkerConfig;
  };
  machine: Machine;
  overhead: Partial<
    Record<
      "deno" | "node",
      Partial<Record<string, { us: number; ratio: number; rounds?: number[] }>>
    >
  >;
  /** The same, the contenders interleaved in runs of {@linkcode RUN_LENGTH} calls in a row. */
  overheadRuns?: Results["overhead"];
  /** The same status() over a stub fetch (µs per call), and a call's unavoidable parts. */
  ownCost?: Partial<
    Record<
      "deno" | "node",
      { raw: number; sdk: number; timerPair: number; abortController: number }
    >
  >;
  requests: Count[];
  realRequests: { lib: string; jobMs: number; requests: number; status: string }[];
  stream: {
    runtime: string;
    lib: string;
    streamRequests: number;
    median: number;
    p99: number;
    max: number;
  }[];
  scale: {
    runtime: string;
    lib: string;
    wallMs: number;
    requests: number;
    rssStart: number;
    rssPeak: number;
    heapPeak: number;
  }[];
  longstream: {
    runtime: string;
    lib: string;
    items: number;
    seconds: number;
    streamRequests: number;
    start: Mem;
    mid: Mem;
    end: Mem;
  }[];
  size?: Record<
    "sdk" | "runpod-sdk",
    {
      min: number;
      gz: number;
      tarball?: number | undefined;
      installed?: number | undefined;
      packages: string[];
    }
  >;
  imports?: Record<string, number | string>;
  /** An app that only runs jobs, split (its chunks, and the management chunks it loads lazily). */
  jobsApp?: { min: number; gz: number; lazy: { min: number; gz: number } };
  /** The jobs app without each feature of its path (scripts/bench/size_by_feature.ts). */
  sizeByFeature?: FeatureSize[];
  /** The worker runtime beside a hand-written loop (scripts/bench/worker_runtime.ts). */
  worker?: WorkerResults;
  /** lb.fetch beside fetch, and cold starts (scripts/bench/load_balancer.ts). */
  loadBalancer?: LoadBalancerResults;
}

const NAMES: Record<string, string> = {
  raw: "raw fetch + JSON.parse",
  sdk: "@runpod/sdk (this SDK)",
  "runpod-sdk": "runpod-sdk 1.1.2",
  "raw-timeout":
    "raw fetch + JSON.parse with a 30 s timeout (an AbortController and a timer per call)",
  "raw-signal": "raw fetch + JSON.parse with an AbortController's signal (no timer)",
};

/** A flat-memory verdict allows this much heap growth (after GC) over the long stream. */
const FLAT_HEAP = 2_000_000;

interface Verdict {
  target: string;
  figure: string;
  met: boolean | undefined;
  why?: string | undefined;
}

function verdicts(r: Results): Verdict[] {
  const out: Verdict[] = [];
  for (const runtime of ["deno", "node"] as const) {
    const row = r.overhead[runtime]?.sdk;
    const ratio = row?.ratio;
    const floor = r.overhead[runtime]?.["raw-timeout"];
    const inRuns = r.overheadRuns?.[runtime]?.sdk;
    out.push({
      target: `Per-call overhead within 5% of raw fetch (${runtime === "deno" ? "Deno" : "Node"})`,
      figure: ratio === undefined
        ? "n/a"
        : `${fixed(row!.us)} µs/call = ${fixed(ratio, 3)}× raw, call by call (${
          ratio <= 1.05 ? "within" : `${fixed((ratio - 1.05) * 100)} points over`
        } the 5% allowance)${floor ? `; ${fixed(row!.us / floor.us, 3)}× raw with a timeout` : ""}${
          inRuns ? `; ${fixed(inRuns.ratio, 3)}× raw in runs of ${RUN_LENGTH} calls in a row` : ""
        }`,
      met: ratio === undefined ? undefined : ratio <= 1.05,
      why: ratio !== undefined && ratio > 1.05 ? overheadWhy(r, runtime) : undefined,
    });
  }
  const sdk = (ms: number) => r.requests.find((c) => c.contender === "sdk" && c.jobMs === ms);
  const inside = r.requests.filter((c) => c.contender === "sdk" && c.jobMs <= 90_000);
  const scaleRows = r.scale.filter((s) => s.lib === "sdk");
  const perJob = scaleRows.map((s) => s.requests / r.config.scale.jobs);
  out.push({
    target: "Exactly one request per job that ends inside the server-side wait (90 s)",
    figure: `${inside.map((c) => `${c.jobMs / 1000} s job: ${c.requests}`).join("; ")}; ${
      perJob.map((p) => `${fixed(p, 2)}`).join(" / ")
    } per job over ${r.config.scale.jobs} concurrent runSync`,
    met: inside.length > 0 && inside.every((c) => c.requests === 1) &&
      perJob.every((p) => p === 1),
  });
  const worse: string[] = [];
  const compared: string[] = [];
  for (const ms of r.config.jobs) {
    const ours = sdk(ms);
    for (const name of ["runpod-sdk", "runpod-sdk timeout 300 s"]) {
      const theirs = r.requests.find((c) => c.contender === name && c.jobMs === ms);
      if (!ours || !theirs) continue;
      compared.push(`${ms / 1000} s job: ${ours.requests} vs ${theirs.requests} (${name})`);
      if (ours.requests > theirs.requests) {
        worse.push(
          `${ms / 1000} s job: ${ours.requests} vs ${theirs.requests} (${name}), ${
            ours.requests - theirs.requests
          } more`,
        );
      }
    }
  }
  for (const runtime of ["node"]) {
    const ours = r.stream.find((s) => s.runtime === runtime && s.lib === "sdk");
    const theirs = r.stream.find((s) => s.runtime === runtime && s.lib === "runpod-sdk");
    if (ours && theirs) {
      compared.push(`stream: ${ours.streamRequests} vs ${theirs.streamRequests} /stream polls`);
      if (ours.streamRequests > theirs.streamRequests) {
        worse.push(`stream: ${ours.streamRequests} vs ${theirs.streamRequests} polls`);
      }
    }
  }
  out.push({
    target: "Never more requests than runpod-sdk 1.1.2 for the same work",
    figure: worse.length > 0 ? `missed: ${worse.join("; ")}` : compared.join("; "),
    met: compared.length === 0 ? undefined : worse.length === 0,
    why: worse.length > 0 ? WHY.requests : undefined,
  });
  for (const s of r.stream.filter((s) => s.lib === "sdk")) {
    out.push({
      target:
        `Streamed items delivered within 50 ms of production (${s.runtime}, server holds the poll)`,
      figure: `median ${fixed(s.median, 2)} ms, p99 ${fixed(s.p99, 2)} ms, max ${
        fixed(s.max, 2)
      } ms`,
      met: s.p99 <= 50,
      why: s.p99 > 50 ? WHY.stream : undefined,
    });
  }
  for (const l of r.longstream.filter((l) => l.lib === "sdk")) {
    const growth = l.end.heap - l.start.heap;
    out.push({
      target: `Flat memory over a long stream (${l.runtime}, ${l.items} items)`,
      figure: `heap after GC ${bytes(l.start.heap)} at 10% of the items, ${
        bytes(l.mid.heap)
      } at 55%, ${bytes(l.end.heap)} at the end (${growth >= 0 ? "+" : ""}${bytes(growth)})`,
      met: growth <= FLAT_HEAP,
      why: growth > FLAT_HEAP ? WHY.memory : undefined,
    });
  }
  if (r.jobsApp) {
    const gz = r.jobsApp.gz;
    out.push({
      target: "An app that only runs jobs under 8 kB minified+gzipped",
      figure: `${bytes(gz)} (${gz < 8000 ? "under" : `${bytes(gz - 8000)} over`})`,
      met: gz < 8000,
      why: gz >= 8000 ? WHY.size : undefined,
    });
  }
  if (r.size) {
    const gz = r.size.sdk.gz;
    out.push({
      target: "Client under 5 kB minified+gzipped",
      figure: `${bytes(gz)} (${
        gz < 5000 ? "under" : `${bytes(gz - 5000)}, ${fixed(((gz - 5000) / 5000) * 100)}% over`
      })`,
      met: gz < 5000,
      why: gz >= 5000 ? WHY.clientSize : undefined,
    });
  }
  if (r.worker) out.push(...workerVerdicts(r.worker));
  if (r.loadBalancer) {
    const served = r.loadBalancer.served;
    out.push({
      target: "Load balancer: lb.fetch within 5% of raw fetch (served on loopback)",
      figure: `${fixed(served.ratio, 3)}× raw, ${
        fixed(served.versus["raw with a signal"]!, 3)
      }× raw with an AbortSignal${
        served.versus.floor !== undefined
          ? `, ${
            fixed(served.versus.floor, 3)
          }× the floor (the same headers, a signal and a deadline timer)`
          : ""
      } (medians of per-round ratios)`,
      met: served.ratio <= 1.05,
      why: served.ratio > 1.05 ? WHY.loadBalancer : undefined,
    });
  }
  return out;
}

/** Known causes of the misses, written by hand from reading the code and the figures. */
const WHY = {
  loadBalancer:
    "Raw fetch is not the request lb.fetch must make. The floor column is: the same headers (the SDK's user-agent too: in process the emulator copies a request's headers several times, 7 to 12 µs for that one more header in one side-by-side run), an AbortSignal, and a deadline timer set before the request and cleared at the answer's head (any call with a timeout needs both; on loopback the answer's body is read between calls, a macrotask, so the client's shared deadline timer is set and cleared once per call, about 2 µs of CPU in Deno 2.9). What lb.fetch adds to the floor is its own work (checking the path and options, merging the headers, its call scope, reading the status to tell a no-worker answer from the worker's), a few µs a call over a stub fetch (the line under the table), against a request of hundreds of µs on loopback and tens of ms to RunPod; the per-round ratios vary more with the machine's load than the contenders differ within one round.",
  requests:
    "A job that outlives the 90 s /runsync wait is then polled on GET /status, which the server answers at once, pausing 250 ms, then 1.5 times longer each time up to 3 s: about 1 request per 3 s. runpod-sdk 1.1.2 instead polls GET /status-sync/{id}?wait=..., a route RunPod no longer documents, which the server holds until the job ends: 1 request per 90 s, when the route exists (the benchmark serves it as a held /status; the emulator, like RunPod may, answers it 404, and then runpod-sdk 1.1.2 rejects such jobs after 90 s). This SDK relies on documented routes only; with its default 90 s timeout runpod-sdk sends more (1 s held polls once its timeout has run out).",
  stream:
    "The consumer and the server share a 2-core machine with other work: a late item here is a scheduling delay, not a poll interval, since an empty /stream poll is held by the server and answered as soon as an item arrives.",
  clientSize:
    "The whole client is every entry of mod.ts bundled as one file: the job client, and the management API (REST v2: 53 operations with generated body checks, problem+json errors, paging, rate limits, SSE logs), Batch Jobs, runMany and the /stream engine, which an app that splits its bundle loads only on first use (see the jobs app's figure and the table under section 5).",
  memory: "The heap grew over the stream: check for items or chunks kept after they were yielded.",
  size:
    "The table under section 5 measures what each feature on the job path costs by cutting it out of a copy of the sources: pacing, on by default on every job request (issue 13), is the largest; then JobError, StreamGapError and parseWorkerError, which only the lazily loaded /stream engine throws but which are public, and bundlers that split by module (esbuild, as Rollup) load every module the entry reaches through mod.ts's exports together with the code that reaches it; then the management API's getters and lazy loader (issue 11), endpoint.batches and runMany's argument checks. With all of them cut together the app is under the 8 kB bound (the last row). The rest is the job client itself: validation of every argument and option, the error classes with their specific messages (which id, which route, what to do next: those sentences do not minify), the route table, retries and the shared deadline timer. runpod-sdk 1.1.2's own code is tiny, but it pulls in xior, tiny-lru, ts-deepmerge and parts of ramda.",
};

/** Why the overhead target is missed, from the run's own figures. */
function overheadWhy(r: Results, runtime: "deno" | "node"): string {
  const o = r.overhead[runtime];
  const runs = r.overheadRuns?.[runtime];
  const own = r.ownCost?.[runtime];
  const ratio = (rows: typeof o, lib: string) => rows?.[lib]?.ratio;
  const parts = [
    "Any call that honours a deadline needs a signal to abort its request with, and a timer pending while the request is in flight.",
  ];
  const signal = ratio(o, RAW_SIGNAL);
  const timeout = ratio(o, RAW_TIMEOUT);
  if (signal !== undefined && timeout !== undefined) {
    parts.push(
      `Call by call, the hand-written call with an AbortController's signal measured ${
        fixed(signal, 3)
      }× the raw call (the floor of any client that can abort its request), and with a timer set and cleared around it too ${
        fixed(timeout, 3)
      }× (the floor of any client whose calls each set a timer).`,
    );
  }
  parts.push(
    `The SDK's calls share the client's one deadline timer: concurrent calls, and the calls of a sequential loop, each of which takes the timer over from the call before (it is cleared three microtask turns after the last call settles, so that no timer outlives the calls by a macrotask: Deno's test sanitizers, the fault matrix's invariants and a Node process's exit depend on it). Interleaved call by call with the other contenders' requests, each SDK call still sets and clears it.`,
  );
  const sdkRuns = ratio(runs, "sdk");
  const signalRuns = ratio(runs, RAW_SIGNAL);
  if (sdkRuns !== undefined && signalRuns !== undefined) {
    parts.push(
      `In runs of ${RUN_LENGTH} calls in a row the SDK measured ${
        fixed(sdkRuns, 3)
      }× raw, against ${fixed(signalRuns, 3)}× for the hand-written call with a signal.`,
    );
  }
  if (own) {
    parts.push(
      `Without the network (over a stub fetch, same process) the SDK's own cost is ${
        fixed(own.sdk - own.raw, 2)
      } µs a call (argument checks, the call's scope and signal, pacing, retries' bookkeeping, the answer's shape check); a timer pair alone costs ${
        fixed(own.timerPair, 2)
      } µs and an AbortController ${fixed(own.abortController, 2)} µs there.`,
    );
  }
  parts.push(
    `The rest of the gap varies with the load: ${r.machine.cores} cores shared with other sessions (load average ${
      r.machine.loadavg.map((l) => fixed(l, 1)).join(" ")
    } at the start), the server on the same cores; the per-round medians in section 1 vary more between rounds than the contenders differ within one. Against RunPod (tens of ms per request) the SDK's few µs are noise.`,
  );
  return parts.join(" ");
}

function mark(met: boolean | undefined): string {
  return met === undefined ? "n/a" : met ? "met" : "**missed**";
}

/**
 * Writes `benchmarks.md` and `benchmarks.svg` into `docsDir`.
 *
 * @param r The figures.
 * @param docsDir Where to write.
 * @returns The paths written.
 */
export async function writeReport(r: Results, docsDir: string): Promise<string[]> {
  await Deno.mkdir(docsDir, { recursive: true });
  await Deno.writeTextFile(`${docsDir}/benchmarks.svg`, chart(r));
  // Keep the sections other scripts write (scripts/bench/doc_section.ts).
  const previous = await Deno.readTextFile(`${docsDir}/benchmarks.md`).catch(() => "");
  const kept = docSections(previous).map((section) => `\n${section}`).join("");
  await Deno.writeTextFile(`${docsDir}/benchmarks.md`, markdown(r) + kept);
  return [`${docsDir}/benchmarks.md`, `${docsDir}/benchmarks.svg`];
}

function markdown(r: Results): string {
  const m = r.machine;
  const c = r.config;
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    "# Benchmarks: @runpod/sdk, raw fetch and runpod-sdk 1.1.2",
    "",
    "<!-- Generated by scripts/bench.ts: edit the script, not this file. -->",
    "",
    `Produced by \`${r.command}\` (the task runs \`deno run -A scripts/bench.ts\`, from the repository root, with the dev dependencies of package.json installed) on ${
      m.date.slice(0, 10)
    }, all contenders side by side in one run. \`deno run -A scripts/bench.ts --smoke\` runs every section with tiny counts and writes nothing here.`,
    "",
    `**Machine**: ${m.cpu}, ${m.cores} cores, ${
      fixed(m.memoryGiB)
    } GiB, ${m.os}; Deno ${m.deno} (V8 ${m.v8}), Node ${m.node}; runpod-sdk ${m.runpodSdk}; load average at the start ${
      m.loadavg.map((l) => fixed(l, 2)).join(" ")
    }. A shared, noisy machine: read the medians and the ratios (measured in the same rounds), not the absolute µs.`,
    "",
    "The emulator (`@runpod/sdk/testing`) is served with `Deno.serve` on 127.0.0.1 by the bench process; each client runs in a child process of its own (Deno on the sources, Node on an esbuild bundle with runpod-sdk loaded from node_modules), one at a time, and the server counts the requests by route. Request counts for long jobs run in process on a `FakeClock`.",
    "",
    "![Requests per runSync and per-call overhead](benchmarks.svg)",
    "",
    "## Targets",
    "",
    "| target | figure | verdict |",
    "|---|---|---|",
  );
  const vs = verdicts(r);
  for (const v of vs) push(`| ${v.target} | ${v.figure} | ${mark(v.met)} |`);
  const misses = vs.filter((v) => v.met === false);
  if (misses.length > 0) {
    push("", "### Why the misses", "");
    for (const v of misses) push(`- **${v.target}**: ${v.figure}. ${v.why ?? ""}`);
  }

  push(
    "",
    "## 1. Per-call overhead: `status()` over keep-alive HTTP",
    "",
    `${c.overhead.rounds} rounds of ${c.overhead.calls} sequential calls per contender (after a warm-up of 200 each), every call timed on its own, the contenders interleaved call by call in a fresh random order each time, so that a slow spell of the shared machine falls on all of them alike. µs per call is the median of all the calls; the ratio is the ratio of the medians to raw \`fetch\` + \`JSON.parse\`; the last column is each round's median, to show the spread. The SDK keeps its pacing on, as by default, but with \`/status\` limits ${PACING_FACTOR} times RunPod's (${
      RATE_LIMITS.routes.status.rate * PACING_FACTOR
    } requests per ${
      RATE_LIMITS.window / 1000
    } s, ${OVERHEAD_PACING.limits.status.concurrent} in flight), far above the rate of these back-to-back calls: the pacer's bookkeeping is in every call measured, its waits are not (at RunPod's own limits a share of the calls would wait for a turn, which is intended behaviour, not per-call overhead). The emulator serving the benchmark enforces no rate limit, so no contender meets a 429.`,
    "",
    "| runtime | contender | µs per call | × raw fetch | per-round medians (µs) |",
    "|---|---|---:|---:|---|",
  );
  const overheadRows = (rows: Results["overhead"]) => {
    for (const runtime of ["deno", "node"] as const) {
      for (const lib of ["raw", RAW_SIGNAL, RAW_TIMEOUT, "sdk", "runpod-sdk"]) {
        const row = rows[runtime]?.[lib];
        if (row === undefined && (lib === RAW_TIMEOUT || lib === RAW_SIGNAL)) continue;
        push(
          `| ${runtime === "deno" ? "Deno" : "Node"} | ${NAMES[lib]} | ${fixed(row?.us)} | ${
            fixed(row?.ratio, 3)
          } | ${row?.rounds?.map((v) => v.toFixed(0)).join(" ") ?? "n/a"} |`,
        );
      }
    }
  };
  overheadRows(r.overhead);
  if (r.overheadRuns) {
    push(
      "",
      `The same, the contenders interleaved in runs of ${RUN_LENGTH} calls in a row (a fresh random order of contenders for each turn), as a loop of \`await endpoint.status(id)\` makes them: the SDK's calls then take the client's deadline timer over from the call before, where call by call each one sets and clears it.`,
      "",
      "| runtime | contender | µs per call | × raw fetch | per-round medians (µs) |",
      "|---|---|---:|---:|---|",
    );
    overheadRows(r.overheadRuns);
  }
  if (r.ownCost) {
    push(
      "",
      `The SDK's own cost, without the network: the same \`status()\` over a stub \`fetch\` that answers at once, beside the hand-written call over the same stub, interleaved the same way (${c.overhead.rounds} rounds of ${
        c.overhead.calls * 2
      } calls each), in the same child process; and, measured there too, what a call's unavoidable parts cost alone: a \`setTimeout\`/\`clearTimeout\` pair (the call's deadline) and a \`new AbortController()\` (the call's signal; median of ${c.overhead.rounds} loops of 20,000).`,
      "",
      "| runtime | raw over the stub (µs) | SDK over the stub (µs) | SDK's own cost (µs) | a timer pair (µs) | an AbortController (µs) |",
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const runtime of ["deno", "node"] as const) {
      const o = r.ownCost[runtime];
      if (!o) continue;
      push(
        `| ${runtime === "deno" ? "Deno" : "Node"} | ${fixed(o.raw, 2)} | ${fixed(o.sdk, 2)} | ${
          fixed(o.sdk - o.raw, 2)
        } | ${fixed(o.timerPair, 2)} | ${fixed(o.abortController, 2)} |`,
      );
    }
  }

  push(
    "",
    "## 2. HTTP requests per `runSync`",
    "",
    "One `runSync` of a job that takes the given time on the worker, counted on the emulator in process on a `FakeClock` (runpod-sdk 1.1.2 reads `Date.now()` and the global `fetch`: both are pointed at the fake clock and the emulator while it runs). `/status-sync` is served as a held `/status`, as runpod-sdk 1.1.2 expects, except in the last column.",
    "",
    "| job | this SDK | runpod-sdk 1.1.2 (default timeout 90 s) | runpod-sdk 1.1.2, timeout 300 s | runpod-sdk 1.1.2, /status-sync answers 404 |",
    "|---|---|---|---|---|",
  );
  for (const ms of c.jobs) {
    const cell = (name: string) => {
      const x = r.requests.find((q) => q.contender === name && q.jobMs === ms);
      if (!x) return "n/a";
      const routes = Object.entries(x.byRoute).map(([k, v]) => `${v}× ${k}`).join(", ");
      return `**${x.requests}** (${routes}); ${x.outcome} at ${fixed(x.tookMs / 1000)} s`;
    };
    push(
      `| ${ms / 1000} s | ${cell("sdk")} | ${cell("runpod-sdk")} | ${
        cell("runpod-sdk timeout 300 s")
      } | ${cell("runpod-sdk, /status-sync 404")} |`,
    );
  }
  if (r.realRequests.length > 0) {
    push(
      "",
      `Cross-check in real time over loopback (Node): ${
        r.realRequests.map((x) =>
          `${x.jobMs / 1000} s job, ${NAMES[x.lib]}: ${x.requests} request(s), ${x.status}`
        ).join("; ")
      }.`,
    );
  }

  push(
    "",
    "## 3. Streaming",
    "",
    `A worker yields ${c.stream.items} items, one every ${c.stream.interval} ms, each stamped with the wall-clock time it was produced; the delay is the time from production to the consumer's loop body. ${c.stream.runs} runs per contender, pooled; /stream requests are the median per run. The server holds an empty poll (10 s by default).`,
    "",
    "| runtime | contender | /stream requests | delay median (ms) | delay p99 (ms) | max (ms) |",
    "|---|---|---:|---:|---:|---:|",
  );
  for (const s of r.stream) {
    push(
      `| ${s.runtime} | ${NAMES[s.lib]} | ${s.streamRequests} | ${fixed(s.median, 2)} | ${
        fixed(s.p99, 2)
      } | ${fixed(s.max, 2)} |`,
    );
  }

  push(
    "",
    "## 4. Scale",
    "",
    `${c.scale.jobs} concurrent \`runSync\` calls of ${
      c.scale.ms / 1000
    } s jobs (the emulator has enough workers to run them all at once), median of ${c.scale.runs} runs. Memory is the client process's own, sampled every 10 ms.`,
    "",
    "| runtime | contender | wall time (ms) | over the floor | requests | RSS before (MB) | RSS peak (MB) | heap peak (MB) |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const s of r.scale) {
    push(
      `| ${s.runtime} | ${NAMES[s.lib]} | ${fixed(s.wallMs, 0)} | +${
        fixed(s.wallMs - c.scale.ms, 0)
      } ms | ${s.requests} | ${fixed(s.rssStart / 1e6)} | ${fixed(s.rssPeak / 1e6)} | ${
        fixed(s.heapPeak / 1e6)
      } |`,
    );
  }
  push(
    "",
    "The raw loop pays the same time over the floor: it goes to opening a thousand connections at once and to the server (emulator and Deno.serve in one process, on the same 2 cores as the client), not to the client library.",
  );
  push(
    "",
    `One stream of ${c.longstream.items} items (batches of ${c.longstream.batch}, 1 ms apart); memory after a forced GC (\`--expose-gc\`) once 10% of the items arrived (the start, code paths warm), at 55% and at the end. Keeping the items would add several MB over the last 90%; RSS grows in every contender, the raw loop included, since freed memory is not handed back to the OS.`,
    "",
    "| runtime | contender | time (s) | /stream requests | heap at 10% (MB) | at 55% | at the end | RSS at 10% (MB) | RSS at the end |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const l of r.longstream) {
    push(
      `| ${l.runtime} | ${NAMES[l.lib]} | ${fixed(l.seconds)} | ${l.streamRequests} | ${
        fixed(l.start.heap / 1e6, 2)
      } | ${fixed(l.mid.heap / 1e6, 2)} | ${fixed(l.end.heap / 1e6, 2)} | ${
        fixed(l.start.rss / 1e6)
      } | ${fixed(l.end.rss / 1e6)} |`,
    );
  }

  if (r.size) {
    const s = r.size;
    const imp = r.imports ?? {};
    const ms = (key: string) =>
      typeof imp[key] === "number" ? `${fixed(imp[key] as number)} ms` : "n/a";
    push(
      "",
      "## 5. Size and cold import",
      "",
      "| | @runpod/sdk | runpod-sdk 1.1.2 |",
      "|---|---:|---:|",
      `| npm tarball | ${bytes(s.sdk.tarball)} | ${bytes(s["runpod-sdk"].tarball)} |`,
      `| installed, with dependencies | ${bytes(s.sdk.installed)} (0 dependencies) | ${
        bytes(s["runpod-sdk"].installed)
      } (${s["runpod-sdk"].packages.join(", ")}) |`,
      `| client bundled and minified (esbuild) | ${bytes(s.sdk.min)} | ${
        bytes(s["runpod-sdk"].min)
      } |`,
      `| minified + gzipped | ${bytes(s.sdk.gz)} | ${bytes(s["runpod-sdk"].gz)} |`,
      ...(r.jobsApp
        ? [
          `| an app that only runs jobs, split into chunks: minified + gzipped | ${
            bytes(r.jobsApp.gz)
          } (+ ${bytes(r.jobsApp.lazy.gz)} of management code, loaded on first use) | n/a |`,
        ]
        : []),
      `| cold import, Deno (median of ${c.imports} fresh processes) | ${ms("deno sdk")} | ${
        ms("deno runpod-sdk")
      } |`,
      `| cold import, Node (median of ${c.imports} fresh processes) | ${ms("node sdk")} | ${
        ms("node runpod-sdk")
      } |`,
      "",
      `Tarballs: \`npm pack --dry-run\` of \`npm/\` (built by \`scripts/build_npm.ts\`) and of the installed \`node_modules/runpod-sdk\`. Installed size: the unpacked tarball for @runpod/sdk; the files of runpod-sdk and of every package it depends on in node_modules. Bundles: \`esbuild --bundle --minify --format=esm\` of \`mod.ts\` (platform neutral) and of runpod-sdk's entry with its dependencies (platform node); gzip by \`CompressionStream\`. Cold import: the time of one dynamic \`import()\` in a fresh process (Deno: \`mod.ts\` from its warm transpile cache; Node: \`${
        imp.nodeSdkFile ?? "n/a"
      }\`), one warm-up spawn not counted.`,
    );
  }

  if (r.jobsApp && r.sizeByFeature) {
    const app = r.jobsApp.gz;
    push(
      "",
      "### What the jobs app's features cost",
      "",
      `The same jobs app (${
        bytes(app)
      } minified + gzipped), bundled from a copy of the sources with one feature cut out by \`scripts/bench/size_by_feature.ts\` (a few literal replacements; the copy is measured, never built or run), then with all of them cut.`,
      "",
      "| cut out | the jobs app without it | saves |",
      "|---|---:|---:|",
      ...r.sizeByFeature.map((f) =>
        f.without
          ? `| ${f.name} | ${bytes(f.without.gz)} | ${bytes(app - f.without.gz)} |`
          : `| ${f.name} | stale cut: \`${f.stale}\` no longer found | n/a |`
      ),
    );
  }

  if (r.worker) push("", ...workerReport(r.worker));
  if (r.loadBalancer) push("", ...loadBalancerReport(r.loadBalancer));

  push(
    "",
    "## How runpod-sdk 1.1.2 was driven, and what it sends",
    "",
    "- It takes a base URL: `runpodSdk(apiKey, { baseUrl })`; requests go through xior, which calls the global `fetch` at call time.",
    "- `runSync(request, timeout = 90000)`: `POST /runsync?wait=clamp(1000, 90000, timeout)`, then while the job is not terminal `GET /status-sync/{id}?wait=clamp(1000, 90000, timeout - elapsed)`, a held poll on a route RunPod no longer documents. The elapsed time is counted from the start of the call, but the loop's own deadline from the end of `/runsync`, so with the default timeout a job longer than 90 s is polled with 1 s holds (one request a second) until 90 s after `/runsync` came back, then it resolves with the unfinished job (`completed: false`). If `/status-sync` answers 404, it rejects (`Request failed with status code 404`).",
    "- It logs every `/status-sync` answer with `console.log` (`{id}: IN_PROGRESS`), through a reference saved at import, so the caller cannot silence it.",
    "- `stream(id)`: `GET /stream/{id}` with no `wait`, again at once after every answer, with no pause after an empty one (the server's hold is its only brake); items are yielded as they come.",
    "- `status`, `run`, `cancel`, `health`, `purgeQueue` pass a 3 s timeout to xior; `runsync` and `status-sync` have none. No retries.",
    "- The API key is a plain field of the client and endpoint objects: `JSON.stringify(runpod)` prints it.",
    "",
  );
  return lines.join("\n");
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A grouped bar chart; `groups` are x categories, `series` their bars. */
function panel(
  x: number,
  title: string,
  unit: string,
  groups: string[],
  series: { name: string; color: string; values: (number | undefined)[] }[],
): string {
  const w = 420;
  const h = 230;
  const top = 40;
  const left = 40;
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0))) * 1.15;
  const gw = (w - left) / groups.length;
  const bw = Math.min(36, (gw - 16) / series.length);
  const parts = [
    `<text x="${x + w / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${
      esc(title)
    }</text>`,
    `<line x1="${x + left}" y1="${top + h}" x2="${x + w}" y2="${top + h}" stroke="#333"/>`,
    `<text x="${x + 4}" y="${top + 4}" font-size="11" fill="#555">${esc(unit)}</text>`,
  ];
  groups.forEach((g, gi) => {
    const gx = x + left + gi * gw + (gw - bw * series.length) / 2;
    series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === undefined || !Number.isFinite(v)) return;
      const bh = (v / max) * h;
      const bx = gx + si * bw;
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${(top + h - bh).toFixed(1)}" width="${
          (bw - 2).toFixed(1)
        }" height="${bh.toFixed(1)}" fill="${s.color}"/>`,
        `<text x="${(bx + bw / 2 - 1).toFixed(1)}" y="${
          (top + h - bh - 3).toFixed(1)
        }" text-anchor="middle" font-size="10">${
          Number.isInteger(v) || v >= 100
            ? v.toFixed(0)
            : v >= 10
            ? v.toFixed(1)
            : String(+v.toFixed(2))
        }</text>`,
      );
    });
    parts.push(
      `<text x="${(x + left + gi * gw + gw / 2).toFixed(1)}" y="${
        top + h + 16
      }" text-anchor="middle" font-size="12">${esc(g)}</text>`,
    );
  });
  series.forEach((s, si) => {
    const ly = top + h + 34 + si * 16;
    parts.push(
      `<rect x="${x + left}" y="${ly - 10}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${x + left + 18}" y="${ly}" font-size="11">${esc(s.name)}</text>`,
    );
  });
  return parts.join("\n");
}

function chart(r: Results): string {
  const jobs = r.config.jobs;
  const req = (name: string) =>
    jobs.map((ms) => r.requests.find((c) => c.contender === name && c.jobMs === ms)?.requests);
  const left = panel(
    10,
    "HTTP requests per runSync",
    "requests",
    jobs.map((ms) => `${ms / 1000} s job`),
    [
      { name: "@runpod/sdk", color: "#2b6cb0", values: req("sdk") },
      {
        name: "runpod-sdk 1.1.2 (default 90 s timeout)",
        color: "#c05621",
        values: req("runpod-sdk"),
      },
      {
        name: "runpod-sdk 1.1.2 (timeout 300 s, /status-sync held)",
        color: "#dd6b20aa",
        values: req("runpod-sdk timeout 300 s"),
      },
    ],
  );
  const runtimes = ["deno", "node"] as const;
  const us = (lib: string) => runtimes.map((rt) => r.overhead[rt]?.[lib]?.us);
  const right = panel(
    470,
    "status() over keep-alive HTTP (median)",
    "µs per call",
    ["Deno", "Node"],
    [
      { name: "raw fetch + JSON.parse", color: "#718096", values: us("raw") },
      { name: "@runpod/sdk", color: "#2b6cb0", values: us("sdk") },
      { name: "runpod-sdk 1.1.2", color: "#c05621", values: us("runpod-sdk") },
    ],
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="340" viewBox="0 0 900 340" font-family="sans-serif">
<rect width="900" height="340" fill="#fff"/>
${left}
${right}
</svg>
`;
}

/** The load-balancing section of docs/benchmarks.md. */
function loadBalancerReport(lb: LoadBalancerResults): string[] {
  // The floor contender (scripts/bench/load_balancer.ts's FLOOR); results written before it have none.
  const floor = "floor";
  const row = (where: string, m: LoadBalancerResults["served"]) =>
    `| ${where} | ${fixed(m.raw!.us, 1)} | ${fixed(m["raw with a signal"]!.us, 1)} | ${
      m[floor] ? fixed(m[floor].us, 1) : "–"
    } | ${fixed(m["lb.fetch"]!.us, 1)} | ${fixed(m.ratio, 3)}× | ${
      fixed(m.versus["raw with a signal"]!, 3)
    }× | ${m.versus[floor] !== undefined ? `${fixed(m.versus[floor], 3)}×` : "–"} |`;
  return [
    "## Load-balancing endpoints: `lb.fetch` beside `fetch`, and cold starts",
    "",
    "The same small POST to a warm load-balancing endpoint of the emulator four ways, interleaved in rounds (`scripts/bench/load_balancer.ts`): a hand-written `fetch` with the key, the same with an AbortSignal, the floor (the same with lb.fetch's headers, its user-agent too, a signal, and a deadline timer set before the request and cleared at the answer's head: what any call with a timeout sends and needs), and `lb.fetch`. µs per call are medians; the ratios are medians of the per-round ratios.",
    "",
    "| where | raw fetch (µs) | raw with a signal (µs) | floor (µs) | lb.fetch (µs) | × raw | × raw with a signal | × floor |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    row("in process (`emulator.fetch`)", lb.inProcess),
    row("served on loopback", lb.served),
    "",
    `Over a stub fetch that answers at once, lb.fetch's own cost is ${
      fixed(lb.ownCost.sdk - lb.ownCost.raw, 2)
    } µs a call.`,
    "",
    "Cold start to the first answer, on a `FakeClock` (a container that boots, then a model that loads after the first health check; RunPod holds a request 2 minutes at most, then answers 400 and `lb.json` tries again):",
    "",
    "| boot + load | first answer at (simulated) | requests | answers | real time to simulate |",
    "|---|---:|---:|---|---:|",
    ...lb.coldStart.map((c) =>
      `| ${c.boot / 1000} s + ${c.load / 1000} s | ${c.firstAnswerMs / 1000} s | ${c.requests} | ${
        c.statuses.join(", ")
      } | ${fixed(c.realMs, 1)} ms |`
    ),
  ];
}
