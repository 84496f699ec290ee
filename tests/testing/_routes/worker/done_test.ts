// POST /job-done: a worker process posts a job's progress, result or error.
import assert from "node:assert/strict";
import runpodSdk, { parseWorkerError } from "../../../../mod.ts";
import { protocolWorker } from "../../../_helpers/protocol_worker.ts";
import { externalEmulator } from "./_setup.ts";

const { test } = Deno;

/** runpod-python's report of a raised ValueError, as its worker posts it. */
const RAISED = JSON.stringify({
  error_type: "<class 'ValueError'>",
  error_message: "bad prompt",
  error_traceback: "Traceback (most recent call last):\nValueError: bad prompt\n",
  hostname: "w1",
  worker_id: "w1",
  runpod_version: "1.12.0",
});

test("a posted output completes the job: delayTime until the take, executionTime until the post", async () => {
  await using t = externalEmulator();
  const id = await t.api.run({ prompt: "hi" }, { webhook: "https://example.com/hook" });
  await t.clock.advance(3_000);
  const worker = protocolWorker(t.emulator, "my-ep", { workerId: "w1" });
  await worker.take();
  await t.clock.advance(7_000);
  const posted = await worker.done(id, { output: { text: "HI" } });
  assert.equal(posted.status, 200);
  assert.deepEqual(posted.body, { id, status: "COMPLETED" });
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual(status, {
    id,
    status: "COMPLETED",
    delayTime: 3_000,
    executionTime: 7_000,
    output: { text: "HI" },
    workerId: "w1",
  });
  await t.clock.advance(0);
  assert.equal(t.hooks.length, 1);
  assert.deepEqual(t.hooks[0], {
    id,
    status: "COMPLETED",
    input: { prompt: "hi" },
    output: { text: "HI" },
    delayTime: 3_000,
    executionTime: 7_000,
    webhook: "https://example.com/hook",
  });
});

test("progress posts show on /status while the job runs, then the result replaces them", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  const progress = await worker.done(id, { status: "IN_PROGRESS", output: "50%" });
  assert.equal(progress.status, 200);
  assert.deepEqual(progress.body, { id, status: "IN_PROGRESS" });
  const running = (await t.api.get(`/status/${id}`)).body;
  assert.equal(running.status, "IN_PROGRESS");
  assert.equal(running.output, "50%");
  await worker.done(id, { status: "IN_PROGRESS", output: "90%" });
  assert.equal((await t.api.get(`/status/${id}`)).body.output, "90%");
  await worker.done(id, { output: "done" });
  const done = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([done.status, done.output], ["COMPLETED", "done"]);
});

test("an error post fails the job with runpod-python's report, which parseWorkerError reads", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1, { webhook: "https://example.com/hook" });
  const worker = protocolWorker(t.emulator, "my-ep", { workerId: "w1" });
  await worker.take();
  await worker.done(id, { error: RAISED });
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.equal(status.status, "FAILED");
  assert.equal(status.error, RAISED);
  assert.equal("output" in status, false);
  const report = parseWorkerError(status.error);
  assert.equal(report?.type, "ValueError");
  assert.equal(report?.error_message, "bad prompt");
  await t.clock.advance(0);
  assert.equal((t.hooks[0] as { error: string }).error, RAISED);
});

test("a returned {output, error} fails the job with that error and keeps the output", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await worker.done(id, { output: { partial: true }, error: "bad input" });
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([status.status, status.error, status.output], [
    "FAILED",
    "bad input",
    { partial: true },
  ]);
});

test("an empty error completes the job; a post without output completes it with none", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const first = await t.api.run(1);
  const second = await t.api.run(2);
  await worker.takeBatch(2);
  await worker.done(first, { output: 1, error: "" });
  await worker.done(second, {});
  const [a, b] = [
    (await t.api.get(`/status/${first}`)).body,
    (await t.api.get(`/status/${second}`)).body,
  ];
  assert.deepEqual([a.status, a.output, "error" in a], ["COMPLETED", 1, false]);
  assert.deepEqual([b.status, "output" in b], ["COMPLETED", false]);
});

test("stopPod: true is accepted and recorded on the job", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  assert.equal((await worker.done(id, { output: 2, stopPod: true })).status, 200);
  assert.equal(t.emulator.job(id)!.stopPod, true);
  assert.equal(t.emulator.job(id)!.output, 2);
});

test("the same final post twice answers 200 both times and changes nothing, one webhook", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1, { webhook: "https://example.com/hook" });
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await t.clock.advance(1_000);
  assert.equal((await worker.done(id, { output: "x" })).status, 200);
  const before = t.emulator.job(id)!;
  await t.clock.advance(1_000);
  const again = await worker.done(id, { output: "x" });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, { id, status: "COMPLETED" });
  assert.deepEqual(t.emulator.job(id), before);
  await t.clock.advance(60_000);
  assert.equal(t.emulator.webhooks.length, 1);
  assert.equal(t.hooks.length, 1);
});

test("a different final post after the result is refused with 409 and changes nothing", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await worker.done(id, { output: "x" });
  const other = await worker.done(id, { output: "y" });
  assert.equal(other.status, 409);
  assert.match(other.body.error, /already ended \(COMPLETED\)/);
  assert.equal(t.emulator.job(id)!.output, "x");
});

test("a post for a job the worker does not hold is refused with 409 and changes nothing", async () => {
  await using t = externalEmulator();
  const held = await t.api.run(1);
  const queued = await t.api.run(2);
  const a = protocolWorker(t.emulator, "my-ep", { workerId: "a" });
  const b = protocolWorker(t.emulator, "my-ep", { workerId: "b" });
  await a.take();
  const stolen = await b.done(held, { output: "b's" });
  assert.equal(stolen.status, 409);
  assert.match(stolen.body.error, /Worker 'b' does not hold job/);
  const early = await a.done(queued, { output: "early" });
  assert.equal(early.status, 409);
  assert.deepEqual(
    t.emulator.jobs.map((job) => [job.status, job.output]),
    [["IN_PROGRESS", undefined], ["IN_QUEUE", undefined]],
  );
  assert.equal((await a.done(held, { output: "a's" })).status, 200);
});

test("a post for an unknown job answers 404", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const answer = await worker.done("no-such-job", { output: 1 });
  assert.equal(answer.status, 404);
  assert.match(answer.body.error, /Job 'no-such-job' not found/);
});

test("a post with a wrong key answers 401 and changes nothing", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep", { workerId: "w1" });
  await worker.take();
  for (const key of ["wrong-key", "test-key"]) {
    const thief = protocolWorker(t.emulator, "my-ep", { workerId: "w1", key });
    const answer = await thief.done(id, { output: "forged" });
    assert.equal(answer.status, 401, key);
  }
  assert.equal(t.emulator.job(id)!.status, "IN_PROGRESS");
  assert.equal(t.emulator.job(id)!.output, undefined);
});

test("a post that is not a JSON object answers 400 and changes nothing", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  const url = worker.env.RUNPOD_WEBHOOK_POST_OUTPUT.replace(
    "$RUNPOD_POD_ID",
    worker.env.RUNPOD_POD_ID,
  )
    .replace("$ID", id);
  for (const body of ["output=1", "[1]"]) {
    const response = await t.emulator.fetch(`${url}&isStream=false`, {
      method: "POST",
      headers: { authorization: worker.env.RUNPOD_AI_API_KEY },
      body,
    });
    assert.equal(response.status, 400, body);
    await response.body?.cancel();
  }
  assert.equal(t.emulator.job(id)!.status, "IN_PROGRESS");
});

test("the SDK's runSync waits for a job that a worker process takes and completes", async () => {
  await using t = externalEmulator();
  const endpoint = runpodSdk("test-key", {
    baseUrl: t.emulator.baseUrl,
    fetch: t.emulator.fetch,
    clock: t.clock,
  }).endpoint<string, string>("my-ep");
  const worker = protocolWorker(t.emulator, "my-ep");
  const taking = worker.take();
  const running = endpoint.runSync({ input: "shout" });
  const job = (await taking).body;
  await t.clock.advance(2_000);
  await worker.done(job.id, { output: job.input.toUpperCase() });
  const done = await running;
  assert.deepEqual([done.status, done.output, done.executionTime], ["COMPLETED", "SHOUT", 2_000]);
});

test("a progress update that lands after the result answers 200 and is ignored", async () => {
  // runpod-python sends progress from another thread: seen landing after the result.
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await worker.done(id, { output: "done" });
  const late = await worker.done(id, { status: "IN_PROGRESS", output: "halfway" });
  assert.equal(late.status, 200);
  assert.deepEqual(late.body, { id, status: "COMPLETED" });
  assert.equal(t.emulator.job(id)!.output, "done");
  await t.api.post("/run", { input: 2 });
  const cancelled = (await worker.take()).body.id;
  await t.api.post(`/cancel/${cancelled}`);
  const afterStop = await worker.done(cancelled, { status: "IN_PROGRESS", output: "halfway" });
  assert.equal(afterStop.status, 200);
  assert.equal(t.emulator.job(cancelled)!.output, undefined);
  const other = protocolWorker(t.emulator, "my-ep", { workerId: "other" });
  assert.equal((await other.done(id, { status: "IN_PROGRESS", output: 1 })).status, 409);
});

test("a result over 20 MB completes the job with no output, as RunPod reports it", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  const posted = await worker.done(id, { output: "x".repeat(20 * 1024 * 1024 + 1) });
  assert.equal(posted.status, 200);
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([status.status, "output" in status], ["COMPLETED", false]);
});
