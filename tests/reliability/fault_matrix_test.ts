// Runs every scenario of the fault matrix (_matrix.ts) against the emulator
// and checks its promised outcome, and, on every one of them, the invariants:
// no job enqueued twice, the call settles, no timer or listener left behind,
// the API key in no error, Authorization sent to the configured origin only.
import assert from "node:assert/strict";
import {
  type Endpoint,
  RunpodApiError,
  RunpodConnectionError,
  RunpodError,
  StreamGapError,
  TimeoutError,
} from "../../mod.ts";
import { KEY } from "../_helpers/setup.ts";
import {
  ATTEMPTS,
  describeOutcome,
  type ErrorName,
  type Outcome,
  type RouteCase,
  type Scenario,
  scenarios,
} from "./_matrix.ts";
import {
  bounded,
  countingSignal,
  type Harness,
  harness,
  matrixWorker,
  views,
} from "../_helpers/harness.ts";

const CLASSES: Record<ErrorName, new (...args: never[]) => Error> = {
  RunpodApiError,
  RunpodConnectionError,
  RunpodError,
  TimeoutError,
  StreamGapError,
};

/** Prepares what the route's call needs and returns the job id it works on. */
async function prepare(t: Harness<unknown, unknown>, route: RouteCase): Promise<string> {
  const e = t.endpoint;
  switch (route.route) {
    case "GET /stream":
      return (await e.run({ input: { items: 3 } })).id;
    case "POST /cancel":
      return (await e.run({ input: { sleep: 600_000 } })).id;
    case "POST /retry":
      return (await e.runSync({ input: { fail: true } })).id;
    default: {
      const { id } = await e.run({ input: "done" });
      await e.waitFor(id);
      return id;
    }
  }
}

async function call(
  e: Endpoint<unknown, unknown>,
  route: RouteCase,
  jobId: string,
  options: { timeout?: number; signal: AbortSignal },
  items: unknown[],
): Promise<unknown> {
  switch (route.route) {
    case "POST /run":
      return await e.run({ input: "new" }, options);
    case "POST /runsync":
      return await e.runSync({ input: "new" }, options);
    case "GET /status":
      return await e.status(jobId, options);
    case "GET /stream": {
      const allowGaps = route.risk === "nothing";
      for await (const item of e.stream(jobId, { ...options, allowGaps })) items.push(item.output);
      return items;
    }
    case "POST /cancel":
      return await e.cancel(jobId, options);
    case "POST /retry":
      return await e.retry(jobId, options);
    case "POST /purge-queue":
      return await e.purgeQueue(options);
    case "GET /health":
      return await e.health(options);
  }
  throw new Error(`no call for ${route.route}`);
}

/** Checks that a resolved value has the shape the route documents. */
function checkShape(route: RouteCase, value: unknown): void {
  const v = value as Record<string, unknown>;
  switch (route.route) {
    case "GET /stream":
      assert.ok(Array.isArray(value));
      return;
    case "GET /health":
      assert.equal(typeof v.jobs, "object");
      assert.equal(typeof v.workers, "object");
      return;
    case "POST /purge-queue":
      assert.equal(typeof v.removed, "number");
      return;
    default:
      assert.equal(typeof v.id, "string");
      assert.equal(typeof v.status, "string");
  }
}

async function runScenario({ route, fault, mode, outcome }: Scenario): Promise<void> {
  await using t = harness({ worker: matrixWorker });
  const jobId = await prepare(t, route);
  const injected = fault.fault(route, { jobId, now: t.clock.now() })!;
  const times = mode === "persistent" ? ATTEMPTS : 1;
  if ("slowBody" in injected) t.slowBody(route.route, injected.slowBody, times);
  else t.emulator.inject(route.route, injected, times);

  const jobsBefore = t.emulator.jobs.length;
  const retriesBefore = t.emulator.job(jobId)?.retries ?? 0;
  const sentBefore = t.log.length;
  const { signal, listeners } = countingSignal();
  const items: unknown[] = [];
  const started = t.clock.now();
  const settled = await bounded(
    call(t.endpoint, route, jobId, { timeout: fault.timeout, signal }, items),
    `${route.call} on ${fault.name}`,
  );
  const elapsed = t.clock.now() - started;
  const sent = t.log.slice(sentBefore);

  // The promised outcome.
  if (outcome.result === "resolves") {
    assert.ok(settled.ok, `expected to resolve, rejected with ${!settled.ok && settled.error}`);
    checkShape(route, settled.value);
  } else {
    assert.ok(!settled.ok, `expected ${outcome.result}, resolved`);
    const error = settled.error as Error & { status?: number; received?: number };
    assert.ok(error instanceof CLASSES[outcome.result], `expected ${outcome.result}: ${error}`);
    assert.equal(error.name, outcome.result);
    if (outcome.message) assert.match(error.message, outcome.message);
    const api = outcome.result === "StreamGapError" ? error.cause : error;
    if (outcome.cause) {
      assert.ok(api instanceof CLASSES[outcome.cause], `cause: ${api}`);
    }
    if (outcome.status !== undefined) {
      assert.ok(api instanceof RunpodApiError, `expected an API error: ${api}`);
      assert.equal(api.status, outcome.status);
    }
    // Every error about a request names the route it was on.
    if (!(error instanceof TimeoutError)) {
      assert.equal((error as RunpodError).route, route.route);
    }
    if (error instanceof StreamGapError) assert.equal(error.received, items.length);
  }
  if (outcome.items) assert.deepEqual(items, outcome.items);
  if (outcome.elapsed !== undefined) assert.equal(elapsed, outcome.elapsed);

  // Attempts and the pauses before each retry.
  const onRoute = sent.filter((r) => r.route === route.route);
  const faulted = t.emulator.requests.filter((r) => r.route === route.route && r.fault).length +
    onRoute.filter((r) => r.slowBody).length;
  assert.equal(faulted, Math.min(times, outcome.attempts), "requests that met the fault");
  const attempts = onRoute.slice(0, outcome.attempts);
  assert.equal(attempts.length, outcome.attempts, "attempts");
  if (outcome.result !== "resolves" && route.route !== "GET /stream") {
    assert.equal(onRoute.length, outcome.attempts, "no request after the last attempt");
  }
  for (let i = 0; i < outcome.waits.length; i++) {
    const wait = attempts[i + 1].start - attempts[i].end!;
    const [min, max] = outcome.waits[i];
    assert.ok(wait >= min && wait <= max, `wait ${i + 1} was ${wait} ms, expected ${min}–${max}`);
  }

  // Invariant: a job is never enqueued twice.
  const enqueued = t.emulator.jobs.length - jobsBefore +
    (t.emulator.job(jobId)?.retries ?? 0) - retriesBefore;
  assert.equal(enqueued, outcome.enqueued, "jobs enqueued");
  assert.ok(enqueued <= 1);

  // Invariant: the call left no timer on the clock and no listener on the caller's signal.
  assert.equal(t.liveTimers(), 0, "the client's pending timers");
  assert.equal(listeners(), 0, "listeners left on the caller's signal");

  // Invariant: the key goes to the configured origin only, and appears in no error.
  for (const request of sent) {
    assert.equal(request.url.origin, "https://api.runpod.ai");
    assert.equal(request.authorization, `Bearer ${KEY}`);
  }
  if (!settled.ok) {
    for (const view of views(settled.error)) assert.ok(!view.includes(KEY), view);
  }
}

for (const scenario of scenarios()) {
  const { route, fault, mode, outcome } = scenario;
  const when = mode === "persistent" ? "on every attempt" : "once";
  Deno.test(
    `${route.call} meeting ${fault.name} ${when}: ${describeOutcome(outcome)}`,
    () => runScenario(scenario),
  );
}

Deno.test("the matrix covers every route and every fault", () => {
  const all = scenarios();
  const routes = new Set(all.map((s) => s.route.name));
  assert.equal(routes.size, 9);
  const faults = new Set(all.map((s) => s.fault.name));
  assert.equal(faults.size, 21);
  // Only three cells are not applicable: an unknown status on /health (it has
  // none), and `stream` not an array outside /stream.
  assert.equal(all.length, (9 * 21 - 1 - 7) * 2);
  const _typed: Outcome[] = all.map((s) => s.outcome);
});
