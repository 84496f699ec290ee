// The worker protocol's route family: keys, endpoints, methods, the variables
// that point a worker at it (emulator.workerEnv), the request log and faults.
import assert from "node:assert/strict";
import { createEmulator } from "../../../../testing.ts";
import { protocolWorker } from "../../../_helpers/protocol_worker.ts";
import { externalEmulator } from "./_setup.ts";

const { test } = Deno;

test("workerEnv gives RunPod's variables as URL templates on the emulator's base URL", async () => {
  await using t = externalEmulator();
  assert.deepEqual(t.emulator.workerEnv("my-ep", { workerId: "w1" }), {
    RUNPOD_WEBHOOK_GET_JOB: "https://api.runpod.ai/v2/my-ep/job-take/$ID?gpu=emulated",
    RUNPOD_WEBHOOK_POST_OUTPUT:
      "https://api.runpod.ai/v2/my-ep/job-done/$RUNPOD_POD_ID/$ID?gpu=emulated",
    RUNPOD_WEBHOOK_POST_STREAM:
      "https://api.runpod.ai/v2/my-ep/job-stream/$RUNPOD_POD_ID/$ID?gpu=emulated",
    RUNPOD_WEBHOOK_PING: "https://api.runpod.ai/v2/my-ep/ping/$RUNPOD_POD_ID?gpu=emulated",
    RUNPOD_POD_ID: "w1",
    RUNPOD_AI_API_KEY: "test-worker-key",
    RUNPOD_ENDPOINT_ID: "my-ep",
    RUNPOD_PING_INTERVAL: "10000",
  });
  const served = t.emulator.workerEnv("my-ep", { baseUrl: "http://127.0.0.1:8123/v2/" });
  assert.equal(
    served.RUNPOD_WEBHOOK_GET_JOB,
    "http://127.0.0.1:8123/v2/my-ep/job-take/$ID?gpu=emulated",
  );
  assert.equal(served.RUNPOD_POD_ID, "worker-1");
  assert.equal(t.emulator.workerEnv("my-ep").RUNPOD_POD_ID, "worker-2", "a new worker per call");
});

test("workerEnv refuses an unknown or in-process endpoint and bad options with a TypeError", async () => {
  await using t = externalEmulator();
  assert.throws(() => t.emulator.workerEnv("nope"), {
    name: "TypeError",
    message: /endpoint 'nope' does not exist/,
  });
  assert.throws(
    () => t.emulator.workerEnv("in-process"),
    /runs its jobs in the emulator; give it as \{ id: "in-process", external: true \}/,
  );
  assert.throws(() => t.emulator.workerEnv("my-ep", { workerId: "a/b" }), TypeError);
  assert.throws(() => t.emulator.workerEnv("my-ep", { workerId: "" }), TypeError);
  assert.throws(() => t.emulator.workerEnv("my-ep", { baseUrl: "/v2" }), TypeError);
});

test("createEmulator refuses an external flag that is not a boolean", () => {
  assert.throws(
    // @ts-expect-error: external is a boolean
    () => createEmulator({ endpoints: [{ id: "x", external: "yes" }] }),
    /external must be a boolean/,
  );
});

test("the worker routes take the worker key, bare or as a bearer, and refuse the API key", async () => {
  await using t = externalEmulator({ workerKey: "secret-worker-key" });
  const id = await t.api.run(1);
  const apiKey = await protocolWorker(t.emulator, "my-ep", { key: "test-key" }).take();
  assert.equal(apiKey.status, 401);
  const bearer = await protocolWorker(t.emulator, "my-ep", { key: "Bearer secret-worker-key" })
    .take();
  assert.equal(bearer.body.id, id);
  const env = t.emulator.workerEnv("my-ep");
  assert.equal(env.RUNPOD_AI_API_KEY, "secret-worker-key");
  const jobApi = await t.emulator.fetch(`${t.emulator.baseUrl}/my-ep/status/${id}`, {
    headers: { authorization: "secret-worker-key" },
  });
  assert.equal(jobApi.status, 401, "the worker key is not an API key");
  await jobApi.body?.cancel();
});

test("the worker routes of an in-process or unknown endpoint answer 404; a wrong method 405", async () => {
  await using t = externalEmulator();
  const key = { authorization: "test-worker-key" };
  const base = t.emulator.baseUrl;
  const inProcess = await t.emulator.fetch(`${base}/in-process/job-take/w1?job_in_progress=0`, {
    headers: key,
  });
  assert.equal(inProcess.status, 404);
  assert.match((await inProcess.json()).error, /external: true/);
  const unknown = await t.emulator.fetch(`${base}/nope/job-take/w1`, { headers: key });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
  const wrong = await t.emulator.fetch(`${base}/my-ep/job-done/w1/some-job`, { headers: key });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "POST");
  await wrong.body?.cancel();
  const noWorker = await t.emulator.fetch(`${base}/my-ep/job-take`, { headers: key });
  assert.equal(noWorker.status, 401, "no worker id: the job API's route, which wants the API key");
  await noWorker.body?.cancel();
});

test("the request log names the worker routes, with the job id and the key redacted", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep", { workerId: "w1" });
  await worker.take();
  await worker.stream(id, "a");
  await worker.done(id, { output: [] }, true);
  await worker.ping();
  const log = t.emulator.requests.slice(1).map((r) => [r.route, r.jobId, r.status]);
  assert.deepEqual(log, [
    ["GET /job-take", id, 200],
    ["POST /job-stream", id, 200],
    ["POST /job-done", id, 200],
    ["GET /ping", undefined, 200],
  ]);
  assert.equal(t.emulator.requests[2]!.headers.authorization, "[redacted]");
  assert.equal(t.emulator.requests[2]!.headers["x-request-id"], id);
  assert.equal(t.emulator.countRequests("/job-done"), 1);
});

test("faults target the worker routes: a 5xx on job-done changes nothing, and the resend lands", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  t.emulator.inject("POST /job-done", { status: 503 }, 2);
  assert.equal((await worker.done(id, { output: 1 })).status, 503);
  assert.equal((await worker.done(id, { output: 1 })).status, 503);
  assert.equal(t.emulator.job(id)!.status, "IN_PROGRESS");
  assert.equal((await worker.done(id, { output: 1 })).status, 200);
  assert.equal(t.emulator.job(id)!.status, "COMPLETED");
  assert.deepEqual(t.emulator.requests.map((r) => r.fault).filter(Boolean), [
    "status 503",
    "status 503",
  ]);
});

test("a dropped answer to job-done leaves the job done; the worker's resend answers 200", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1, { webhook: "https://example.com/hook" });
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  t.emulator.inject("POST /job-done", { drop: true, when: "after" });
  await assert.rejects(worker.done(id, { output: 1 }), TypeError);
  assert.equal(t.emulator.job(id)!.status, "COMPLETED");
  assert.equal((await worker.done(id, { output: 1 })).status, 200);
  await t.clock.advance(0);
  assert.equal(t.hooks.length, 1);
});

test("a dropped take answer leaves the job held by the worker until its timeout", async () => {
  await using t = externalEmulator();
  const run = await t.api.post("/run", { input: 1, policy: { executionTimeout: 5_000 } });
  const worker = protocolWorker(t.emulator, "my-ep");
  t.emulator.inject("GET /job-take", { drop: true, when: "after" });
  await assert.rejects(worker.take(), TypeError);
  assert.equal(t.emulator.job(run.body.id)!.status, "IN_PROGRESS");
  await t.clock.advance(5_000);
  assert.equal(t.emulator.job(run.body.id)!.status, "TIMED_OUT");
});
