import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { sleeper } from "../../_helpers/workers.ts";

Deno.test("a job goes IN_QUEUE, IN_PROGRESS, then COMPLETED with its times and worker", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    queueDelay: 2000,
    worker: async (job) => {
      await job.sleep(3000);
      return { got: job.input };
    },
  });
  const api = client(emulator);
  const run = await api.post("/run", { input: 7 });
  assert.equal(run.status, 200);
  assert.equal(run.headers.get("content-type"), "application/json");
  assert.deepEqual(Object.keys(run.body).sort(), ["id", "status"]);
  assert.equal(run.body.status, "IN_QUEUE");
  const id = run.body.id;
  assert.deepEqual((await api.get(`/status/${id}`)).body, { id, status: "IN_QUEUE" });
  await clock.advance(2000);
  const running = (await api.get(`/status/${id}`)).body;
  assert.equal(running.status, "IN_PROGRESS");
  assert.equal(running.delayTime, 2000);
  assert.equal(running.workerId, "worker-1");
  await clock.advance(3000);
  assert.deepEqual((await api.get(`/status/${id}`)).body, {
    id,
    status: "COMPLETED",
    delayTime: 2000,
    executionTime: 3000,
    output: { got: 7 },
    workerId: "worker-1",
  });
});

Deno.test("workers sets how many jobs run at once; the rest wait in the queue", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    workers: 2,
    worker: sleeper(1000),
  });
  const api = client(emulator);
  const ids = [await api.run(1), await api.run(2), await api.run(3)];
  await clock.advance(0);
  assert.deepEqual(emulator.jobs.map((job) => job.status), [
    "IN_PROGRESS",
    "IN_PROGRESS",
    "IN_QUEUE",
  ]);
  assert.deepEqual(emulator.jobs.slice(0, 2).map((job) => job.workerId).sort(), [
    "worker-1",
    "worker-2",
  ]);
  await clock.advance(1000);
  const third = emulator.job(ids[2]!)!;
  assert.equal(third.status, "IN_PROGRESS");
  assert.equal(third.delayTime, 1000);
  await clock.advance(1000);
  assert.deepEqual(emulator.jobs.map((job) => job.status), ["COMPLETED", "COMPLETED", "COMPLETED"]);
});

Deno.test("queueDelay holds every job in the queue that long before a free worker takes it", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, queueDelay: 4000 });
  const job = (await client(emulator).post("/runsync", { input: 1 })).body;
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.delayTime, 4000);
  assert.equal(job.executionTime, 0);
});

Deno.test("the job table shows the jobs created, their input and stream", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    returnAggregateStream: true,
    worker: async function* () {
      yield "a";
      yield "b";
    },
  });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: { x: 1 }, policy: { ttl: 60_000 } })).body.id;
  assert.match(id, /^sync-/);
  const job = emulator.job(id)!;
  assert.equal(emulator.jobs.length, 1);
  assert.equal(job.mode, "runsync");
  assert.deepEqual(job.input, { x: 1 });
  assert.deepEqual(job.output, ["a", "b"]);
  assert.deepEqual(job.stream, [{ output: "a" }, { output: "b" }]);
  assert.equal(job.undrained, 2);
  assert.equal(job.policy.ttl, 60_000);
  assert.equal(job.policy.executionTimeout, 600_000);
  assert.equal(job.createdAt, clock.now());
  assert.equal(emulator.job("nope"), undefined);
});
