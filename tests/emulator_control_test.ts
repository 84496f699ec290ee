import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../testing.ts";
import { client } from "./_emulator_client.ts";

Deno.test("/cancel of a running job aborts the worker's signal and ends it CANCELLED", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  let reason: unknown;
  await using emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.signal.addEventListener("abort", () => (reason = job.signal.reason));
      await job.sleep(60_000);
      return "never";
    },
  });
  const api = client(emulator);
  const id = await api.run({});
  await clock.advance(1000);
  const answer = await api.post(`/cancel/${id}`);
  assert.deepEqual(answer.body, { id, status: "CANCELLED", delayTime: 0, executionTime: 1000 });
  assert.equal((reason as DOMException).name, "AbortError");
  await clock.advance(60_000);
  const job = (await api.get(`/status/${id}`)).body;
  assert.equal(job.status, "CANCELLED");
  assert.equal(job.output, undefined);
  assert.equal(job.executionTime, 1000);
});

Deno.test("/cancel of a queued job ends it CANCELLED before it runs", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  let runs = 0;
  await using emulator = createEmulator({ clock, queueDelay: 5000, worker: () => runs++ });
  const api = client(emulator);
  const id = await api.run({});
  assert.equal((await api.post(`/cancel/${id}`)).body.status, "CANCELLED");
  await clock.advance(10_000);
  assert.equal(runs, 0);
  assert.equal(emulator.job(id)!.status, "CANCELLED");
});

Deno.test("/cancel of a finished job leaves it as it is", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: 1 })).body.id;
  assert.deepEqual((await api.post(`/cancel/${id}`)).body, {
    id,
    status: "COMPLETED",
    delayTime: 0,
    executionTime: 0,
  });
  assert.equal((await api.post("/cancel/unknown-job")).status, 404);
});

Deno.test("/retry puts a FAILED job back in the queue under the same id", async () => {
  using clock = new FakeClock();
  let calls = 0;
  await using emulator = createEmulator({
    clock,
    worker: () => {
      if (++calls === 1) throw new Error("flaky");
      return "second time lucky";
    },
  });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: 1 })).body.id;
  assert.equal(emulator.job(id)!.status, "FAILED");
  assert.deepEqual((await api.post(`/retry/${id}`)).body, { id, status: "IN_QUEUE" });
  assert.equal((await api.get(`/status/${id}`)).body.error, undefined);
  assert.equal((await api.get("/health")).body.jobs.retried, 1);
  await clock.advance(0);
  const job = (await api.get(`/status/${id}`)).body;
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "second time lucky");
  assert.equal(emulator.job(id)!.retries, 1);
  assert.equal(emulator.jobs.length, 1);
});

Deno.test("/retry puts a TIMED_OUT job back in the queue", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: (job) => job.sleep(10_000) });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: 1, policy: { executionTimeout: 5000 } })).body.id;
  assert.equal(emulator.job(id)!.status, "TIMED_OUT");
  assert.equal((await api.post(`/retry/${id}`)).status, 200);
});

Deno.test("/retry answers 400 for a job that is not FAILED or TIMED_OUT", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, worker: (job) => job.sleep(1000) });
  const api = client(emulator);
  const id = await api.run({});
  const queued = await api.post(`/retry/${id}`);
  assert.equal(queued.status, 400);
  assert.match(queued.body.error, /FAILED or TIMED_OUT/);
  await clock.advance(1000);
  assert.equal(emulator.job(id)!.status, "COMPLETED");
  assert.equal((await api.post(`/retry/${id}`)).status, 400);
  assert.equal(emulator.job(id)!.retries, 0);
});

Deno.test("/purge-queue removes only the queued jobs", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, worker: (job) => job.sleep(1000) });
  const api = client(emulator);
  const running = await api.run(1);
  await clock.advance(0);
  const queued = [await api.run(2), await api.run(3)];
  assert.deepEqual((await api.post("/purge-queue")).body, { removed: 2, status: "completed" });
  for (const id of queued) {
    assert.equal((await api.get(`/status/${id}`)).status, 404);
    assert.equal(emulator.job(id)!.removed, "purged");
  }
  await clock.advance(1000);
  assert.equal((await api.get(`/status/${running}`)).body.status, "COMPLETED");
  assert.deepEqual((await api.post("/purge-queue")).body, { removed: 0, status: "completed" });
});

Deno.test("/health counts jobs by status and workers by activity", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    workers: 2,
    worker: async (job) => {
      await job.sleep(1000);
      if (job.input === "fail") throw new Error("no");
      return "ok";
    },
  });
  const api = client(emulator);
  assert.deepEqual((await api.get("/health")).body, {
    jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
    workers: { idle: 2, running: 0, initializing: 0, ready: 2, throttled: 0, unhealthy: 0 },
  });
  await api.run("ok");
  await api.run("fail");
  await api.run("ok");
  await clock.advance(0);
  const busy = (await api.get("/health")).body;
  assert.deepEqual(busy.jobs, { completed: 0, failed: 0, inProgress: 2, inQueue: 1, retried: 0 });
  assert.equal(busy.workers.idle, 0);
  assert.equal(busy.workers.running, 2);
  await clock.advance(2000);
  assert.deepEqual((await api.get("/health")).body.jobs, {
    completed: 2,
    failed: 1,
    inProgress: 0,
    inQueue: 0,
    retried: 0,
  });
});

Deno.test("endpoints are independent: their own jobs, workers and health", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, endpoints: ["a", "b"] });
  const a = client(emulator, { endpoint: "a" });
  const b = client(emulator, { endpoint: "b" });
  const id = (await a.post("/runsync", { input: 1 })).body.id;
  assert.equal((await b.get(`/status/${id}`)).status, 404);
  assert.equal((await a.get("/health")).body.jobs.completed, 1);
  assert.equal((await b.get("/health")).body.jobs.completed, 0);
  assert.equal(emulator.job(id)!.endpointId, "a");
});
