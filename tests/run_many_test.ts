import assert from "node:assert/strict";
import runpodSdk, { isTerminalStatus, type RunManyResult, RunpodApiError } from "../mod.ts";
import { createEmulator, FakeClock } from "../testing.ts";

type Input = { n: number; ms: number };

function setup(workers = 10) {
  const clock = new FakeClock();
  const emulator = createEmulator<Input>({
    clock,
    workers,
    worker: async ({ input, sleep }) => {
      await sleep(input.ms);
      return input.n * 10;
    },
  });
  /** How many jobs were submitted and not final when each /run arrived, at most. */
  let mostAlive = 0;
  const fetch = (input: Request | URL | string, init?: RequestInit) => {
    if (String(input).endsWith("/run")) {
      const alive = emulator.jobs.filter((job) => !isTerminalStatus(job.status)).length;
      mostAlive = Math.max(mostAlive, alive + 1);
    }
    return emulator.fetch(input, init);
  };
  const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch, clock })
    .endpoint<Input, number>("test-endpoint");
  return {
    clock,
    emulator,
    endpoint,
    mostAlive: () => mostAlive,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}

async function collect<O>(results: AsyncIterable<RunManyResult<O>>): Promise<RunManyResult<O>[]> {
  const all: RunManyResult<O>[] = [];
  for await (const result of results) all.push(result);
  return all;
}

Deno.test("runMany yields each final job with its index, in the order the jobs end", async () => {
  await using t = setup();
  const durations = [50_000, 10_000, 30_000, 20_000, 40_000];
  const results = await collect(
    t.endpoint.runMany(durations.map((ms, n) => ({ input: { n, ms } }))),
  );
  assert.deepEqual(results.map((r) => r.index), [1, 3, 2, 4, 0]);
  for (const result of results) {
    assert.equal(result.job?.status, "COMPLETED");
    assert.equal(result.job?.output, result.index * 10);
    assert.equal(result.id, result.job?.id);
  }
  assert.equal(t.emulator.countRequests("POST /run"), 5);
});

Deno.test("runMany keeps at most `concurrency` jobs alive and submits each request once", async () => {
  await using t = setup(100);
  const inputs = Array.from(
    { length: 200 },
    (_, n) => ({ input: { n, ms: 1_000 + (n % 7) * 500 } }),
  );
  const results = await collect(t.endpoint.runMany(inputs, { concurrency: 25 }));
  assert.equal(results.length, 200);
  assert.deepEqual(results.map((r) => r.index).sort((a, b) => a - b), [...inputs.keys()]);
  assert.equal(t.mostAlive(), 25);
  assert.equal(t.emulator.countRequests("POST /run"), 200);
  assert.equal(new Set(t.emulator.jobs.map((job) => (job.input as Input).n)).size, 200);
});

Deno.test("runMany reads a lazy iterable only as slots free up", async () => {
  await using t = setup(5);
  let pulled = 0;
  function* inputs() {
    for (let n = 0; n < 1_000_000; n++) {
      pulled++;
      yield { input: { n, ms: 1_000 } };
    }
  }
  let seen = 0;
  for await (const result of t.endpoint.runMany(inputs(), { concurrency: 5 })) {
    assert.ok(result.job);
    if (++seen === 12) break;
  }
  assert.ok(pulled <= 12 + 5, `${pulled} requests read for 12 results`);
  assert.ok(pulled >= 12);
  assert.equal(t.emulator.countRequests("POST /run"), pulled);
});

Deno.test("runMany takes an async iterable and reads it one request at a time", async () => {
  await using t = setup(3);
  let reading = 0;
  let mostReading = 0;
  async function* inputs() {
    for (let n = 0; n < 9; n++) {
      reading++;
      mostReading = Math.max(mostReading, reading);
      await new Promise<void>((resolve) => t.clock.setTimer(resolve, 100));
      reading--;
      yield { input: { n, ms: 500 } };
    }
  }
  const results = await collect(t.endpoint.runMany(inputs(), { concurrency: 3 }));
  assert.deepEqual(results.map((r) => r.index).sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(mostReading, 1);
});

Deno.test("onStatus sees each job's submission and changes, with its index", async () => {
  await using t = setup();
  const seen: string[] = [];
  await collect(
    t.endpoint.runMany([{ input: { n: 0, ms: 1_000 } }, { input: { n: 1, ms: 2_000 } }], {
      onStatus: (job, index) => seen.push(`${index} ${job.status}`),
    }),
  );
  for (const index of [0, 1]) {
    const mine = seen.filter((line) => line.startsWith(`${index} `));
    assert.equal(mine[0], `${index} IN_QUEUE`);
    assert.equal(mine.at(-1), `${index} COMPLETED`);
  }
});

Deno.test("a request that cannot be submitted yields its error; the others go on, none sent twice", async () => {
  await using t = setup();
  t.emulator.inject("POST /run", { status: 500 });
  const results = await collect(
    t.endpoint.runMany([0, 1, 2].map((n) => ({ input: { n, ms: 1_000 } })), { concurrency: 1 }),
  );
  const failed = results.filter((r) => r.error !== undefined);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.index, 0);
  assert.ok(failed[0]!.error instanceof RunpodApiError);
  assert.match((failed[0]!.error as Error).message, /may or may not have been enqueued/);
  assert.equal(results.filter((r) => r.job?.status === "COMPLETED").length, 2);
  assert.equal(t.emulator.countRequests("POST /run"), 3, "the 500 was not resent");
});

Deno.test("abort stops submitting and throws its reason; without cancelOnAbort the jobs run on", async () => {
  await using t = setup(4);
  const controller = new AbortController();
  const inputs = Array.from({ length: 50 }, (_, n) => ({ input: { n, ms: 10_000 } }));
  const results: RunManyResult<number>[] = [];
  t.clock.setTimer(() => controller.abort(new Error("enough")), 15_000);
  await assert.rejects(
    (async () => {
      for await (
        const r of t.endpoint.runMany(inputs, { concurrency: 8, signal: controller.signal })
      ) {
        results.push(r);
      }
    })(),
    { message: "enough" },
  );
  const sent = t.emulator.countRequests("POST /run");
  assert.equal(sent, 8 + results.length, "no submission after the abort");
  await new Promise<void>((resolve) => t.clock.setTimer(resolve, 60_000));
  assert.equal(t.emulator.countRequests("POST /run"), sent);
  assert.equal(t.emulator.jobs.filter((job) => job.status === "CANCELLED").length, 0);
  assert.equal(t.emulator.jobs.filter((job) => job.status === "COMPLETED").length, sent);
});

Deno.test("abort with cancelOnAbort cancels every job submitted and not final", async () => {
  await using t = setup(4);
  const controller = new AbortController();
  const inputs = Array.from({ length: 50 }, (_, n) => ({ input: { n, ms: 10_000 } }));
  t.clock.setTimer(() => controller.abort(), 15_000);
  const done: number[] = [];
  await assert.rejects(
    (async () => {
      for await (
        const r of t.endpoint.runMany(inputs, {
          concurrency: 8,
          signal: controller.signal,
          cancelOnAbort: true,
        })
      ) done.push(r.index);
    })(),
    { name: "AbortError" },
  );
  const statuses = t.emulator.jobs.map((job) => job.status);
  assert.equal(statuses.length, 8 + done.length);
  assert.equal(statuses.filter((s) => s === "COMPLETED").length, done.length);
  assert.equal(statuses.filter((s) => s === "CANCELLED").length, 8);
  assert.ok(statuses.every(isTerminalStatus), "nothing left running");
});

Deno.test("a /run on the wire when the abort comes still gets its answer, and its job is cancelled", async () => {
  await using t = setup(4);
  const controller = new AbortController();
  t.emulator.inject("POST /run", { delay: 2_000 }, 1);
  t.clock.setTimer(() => controller.abort(), 1_000);
  await assert.rejects(
    collect(t.endpoint.runMany([{ input: { n: 0, ms: 10_000 } }], {
      signal: controller.signal,
      cancelOnAbort: true,
    })),
    { name: "AbortError" },
  );
  assert.equal(t.emulator.jobs.length, 1);
  assert.equal(t.emulator.jobs[0]!.status, "CANCELLED");
});

Deno.test("leaving the loop early cancels the jobs alive with cancelOnAbort, and only then", async () => {
  for (const cancelOnAbort of [true, false]) {
    await using t = setup(4);
    const inputs = Array.from({ length: 20 }, (_, n) => ({ input: { n, ms: 1_000 + n * 1_000 } }));
    for await (const _ of t.endpoint.runMany(inputs, { concurrency: 4, cancelOnAbort })) break;
    const cancelled = t.emulator.jobs.filter((job) => job.status === "CANCELLED").length;
    assert.equal(cancelled, cancelOnAbort ? 3 : 0, `cancelOnAbort: ${cancelOnAbort}`);
    assert.equal(t.emulator.countRequests("POST /run"), 4);
  }
});

Deno.test("a per-job timeout yields a TimeoutError for that job only", async () => {
  await using t = setup();
  const results = await collect(t.endpoint.runMany(
    [{ input: { n: 0, ms: 1_000 } }, { input: { n: 1, ms: 60_000 } }],
    { timeout: 10_000, cancelOnAbort: true },
  ));
  const late = results.find((r) => r.index === 1)!;
  assert.equal((late.error as Error).name, "TimeoutError");
  assert.equal(typeof late.id, "string");
  assert.equal(results.find((r) => r.index === 0)!.job?.status, "COMPLETED");
  assert.equal(t.emulator.job(late.id!)?.status, "CANCELLED");
});

Deno.test("runMany refuses bad arguments before sending anything", async () => {
  await using t = setup();
  assert.throws(() => t.endpoint.runMany(5 as never), TypeError);
  assert.throws(() => t.endpoint.runMany({ input: 1 } as never), /an array, an iterable/);
  assert.throws(() => t.endpoint.runMany([], { concurrency: 0 }), RangeError);
  assert.throws(() => t.endpoint.runMany([], { signal: "stop" as never }), TypeError);
  assert.throws(() => t.endpoint.runMany([], { timeout: -1 }), RangeError);
  const aborted = AbortSignal.abort(new Error("before"));
  await assert.rejects(
    collect(t.endpoint.runMany([{ input: { n: 0, ms: 0 } }], { signal: aborted })),
    {
      message: "before",
    },
  );
  const results = await collect(t.endpoint.runMany([{ input: undefined } as never]));
  assert.ok(results[0]!.error instanceof TypeError, "a request without input: its own error");
  assert.equal(t.emulator.countRequests(), 0);
});
