// Counts the HTTP requests one runSync sends for a job of a given length, on
// the in-process emulator with a FakeClock, so a 150 s job takes well under a
// second. runpod-sdk 1.1.2 reads Date.now() and the global fetch, so while it
// runs both are pointed at the fake clock and the emulator. Prints
// `RESULT {json}`.
import runpodSdk from "../../mod.ts";
import { createEmulator, FakeClock } from "../../testing.ts";
import legacySdk from "runpod-sdk";
import { API_KEY, benchHandler, ENDPOINT, total } from "./server.ts";
import type { BenchInput } from "./worker.ts";

/** One contender of the count. */
export type Contender =
  | "sdk"
  | "runpod-sdk"
  | "runpod-sdk timeout 300 s"
  | "runpod-sdk, /status-sync 404";

/** One measured runSync. */
export interface Count {
  contender: Contender;
  jobMs: number;
  requests: number;
  byRoute: Record<string, number>;
  /** The final status, or the error it rejected with. */
  outcome: string;
  /** Simulated ms from the call to its end. */
  tookMs: number;
}

async function count(contender: Contender, jobMs: number): Promise<Count> {
  using clock = new FakeClock();
  await using emulator = createEmulator<BenchInput>({
    apiKey: API_KEY,
    endpoints: [ENDPOINT],
    clock,
    workers: 4,
    worker: ({ sleep }) => sleep(jobMs).then(() => "done"),
    // Requests are counted per job here, not against RunPod's limits.
    rateLimits: false,
  });
  const { handle, counts } = benchHandler(
    emulator,
    clock,
    (request) => emulator.fetch(request),
    { statusSync: contender !== "runpod-sdk, /status-sync 404" },
  );
  const fetchFn = (input: Request | URL | string, init?: RequestInit) =>
    handle(new Request(input, init));
  const start = clock.now();
  let outcome: string;
  if (contender === "sdk") {
    const endpoint = runpodSdk(API_KEY, { baseUrl: emulator.baseUrl, fetch: fetchFn, clock })
      .endpoint(ENDPOINT);
    outcome = (await endpoint.runSync({ input: {} })).status;
  } else {
    const realNow = Date.now;
    const realFetch = globalThis.fetch;
    Date.now = () => clock.now();
    globalThis.fetch = fetchFn as typeof fetch;
    try {
      const endpoint = legacySdk(API_KEY, { baseUrl: emulator.baseUrl }).endpoint(ENDPOINT)!;
      const timeout = contender === "runpod-sdk timeout 300 s" ? 300_000 : undefined;
      const job = await endpoint.runSync({ input: {} }, timeout) as {
        status: string;
        completed?: boolean;
      };
      outcome = job.completed === false ? `${job.status}, gave up` : job.status;
    } catch (error) {
      outcome = `rejected: ${error instanceof Error ? error.message : error}`;
    } finally {
      Date.now = realNow;
      globalThis.fetch = realFetch;
    }
  }
  const byRoute = counts.snapshot();
  return {
    contender,
    jobMs,
    requests: total(byRoute),
    byRoute,
    outcome,
    tookMs: clock.now() - start,
  };
}

const jobs = JSON.parse(Deno.args[0] ?? "[100, 5000, 150000]") as number[];
const contenders: Contender[] = [
  "sdk",
  "runpod-sdk",
  "runpod-sdk timeout 300 s",
  "runpod-sdk, /status-sync 404",
];
const results: Count[] = [];
for (const jobMs of jobs) {
  for (const contender of contenders) results.push(await count(contender, jobMs));
}
console.log(`RESULT ${JSON.stringify(results)}`);
