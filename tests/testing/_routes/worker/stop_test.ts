// GET /job-stop: the stop channel tells a worker process which of its jobs RunPod ended.
import assert from "node:assert/strict";
import { protocolWorker } from "../../../_helpers/protocol_worker.ts";
import { externalEmulator } from "./_setup.ts";

const { test } = Deno;

test("/cancel of a held job answers the worker's held stop poll; its result is then refused", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1, { webhook: "https://example.com/hook" });
  const worker = protocolWorker(t.emulator, "my-ep", { workerId: "w1" });
  await worker.take();
  let answered = false;
  const stopping = worker.stops().then((answer) => (answered = true, answer));
  await t.clock.advance(5_000);
  assert.equal(answered, false);
  const cancelled = await t.api.post(`/cancel/${id}`);
  assert.equal(cancelled.body.status, "CANCELLED");
  const stop = await stopping;
  assert.equal(stop.status, 200);
  assert.deepEqual(stop.body, { jobsToStop: [id] });
  const late = await worker.done(id, { output: "finished anyway" });
  assert.equal(late.status, 409);
  assert.match(late.body.error, /was stopped \(CANCELLED\).*must post nothing/);
  assert.equal((await worker.stream(id, "late item")).status, 409);
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([status.status, "output" in status], ["CANCELLED", false]);
  await t.clock.advance(0);
  assert.equal(t.hooks.length, 1, "the cancellation's webhook only");
});

test("a stop is told once, to the worker holding the job, at its next poll", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const a = protocolWorker(t.emulator, "my-ep", { workerId: "a" });
  const b = protocolWorker(t.emulator, "my-ep", { workerId: "b" });
  await a.take();
  await t.api.post(`/cancel/${id}`);
  const other = b.stops();
  assert.deepEqual((await a.stops()).body, { jobsToStop: [id] });
  const again = a.stops();
  await t.clock.advance(30_000);
  assert.equal((await again).status, 204);
  assert.equal((await other).status, 204);
});

test("the execution timeout ends a held job TIMED_OUT and sends the worker a stop", async () => {
  await using t = externalEmulator();
  const run = await t.api.post("/run", { input: 1, policy: { executionTimeout: 10_000 } });
  const id = run.body.id;
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  const stopping = worker.stops();
  await t.clock.advance(9_999);
  assert.equal((await t.api.get(`/status/${id}`)).body.status, "IN_PROGRESS");
  await t.clock.advance(1);
  assert.deepEqual((await stopping).body, { jobsToStop: [id] });
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([status.status, status.executionTime], ["TIMED_OUT", 10_000]);
  const late = await worker.done(id, { output: 1 });
  assert.equal(late.status, 409);
  assert.match(late.body.error, /TIMED_OUT/);
});

test("an endpoint's timeout applies to jobs that worker processes hold", async () => {
  await using t = externalEmulator({
    endpoints: [{ id: "my-ep", external: true, timeout: 5_000 }],
  });
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await t.clock.advance(5_000);
  assert.equal(t.emulator.job(id)!.status, "TIMED_OUT");
  assert.deepEqual((await worker.stops()).body, { jobsToStop: [id] });
});

test("a job whose ttl runs out while held is gone, and its worker told to stop", async () => {
  await using t = externalEmulator();
  const run = await t.api.post("/run", { input: 1, policy: { ttl: 20_000 } });
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await t.clock.advance(20_000);
  assert.deepEqual((await worker.stops()).body, { jobsToStop: [run.body.id] });
  assert.equal((await worker.done(run.body.id, { output: 1 })).status, 404);
});

test("a job that ended with its result sends no stop", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await worker.done(id, { output: 1 });
  await t.api.post(`/cancel/${id}`); // finished: left as it is
  const stopping = worker.stops();
  await t.clock.advance(30_000);
  assert.equal((await stopping).status, 204);
});

test("a retried job goes back to the queue, and a worker takes it again and completes it", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await worker.done(id, { error: "flaky" });
  assert.equal((await t.api.post(`/retry/${id}`)).body.status, "IN_QUEUE");
  const again = await worker.take();
  assert.equal(again.body.id, id);
  assert.equal((await worker.done(id, { output: "ok" })).status, 200);
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([status.status, status.output, status.retries], ["COMPLETED", "ok", 1]);
});
