// GET /job-take and /job-take-batch: a worker process takes queued jobs of an external endpoint.
import assert from "node:assert/strict";
import { protocolWorker } from "../../../_helpers/protocol_worker.ts";
import { externalEmulator } from "./_setup.ts";

const { test } = Deno;

test("a job of an external endpoint waits IN_QUEUE until a worker takes it", async () => {
  await using t = externalEmulator();
  const id = await t.api.run({ n: 1 });
  await t.clock.advance(60_000);
  assert.equal((await t.api.get(`/status/${id}`)).body.status, "IN_QUEUE");
  const worker = protocolWorker(t.emulator, "my-ep", { workerId: "w1" });
  const taken = await worker.take();
  assert.equal(taken.status, 200);
  assert.equal(taken.body.id, id);
  assert.deepEqual(taken.body.input, { n: 1 });
  assert.equal(taken.body.policy.executionTimeout, 600_000);
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.equal(status.status, "IN_PROGRESS");
  assert.equal(status.delayTime, 60_000, "delayTime runs from enqueue to take");
  assert.equal(status.workerId, "w1");
  const request = t.emulator.requests.find((r) => r.route === "GET /job-take")!;
  assert.equal(request.jobId, id);
  assert.equal(request.headers.authorization, "[redacted]");
});

test("/job-take of an empty queue is held, and answers the moment a job is enqueued", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  let answered = false;
  const taking = worker.take().then((answer) => (answered = true, answer));
  await t.clock.advance(20_000);
  assert.equal(answered, false);
  const id = await t.api.run("hello");
  const taken = await taking;
  assert.equal(taken.status, 200);
  assert.equal(taken.body.id, id);
  assert.equal(t.clock.now() - t.emulator.requests[0]!.at, 20_000);
  assert.equal((await t.api.get(`/status/${id}`)).body.delayTime, 0);
});

test("/job-take gives up after 30 s with 204 and takes nothing", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const taking = worker.take(true);
  await t.clock.advance(29_999);
  await t.clock.advance(1);
  const answer = await taking;
  assert.equal(answer.status, 204);
  assert.equal(answer.text, "");
  const id = await t.api.run(1);
  assert.equal((await t.api.get(`/status/${id}`)).body.status, "IN_QUEUE");
});

test("/job-take waits for queueDelay before a job can be taken", async () => {
  await using t = externalEmulator({ queueDelay: 2_000 });
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  const taking = worker.take();
  await t.clock.advance(1_999);
  assert.equal((await t.api.get(`/status/${id}`)).body.status, "IN_QUEUE");
  await t.clock.advance(1);
  assert.equal((await taking).body.id, id);
  assert.equal((await t.api.get(`/status/${id}`)).body.delayTime, 2_000);
});

test("two held takes share the jobs: each job goes to one worker, oldest first", async () => {
  await using t = externalEmulator();
  const a = protocolWorker(t.emulator, "my-ep", { workerId: "a" });
  const b = protocolWorker(t.emulator, "my-ep", { workerId: "b" });
  const takingA = a.take();
  const takingB = b.take();
  const first = await t.api.run(1);
  const second = await t.api.run(2);
  const ids = [(await takingA).body.id, (await takingB).body.id];
  assert.deepEqual(ids, [first, second]);
  assert.equal(t.emulator.job(first)!.workerId, "a");
  assert.equal(t.emulator.job(second)!.workerId, "b");
});

test("/job-take-batch takes up to batch_size jobs as an array, oldest first", async () => {
  await using t = externalEmulator();
  const ids = [await t.api.run(1), await t.api.run(2), await t.api.run(3)];
  const worker = protocolWorker(t.emulator, "my-ep");
  const batch = await worker.takeBatch(2);
  assert.equal(batch.status, 200);
  assert.deepEqual(batch.body.map((job: { id: string }) => job.id), ids.slice(0, 2));
  assert.deepEqual(batch.body.map((job: { input: number }) => job.input), [1, 2]);
  const rest = await worker.takeBatch(5);
  assert.deepEqual(rest.body.map((job: { id: string }) => job.id), [ids[2]]);
  assert.equal(t.emulator.jobs.filter((job) => job.status === "IN_PROGRESS").length, 3);
});

test("/job-take-batch is held while the queue is empty, then answers the first job", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const taking = worker.takeBatch(4);
  await t.clock.advance(5_000);
  const id = await t.api.run(1);
  const batch = await taking;
  assert.deepEqual(batch.body.map((job: { id: string }) => job.id), [id]);
});

test("/job-take-batch without a positive batch_size answers 400", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const url = worker.env.RUNPOD_WEBHOOK_GET_JOB.replace("$ID", worker.env.RUNPOD_POD_ID)
    .replace("/job-take/", "/job-take-batch/");
  for (const query of ["", "&batch_size=0", "&batch_size=two"]) {
    const response = await t.emulator.fetch(`${url}${query}`, {
      headers: { authorization: worker.env.RUNPOD_AI_API_KEY },
    });
    assert.equal(response.status, 400, query);
    assert.match((await response.json()).error, /batch_size/);
  }
});

test("a job sent without input reaches the worker without input", async () => {
  await using t = externalEmulator();
  const run = await t.api.post("/run", { webhook: "https://example.com/hook" });
  const worker = protocolWorker(t.emulator, "my-ep");
  const taken = await worker.take();
  assert.equal(taken.body.id, run.body.id);
  assert.equal("input" in taken.body, false);
  assert.equal(taken.body.webhook, "https://example.com/hook");
});

test("a held take ends with 204 when the emulator closes", async () => {
  await using t = externalEmulator();
  const taking = protocolWorker(t.emulator, "my-ep").take();
  await t.emulator.close();
  assert.equal((await taking).status, 204);
});

test("a held take that its worker aborts takes no job", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const controller = new AbortController();
  const taking = worker.take(false, { signal: controller.signal });
  await t.clock.advance(1_000);
  controller.abort();
  await assert.rejects(taking, { name: "AbortError" });
  const id = await t.api.run(1);
  await t.clock.advance(0);
  assert.equal(t.emulator.job(id)!.status, "IN_QUEUE");
  assert.equal((await worker.take()).body.id, id);
});
