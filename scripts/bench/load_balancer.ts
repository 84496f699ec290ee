// Load-balancing endpoints, side by side: the per-request cost of `lb.fetch`
// over a hand-written `fetch` of the same request to the emulator, without and
// with an AbortSignal (which any call with a timeout needs), in process
// through `emulator.fetch` and served on loopback; and the time from a cold
// start to the first answer on a FakeClock (simulated time, and the real time
// it took to simulate).
//
//   deno run -A scripts/bench/load_balancer.ts            full counts
//   deno run -A scripts/bench/load_balancer.ts --smoke    tiny counts
//
// Prints a line per figure and, last, `RESULT {json}` (scripts/bench.ts reads it).
import runpodSdk, { type LoadBalancer } from "../../mod.ts";
import { createEmulator, type Emulator, FakeClock } from "../../testing.ts";
import { LOAD_BALANCER } from "../../src/_runpod_facts.ts";
import { VERSION } from "../../src/version.ts";
import { median } from "./stats.ts";

const smoke = Deno.args.includes("--smoke");
const ROUNDS = smoke ? 2 : 9;
const CALLS = smoke ? 50 : 1000;
const KEY = "bench-key";
const BODY = JSON.stringify({ prompt: "a horse" });
/** lb.fetch's default timeout (RunPod's 2 minutes waiting for a worker + 5.5 of processing), the floor's timer. */
const TIMEOUT = LOAD_BALANCER.workerWait + LOAD_BALANCER.processing;
/**
 * The floor contender (report.ts reads it by this name): the request lb.fetch must make, by hand,
 * with its headers (the key and the SDK's user-agent), a signal and a deadline timer.
 */
const FLOOR = "floor";

/** A warm load-balancing endpoint "lb" whose worker answers a small JSON at once. */
function warm(): Emulator {
  return createEmulator({
    apiKey: KEY,
    endpoints: [{
      id: "lb",
      type: "LOAD_BALANCER",
      workers: { min: 1, max: 1 },
      scaling: { requestCount: 1000 },
    }],
    rateLimits: false,
    loadBalancer: {
      handler: (request) =>
        new URL(request.url).pathname === "/ping"
          ? new Response(null)
          : Response.json({ text: "A horse." }),
    },
  });
}

type Call = () => Promise<void>;

/**
 * µs per call of each contender, and the ratio of the second to the first: in each round the
 * two alternate in batches of 50 calls (so that both meet the same load on a noisy machine);
 * the figures are the medians over the rounds of each one's mean, and of the per-round ratios.
 */
async function sideBySide(contenders: Record<string, Call>) {
  const names = Object.keys(contenders);
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const ratios: number[] = [];
  /** The last contender's per-round ratios to each contender between the first and the last. */
  const byBaseline: Record<string, number[]> = {};
  for (const call of Object.values(contenders)) for (let i = 0; i < 50; i++) await call(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    const spent: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    for (let batch = 0; batch < CALLS / 50; batch++) {
      const order = (round + batch) % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const call = contenders[name]!;
        const start = performance.now();
        for (let i = 0; i < 50; i++) await call();
        spent[name]! += performance.now() - start;
      }
    }
    for (const name of names) perRound[name]!.push((spent[name]! * 1000) / CALLS);
    ratios.push(spent[names.at(-1)!]! / spent[names[0]!]!);
    for (const name of names.slice(1, -1)) {
      (byBaseline[name] ??= []).push(spent[names.at(-1)!]! / spent[name]!);
    }
  }
  const figures: Record<string, { us: number; rounds: number[] }> = Object.fromEntries(
    names.map((n) => [n, { us: median(perRound[n]!), rounds: perRound[n]! }]),
  );
  const versus = Object.fromEntries(
    Object.entries(byBaseline).map(([name, values]) => [name, median(values)]),
  );
  return { ...figures, ratio: median(ratios), ratios, versus } as
    & Record<string, { us: number; rounds: number[] }>
    & { ratio: number; ratios: number[]; versus: Record<string, number> };
}

const results: Record<string, unknown> = {};

type Measured = Awaited<ReturnType<typeof sideBySide>>;

/** What this script's `RESULT` line holds (scripts/bench/report.ts writes its section). */
export interface LoadBalancerResults {
  /** In process, through `emulator.fetch`. */
  inProcess: Measured;
  /** Served on loopback (`Deno.serve`), the runtime's fetch. */
  served: Measured;
  /** Over a stub fetch: µs per call, raw and lb.fetch. */
  ownCost: { raw: number; sdk: number };
  /** Cold start to the first answer, on a FakeClock. */
  coldStart: {
    boot: number;
    load: number;
    firstAnswerMs: number;
    requests: number;
    statuses: number[];
    realMs: number;
  }[];
}

/**
 * The same POST four ways, side by side: a hand-written `send` of it, the
 * same with an AbortSignal, the floor (the same with lb.fetch's headers, a
 * signal and a deadline timer: what any call with a timeout needs), and
 * `lb.fetch`.
 */
function fourWays(send: typeof fetch, url: string, lb: LoadBalancer): Promise<Measured> {
  const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
  const sdkHeaders = { ...headers, "user-agent": `runpod-sdk-ts/${VERSION}` };
  return sideBySide({
    raw: async () => void await (await send(url, { method: "POST", headers, body: BODY })).text(),
    "raw with a signal": async () =>
      void await (await send(url, {
        method: "POST",
        headers,
        body: BODY,
        signal: new AbortController().signal,
      })).text(),
    // The floor of lb.fetch: the same headers (a user-agent costs the emulator µs per request in
    // process: it copies the headers several times), a signal, and a timer set before the
    // request and cleared once the answer's head came (lb.fetch's deadline covers the head only).
    [FLOOR]: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), TIMEOUT);
      const response = await send(url, {
        method: "POST",
        headers: sdkHeaders,
        body: BODY,
        signal: controller.signal,
      });
      clearTimeout(timer);
      void await response.text();
    },
    "lb.fetch": async () =>
      void await (await lb.fetch("/generate", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: BODY,
      }))
        .text(),
  });
}

/** Prints one line of {@linkcode fourWays}'s figures. */
function report(where: string, measured: Measured): void {
  console.log(
    `${where}: raw ${measured.raw!.us.toFixed(1)} µs, raw with a signal ${
      measured["raw with a signal"]!.us.toFixed(1)
    } µs, lb.fetch ${measured["lb.fetch"]!.us.toFixed(1)} µs: ${measured.ratio.toFixed(3)}× raw, ${
      measured.versus["raw with a signal"]!.toFixed(3)
    }× raw with a signal, ${measured.versus[FLOOR]!.toFixed(3)}× the floor (${
      measured[FLOOR]!.us.toFixed(1)
    } µs) (medians of per-round ratios; to raw: ${
      measured.ratios.map((r) => r.toFixed(2)).join(" ")
    })`,
  );
}

// 1. In process: emulator.fetch, no network.
{
  await using emulator = warm();
  const lb = runpodSdk(KEY, { fetch: emulator.fetch }).loadBalancer("lb");
  await lb.ready();
  results.inProcess = await fourWays(emulator.fetch, "https://lb.api.runpod.ai/generate", lb);
  report("in process (emulator.fetch)", results.inProcess as Measured);
}

// 2. Served on loopback: the runtime's fetch over HTTP.
{
  await using emulator = warm();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    emulator.handler,
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const lb = runpodSdk(KEY, { loadBalancerUrl: `${origin}/lb/{endpointId}` }).loadBalancer("lb");
  await lb.ready();
  results.served = await fourWays(fetch, `${origin}/lb/lb/generate`, lb);
  report("served on loopback", results.served as Measured);
}

// 3. The SDK's own cost: the same calls over a stub fetch that answers at once.
{
  const stub = () => Promise.resolve(new Response('{"text":"A horse."}'));
  const lb = runpodSdk(KEY, { fetch: stub }).loadBalancer("lb");
  const measured = await sideBySide({
    raw: async () => void await (await stub()).text(),
    "lb.fetch": async () =>
      void await (await lb.fetch("/generate", { method: "POST", body: BODY })).text(),
  });
  results.ownCost = { raw: measured.raw!.us, sdk: measured["lb.fetch"]!.us };
  console.log(
    `over a stub fetch: raw ${measured.raw!.us.toFixed(2)} µs, lb.fetch ${
      measured["lb.fetch"]!.us.toFixed(2)
    } µs (the SDK's own cost per call: ${
      (measured["lb.fetch"]!.us - measured.raw!.us).toFixed(2)
    } µs)`,
  );
}

// 4. Cold start to first answer, on a FakeClock: a container start of `boot` ms, then a model
// that loads `load` ms after the first health check; RunPod holds a request 2 minutes at most.
async function coldStart(boot: number, load: number) {
  using clock = new FakeClock({ start: 0 });
  let loaded = false;
  let loading = false;
  await using emulator = createEmulator({
    apiKey: KEY,
    clock,
    endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
    loadBalancer: {
      coldStart: boot,
      handler: (request) => {
        if (new URL(request.url).pathname !== "/ping") return Response.json({ text: "A horse." });
        if (!loading) {
          loading = true;
          clock.setTimer(() => (loaded = true), load);
        }
        return new Response(null, { status: loaded ? 200 : 204 });
      },
    },
  });
  const lb = runpodSdk(KEY, { fetch: emulator.fetch, clock }).loadBalancer("lb");
  const real = performance.now();
  const answer = await lb.json<{ text: string }>("/generate", { prompt: "a horse" });
  if (answer.text !== "A horse.") throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
  const figure = {
    boot,
    load,
    firstAnswerMs: clock.now(),
    requests: emulator.countRequests("LB POST /generate"),
    statuses: emulator.requests.map((r) => r.status),
    realMs: performance.now() - real,
  };
  console.log(
    `cold start (boot ${boot / 1000} s + load ${load / 1000} s): first answer at ${
      figure.firstAnswerMs / 1000
    } s of fake time after ${figure.requests} request(s) (${
      figure.statuses.join(", ")
    }), simulated in ${figure.realMs.toFixed(1)} ms`,
  );
  return figure;
}
results.coldStart = [await coldStart(20_000, 25_000), await coldStart(60_000, 90_000)];

console.log(`RESULT ${JSON.stringify(results)}`);
