// GET /ping: worker processes' heartbeats, and /health's worker counts built from them.
import assert from "node:assert/strict";
import { protocolWorker } from "../../../_helpers/protocol_worker.ts";
import { externalEmulator } from "./_setup.ts";

const { test } = Deno;

test("/health counts the workers that ping: idle, running while they hold a job, gone after 3 missed pings", async () => {
  await using t = externalEmulator();
  const workers = async () => (await t.api.get("/health")).body.workers;
  assert.deepEqual(await workers(), {
    idle: 0,
    running: 0,
    initializing: 0,
    ready: 0,
    throttled: 0,
    unhealthy: 0,
  });
  const a = protocolWorker(t.emulator, "my-ep", { workerId: "a" });
  const b = protocolWorker(t.emulator, "my-ep", { workerId: "b" });
  const pinged = await a.ping();
  assert.equal(pinged.status, 200);
  await b.ping();
  assert.deepEqual([(await workers()).idle, (await workers()).running], [2, 0]);
  const id = await t.api.run(1);
  await a.take();
  await a.ping([id]);
  assert.deepEqual([(await workers()).idle, (await workers()).running], [1, 1]);
  const health = (await t.api.get("/health")).body;
  assert.equal(health.jobs.inProgress, 1);
  await a.done(id, { output: 1 });
  assert.deepEqual([(await workers()).idle, (await workers()).running], [2, 0]);
  // a keeps pinging every 10 s; b stops.
  for (let i = 0; i < 3; i++) {
    await t.clock.advance(10_000);
    await a.ping();
  }
  assert.deepEqual([(await workers()).idle, (await workers()).running], [1, 0]);
  await t.clock.advance(29_999);
  assert.equal((await workers()).idle, 1);
  await t.clock.advance(1);
  assert.equal((await workers()).idle, 0, "gone after 3 missed pings");
});

test("a worker that takes jobs without pinging is not counted", async () => {
  await using t = externalEmulator();
  await t.api.run(1);
  await protocolWorker(t.emulator, "my-ep").take();
  const health = (await t.api.get("/health")).body;
  assert.deepEqual([health.workers.idle, health.workers.running, health.jobs.inProgress], [
    0,
    0,
    1,
  ]);
});

test("/ping carries job_id and runpod_version in the template's query, with the worker key", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep", { workerId: "w1" });
  await worker.take();
  await worker.ping([id]);
  const request = t.emulator.requests.at(-1)!;
  assert.equal(request.route, "GET /ping");
  assert.equal(
    request.path,
    `/v2/my-ep/ping/w1?gpu=emulated&job_id=${id}&runpod_version=1.12.0`,
  );
  const refused = await protocolWorker(t.emulator, "my-ep", { key: "test-key" }).ping();
  assert.equal(refused.status, 401);
});
