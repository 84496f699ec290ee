import assert from "node:assert/strict";
import { type Job, TimeoutError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { gaps, setup, times } from "../_helpers/setup.ts";
import { failing, sleeper } from "../_helpers/workers.ts";

Deno.test("runSync() resolves with a job that ends inside the server-side wait after one request", async () => {
  await using t = setup({ worker: async ({ input, sleep }) => (await sleep(100), input) });
  const job = await t.endpoint.runSync({ input: { prompt: "a horse" } });
  assert.equal(job.status, "COMPLETED");
  assert.deepEqual(job.output, { prompt: "a horse" });
  assert.equal(t.sent.length, 1);
  assert.equal(t.sent[0]!.url.pathname, "/v2/test-endpoint/runsync");
});

Deno.test("runSync() asks /runsync to hold for 90 s at most, and less than the time left", async () => {
  await using t = setup();
  await t.endpoint.runSync({ input: 1 });
  await t.endpoint.runSync({ input: 1 }, 5000);
  await t.endpoint.runSync({ input: 1 }, 1500);
  assert.deepEqual(t.sent.map((s) => s.url.searchParams.get("wait")), ["90000", "4500", "1000"]);
});

Deno.test("runSync() polls /status with a growing backoff when the job outlives the server-side wait", async () => {
  await using t = setup({ worker: sleeper(150_000, "done") });
  const job = await t.endpoint.runSync({ input: 1 });
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "done");
  assert.equal(t.emulator.countRequests("POST /runsync"), 1);
  const polls = times(t.emulator, "GET /status");
  assert.ok(polls.length >= 20 && polls.length <= 30, `${polls.length} polls for 60 s`);
  const pauses = gaps(polls);
  assert.ok(pauses.every((p) => p >= 250 && p <= 3000), `pauses ${pauses}`);
  assert.ok(pauses.every((p, i) => i === 0 || p >= pauses[i - 1]!), "pauses never shrink");
  assert.equal(t.emulator.jobs.length, 1);
});

Deno.test("runSync() resolves with a FAILED job instead of throwing", async () => {
  await using t = setup({ worker: failing("CUDA out of memory") });
  const job = await t.endpoint.runSync({ input: 1 });
  assert.equal(job.status, "FAILED");
  assert.match(String(job.error), /CUDA out of memory/);
});

Deno.test("runSync() calls onStatus on every status change, progress updates included", async () => {
  await using t = setup({
    worker: async ({ sleep, progress }) => {
      await sleep(95_000);
      progress("50%");
      await sleep(5_000);
      progress("90%");
      await sleep(5_000);
      return "done";
    },
  });
  const seen: string[] = [];
  const job = await t.endpoint.runSync({ input: 1 }, {
    onStatus: (j: Job) => seen.push(`${j.status}${j.output === undefined ? "" : ` ${j.output}`}`),
  });
  assert.equal(job.status, "COMPLETED");
  assert.deepEqual(seen, ["IN_PROGRESS", "IN_PROGRESS 50%", "IN_PROGRESS 90%", "COMPLETED done"]);
});

Deno.test("runSync() rejects with TimeoutError carrying jobId when the job outlives timeout", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  const started = t.clock.now();
  const error = await assertRejects(t.endpoint.runSync({ input: 1 }, 5000), TimeoutError);
  assert.equal(error.name, "TimeoutError");
  assert.equal(error.timeout, 5000);
  assert.equal(error.jobId, t.emulator.jobs[0]!.id);
  assert.equal(t.clock.now() - started, 5000);
  assert.equal(t.emulator.jobs[0]?.status, "IN_PROGRESS", "left running without cancelOnAbort");
  assert.equal(t.emulator.countRequests("POST /cancel"), 0);
});

Deno.test("runSync() with cancelOnAbort cancels the job when the timeout fires", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  const error = await assertRejects(
    t.endpoint.runSync({ input: 1 }, { timeout: 3000, cancelOnAbort: true }),
    TimeoutError,
  );
  assert.equal(error.name, "TimeoutError");
  assert.equal(t.emulator.countRequests("POST /cancel"), 1);
  assert.equal(t.emulator.jobs[0]?.status, "CANCELLED");
});

Deno.test("runSync() with cancelOnAbort cancels the job when the caller's signal aborts", async () => {
  await using t = setup({ worker: sleeper(600_000) });
  const controller = new AbortController();
  const run = t.endpoint.runSync({ input: 1 }, {
    signal: controller.signal,
    cancelOnAbort: true,
    onStatus: () => t.clock.setTimer(() => controller.abort(), 100_000),
  });
  const error = await assertRejects(run, DOMException);
  assert.equal(error.name, "AbortError");
  assert.equal(t.emulator.jobs[0]?.status, "CANCELLED");
});

Deno.test("runSync() sends policy.executionTimeout and resolves TIMED_OUT when the worker outlives it", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  const job = await t.endpoint.runSync({ input: 1, policy: { executionTimeout: 5000 } });
  assert.equal(job.status, "TIMED_OUT");
  assert.deepEqual(JSON.parse(t.sent[0]!.body).policy, { executionTimeout: 5000 });
});

Deno.test("runSync() leaves no timer of the client behind once it settles", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  await t.endpoint.runSync({ input: 1 }, 2000).catch(() => {});
  await t.emulator.close();
  assert.equal(t.clock.pendingTimers, 0);
});

Deno.test("runSync() with cancelOnAbort and a timeout under 1.5 s still cancels the job", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  const error = await assertRejects(
    t.endpoint.runSync({ input: 1 }, { timeout: 300, cancelOnAbort: true }),
    TimeoutError,
  );
  assert.equal(error.name, "TimeoutError");
  assert.equal(error.jobId, t.emulator.jobs[0]!.id);
  assert.equal(t.emulator.jobs[0]?.status, "CANCELLED");
  assert.equal(t.emulator.countRequests("POST /runsync"), 0, "submitted with /run");
});

Deno.test("runSync() with cancelOnAbort and a signal cancels a job aborted during the first seconds", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  const controller = new AbortController();
  t.clock.setTimer(() => controller.abort(), 2000);
  const error = await assertRejects(
    t.endpoint.runSync({ input: 1 }, { signal: controller.signal, cancelOnAbort: true }),
    DOMException,
  );
  assert.equal(error.name, "AbortError");
  assert.equal(t.emulator.jobs.length, 1);
  assert.equal(t.emulator.jobs[0]?.status, "CANCELLED");
});

Deno.test("runSync() with cancelOnAbort still resolves a finished job with its output", async () => {
  await using t = setup({ worker: sleeper(700, "done") });

  const seen: string[] = [];
  const job = await t.endpoint.runSync({ input: 1 }, {
    signal: new AbortController().signal,
    cancelOnAbort: true,
    onStatus: (j: Job) => seen.push(j.status),
  });
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "done");
  assert.equal(seen[0], "IN_QUEUE");
  assert.equal(seen.at(-1), "COMPLETED");
});
