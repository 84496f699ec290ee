// The worker-side fault table: each row runs jobs against the fake RunPod with
// faults injected, and the same invariants are asserted over every row:
// 0 lost results, 0 duplicate final results (a repeated delivery after a lost
// answer carries the same body), 0 posts for stopped jobs, no busy loop, and
// 0 timers left after stop().
import assert from "node:assert/strict";
import type { Handler, JobContext, WorkerJob } from "../../worker.ts";
import {
  advanceUntil,
  deferred,
  FakeRunpod,
  type Fault,
  type Route,
  settle,
  startOn,
} from "./_fake_runpod.ts";

const status = (code: number, headers: Record<string, string> = {}) => () =>
  new Response(code === 204 ? null : `status ${code}`, { status: code, headers });
const body = (text: string) => () => new Response(text, { status: 200 });

interface Row {
  name: string;
  jobs?: number;
  concurrency?: number;
  /** Faults per route; functions so that each run gets fresh Responses. */
  faults?: Partial<Record<Route, (() => Fault)[]>>;
  handler?: Handler;
  /** Jobs the fake stops once they are running. */
  stop?: string[];
  /** Calls stop() once the first job runs, and releases the handlers after. */
  shutdown?: boolean;
  /** Extra checks on the row's requests. */
  check?: (fake: FakeRunpod) => void;
}

const echo: Handler = (job) => ({ echo: job.input });
const waitForAbort = (_job: WorkerJob, ctx: JobContext) =>
  new Promise((_resolve, reject) => {
    ctx.signal.throwIfAborted();
    ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
  });

const rows: Row[] = [
  {
    name: "takes answered 503 three times: backoff, then the jobs",
    faults: { take: [status(503), status(503), status(503)] },
    check: (fake) => assertSpaced(fake, "take", 3, 250),
  },
  {
    name: "a take answered 429 with Retry-After: 3 waits 3 s",
    faults: { take: [status(429, { "retry-after": "3" })] },
    check: (fake) => assert.ok(gapAfter(fake, "take", 0) >= 3000),
  },
  {
    name: "a take answered 429 without Retry-After waits 5 s",
    faults: { take: [status(429)] },
    check: (fake) => assert.ok(gapAfter(fake, "take", 0) >= 5000),
  },
  {
    name: "takes answered 204 at once are spaced 1 s apart (no busy loop)",
    faults: { take: [status(204), status(204), status(204), status(204)] },
    check: (fake) => assertSpaced(fake, "take", 4, 1000),
  },
  {
    name: "takes answered 400 (FlashBoot) are spaced like 204",
    faults: { take: [status(400), status(400)] },
    check: (fake) => assertSpaced(fake, "take", 2, 1000),
  },
  {
    name: "takes answered garbage (not JSON, not a job, an HTML page) back off",
    faults: {
      take: [body("not json"), body('{"foo": 1}'), () => new Response("<html>", { status: 502 })],
    },
    check: (fake) => assertSpaced(fake, "take", 3, 250),
  },
  {
    name: "a take never answered is given up after 90 s and sent again",
    faults: { take: [() => "hold"] },
    check: (fake) => assert.ok(gapAfter(fake, "take", 0) >= 90_000),
  },
  {
    name: "takes whose connection drops back off",
    faults: { take: [() => "drop", () => "drop"] },
    check: (fake) => assertSpaced(fake, "take", 2, 250),
  },
  {
    name:
      "a result post answered 500 four times (more than runpod-python's three tries) is delivered",
    jobs: 1,
    faults: { done: [status(500), status(500), status(500), status(500)] },
    check: (fake) => assert.equal(fake.of("done").length, 5),
  },
  {
    name: "a result post answered 429 with Retry-After: 2 is sent again 2 s later",
    jobs: 1,
    faults: { done: [status(429, { "retry-after": "2" })] },
    check: (fake) => assert.ok(gapAfter(fake, "done", 0) >= 2000),
  },
  {
    name: "a result post answered 408 and 502 is delivered",
    jobs: 2,
    faults: { done: [status(408), status(502)] },
  },
  {
    name: "a result post whose answer is lost is sent again with the same body",
    jobs: 2,
    faults: { done: [() => "lose-answer"] },
    check: (fake) => assert.equal(fake.finals.get("job-0")!.length, 2),
  },
  {
    name: "a result post whose connection drops three times is delivered",
    jobs: 1,
    faults: { done: [() => "drop", () => "drop", () => "drop"] },
  },
  {
    name: "a result post never answered times out after 30 s and is sent again",
    jobs: 1,
    faults: { done: [() => "hold"] },
    check: (fake) => assert.ok(gapAfter(fake, "done", 0) >= 30_000),
  },
  {
    name: "a stream post answered 503 is sent again; the items stay in order",
    jobs: 1,
    handler: async function* () {
      yield 1;
      yield 2;
    },
    faults: { stream: [status(503)] },
    check: (fake) => assert.deepEqual(fake.streamed.get("job-0"), [1, 2]),
  },
  {
    name: "the stop channel answering 500 and garbage backs off; jobs still run",
    faults: { stop: [status(500), body("nope"), status(500)] },
  },
  {
    name: "a job stopped mid-run posts nothing and frees its slot",
    jobs: 3,
    handler: (job, ctx) => job.id === "job-1" ? waitForAbort(job, ctx) : echo(job, ctx),
    stop: ["job-1"],
  },
  {
    name: "two of four concurrent jobs stopped mid-run, with result posts failing",
    jobs: 4,
    concurrency: 4,
    handler: (job, ctx) =>
      job.id === "job-0" || job.id === "job-3" ? waitForAbort(job, ctx) : echo(job, ctx),
    stop: ["job-0", "job-3"],
    faults: { done: [status(503), () => "drop"] },
  },
  {
    name: "shutdown mid-job: the job in hand finishes and posts, nothing more is taken",
    jobs: 3,
    shutdown: true,
    check: (fake) => assert.equal(fake.taken.size, 1),
  },
  {
    name:
      "handler faults (throw, reject, non-Error, BigInt, cycle) fail their jobs, the worker goes on",
    jobs: 6,
    concurrency: 2,
    handler: (job) => {
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      switch (job.id) {
        case "job-0":
          throw new Error("thrown");
        case "job-1":
          return Promise.reject(new TypeError("rejected"));
        case "job-2":
          throw "a string";
        case "job-3":
          return { big: 10n };
        case "job-4":
          return cycle;
        default:
          return "fine";
      }
    },
    check: (fake) => {
      for (let i = 0; i < 5; i++) {
        assert.equal(
          typeof (fake.finals.get(`job-${i}`)![0] as { error?: unknown }).error,
          "string",
        );
      }
      assert.deepEqual(fake.finals.get("job-5"), [{ output: "fine" }]);
    },
  },
  {
    name: "everything at once at concurrency 4",
    jobs: 12,
    concurrency: 4,
    handler: (job, ctx) => job.id === "job-5" ? waitForAbort(job, ctx) : echo(job, ctx),
    stop: ["job-5"],
    faults: {
      take: [status(503), status(429, { "retry-after": "1" }), () => "drop", status(204)],
      "take-batch": [body("garbage"), status(500)],
      done: [status(500), () => "lose-answer", () => "drop", status(429), () => "hold"],
      stop: [status(502)],
      ping: [status(500), () => "drop"],
    },
  },
];

for (const row of rows) {
  Deno.test(`fault table: ${row.name}`, async () => {
    const fake = new FakeRunpod();
    for (const [route, faults] of Object.entries(row.faults ?? {})) {
      fake.inject(route as Route, ...faults.map((make) => make()));
    }
    const count = row.jobs ?? 3;
    const ids = Array.from({ length: count }, (_, i) => `job-${i}`);
    const gate = deferred();
    const started = new Set<string>();
    const base = row.handler ?? echo;
    const handler: Handler = (job, ctx) => {
      started.add(job.id);
      if (!row.shutdown) return base(job, ctx);
      return gate.promise.then(() => base(job, ctx));
    };
    fake.push(...ids.map((id) => ({ id, input: id })));
    await using w = startOn(fake, { handler, concurrency: row.concurrency ?? 1 });
    const stops = new Set(row.stop ?? []);
    const expected = ids.filter((id) => !stops.has(id));
    let stopping: Promise<void> | undefined;
    await advanceUntil(fake.clock, () => {
      for (const id of stops) if (started.has(id) && !fake.stopped.has(id)) fake.stop(id);
      if (row.shutdown && started.size > 0 && stopping === undefined) {
        stopping = w.handle.stop();
        gate.resolve();
      }
      if (row.shutdown) return stopping !== undefined && ids.some((id) => fake.finals.has(id));
      return expected.every((id) => fake.finals.has(id)) &&
        [...stops].every((id) => fake.stopped.has(id));
    }, 500);
    await settle();
    const stopped = (stopping ?? Promise.resolve()).then(() => w.handle.stop());
    await advanceUntil(fake.clock, () => fake.clock.pendingTimers === 0, 500);
    await stopped;

    // 0 lost results: every job taken and not stopped has a final result.
    for (const id of fake.taken) {
      if (!fake.stopped.has(id)) assert.ok(fake.finals.has(id), `job ${id} has no result`);
    }
    if (!row.shutdown) { for (const id of expected) assert.ok(fake.taken.has(id)); }
    // 0 duplicate final results: a repeated delivery carries the same body.
    for (const [id, bodies] of fake.finals) {
      assert.equal(
        new Set(bodies.map((b) => JSON.stringify(b))).size,
        1,
        `job ${id} got two results`,
      );
    }
    // 0 posts for stopped jobs.
    for (const id of fake.stopped) {
      assert.equal(fake.finals.has(id), false, `stopped job ${id} got a result`);
    }
    // No busy loop: at most one take per job, per fault, and per second of fake time.
    const takes = fake.of("take").length + fake.of("take-batch").length;
    const elapsed = fake.clock.now() - fake.requests[0]!.at;
    const takeFaults = (row.faults?.take?.length ?? 0) + (row.faults?.["take-batch"]?.length ?? 0);
    assert.ok(takes <= count + takeFaults + 2 + elapsed / 1000, `${takes} takes in ${elapsed} ms`);
    // 0 timers left after stop().
    assert.equal(fake.clock.pendingTimers, 0);
    assert.equal(w.lines.some((l) => l.message.includes("worker-secret-key")), false);
    row.check?.(fake);
  });
}

/** The fake time between request `index` of a route and the next one. */
function gapAfter(fake: FakeRunpod, route: Route, index: number): number {
  const list = fake.of(route);
  return list[index + 1]!.at - list[index]!.at;
}

/** The first `count` gaps between requests of a route are each at least `least` ms. */
function assertSpaced(fake: FakeRunpod, route: Route, count: number, least: number): void {
  for (let i = 0; i < count; i++) {
    assert.ok(gapAfter(fake, route, i) >= least, `gap ${i}: ${gapAfter(fake, route, i)} ms`);
  }
}
