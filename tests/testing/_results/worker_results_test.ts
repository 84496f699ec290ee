// How a worker's return, yields and throws become the job's result, as
// runpod-python reports them (serverless/modules/rp_job.py), through raw HTTP
// and through the client.
import assert from "node:assert/strict";
import { JobError, parseWorkerError } from "../../../mod.ts";
import { createEmulator, FakeClock, type WorkerJob } from "../../../testing.ts";
import { assertRejects } from "../../_helpers/assert_rejects.ts";
import { client } from "../../_helpers/raw_client.ts";
import { setup } from "../../_helpers/setup.ts";

async function* three(job: WorkerJob) {
  for (let i = 1; i <= 3; i++) {
    await job.sleep(100);
    yield { n: i };
  }
}

Deno.test("a generator's yields are on /stream only; the final output is [] by default", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: three });
  const api = client(emulator);
  const job = (await api.post("/runsync", { input: {} })).body;
  assert.equal(job.status, "COMPLETED");
  assert.deepEqual(job.output, []);
  const streamed = (await api.get(`/stream/${job.id}`)).body.stream;
  assert.deepEqual(streamed, [{ output: { n: 1 } }, { output: { n: 2 } }, { output: { n: 3 } }]);
  assert.deepEqual((await api.get(`/status/${job.id}`)).body.output, []);
});

Deno.test("returnAggregateStream makes a generator's yields its final output too", async () => {
  await using s = setup({ worker: three, returnAggregateStream: true });
  const job = await s.endpoint.runSync({ input: {} });
  assert.deepEqual(job.output, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  const { id } = await s.endpoint.run({ input: {} });
  const items: unknown[] = [];
  for await (const item of s.endpoint.stream(id)) items.push(item.output);
  assert.deepEqual(items, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.deepEqual((await s.endpoint.status(id)).output, [{ n: 1 }, { n: 2 }, { n: 3 }]);
});

Deno.test("the client streams a generator's items without returnAggregateStream, and status() shows []", async () => {
  await using s = setup({ worker: three });
  const { id } = await s.endpoint.run({ input: {} });
  const items: unknown[] = [];
  for await (const item of s.endpoint.stream(id)) items.push(item.output);
  assert.deepEqual(items, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.deepEqual((await s.endpoint.status(id)).output, []);
});

class ValueError extends Error {
  override name = "ValueError";
}

Deno.test("a plain worker that throws fails the job with runpod-python's JSON report, written as Python writes it", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    workers: 2,
    worker: function handler() {
      throw new ValueError("bad «prompt»");
    },
  });
  const job = (await client(emulator).post("/runsync", { input: {} })).body;
  assert.equal(job.status, "FAILED");
  assert.equal(typeof job.error, "string");
  // Python's json.dumps: ", " and ": " separators, non-ASCII escaped.
  assert.match(
    job.error,
    /^\{"error_type": "<class 'ValueError'>", "error_message": "bad \\u00abprompt\\u00bb", "error_traceback": "Traceback \(most recent call last\):\\n/,
  );
  const report = JSON.parse(job.error);
  assert.deepEqual(Object.keys(report), [
    "error_type",
    "error_message",
    "error_traceback",
    "hostname",
    "worker_id",
    "runpod_version",
  ]);
  assert.equal(report.error_message, "bad «prompt»");
  assert.match(report.error_traceback, /in handler\n/);
  assert.match(report.error_traceback, /\nValueError: bad «prompt»\n$/);
  assert.doesNotMatch(report.error_traceback, /_run_worker|_jobs\.ts|fake_clock/);
  assert.equal(report.worker_id, job.workerId);
  assert.equal(report.hostname, job.workerId);
  assert.match(report.runpod_version, /^\d+\.\d+\.\d+$/);
});

Deno.test("the client resolves a thrown worker's job FAILED, and parseWorkerError reads the report", async () => {
  await using s = setup({
    worker: async () => {
      await Promise.resolve();
      throw new TypeError("input.prompt is missing");
    },
  });
  const job = await s.endpoint.runSync({ input: {} });
  assert.equal(job.status, "FAILED");
  const parsed = parseWorkerError(job.error);
  assert.ok(parsed);
  assert.equal(parsed.error_message, "input.prompt is missing");
  assert.equal(parsed.error_type, "<class 'TypeError'>");
  assert.equal(parsed.type, "TypeError");
});

Deno.test("a generator that throws fails the job with 'handler: <message> \\ntraceback: <tb>'", async () => {
  await using s = setup({
    worker: async function* () {
      yield "one";
      await Promise.resolve();
      throw new RangeError("ran out");
    },
  });
  const { id } = await s.endpoint.run({ input: {} });
  const items: unknown[] = [];
  const error = await assertRejects(async () => {
    for await (const item of s.endpoint.stream(id)) items.push(item.output);
  }, JobError);
  assert.deepEqual(items, ["one"]);
  assert.equal(error.status, "FAILED");
  assert.match(
    String(error.error),
    /^handler: ran out \ntraceback: Traceback \(most recent call last\):\n[^]*RangeError: ran out\n$/,
  );
  const parsed = parseWorkerError(error.error);
  assert.equal(parsed?.type, "RangeError");
  assert.equal(parsed?.error_message, "ran out");
});

Deno.test("a returned object's error key is removed: truthy fails the job, the other keys stay as output", async () => {
  using clock = new FakeClock();
  const results: unknown[] = [
    { error: "bad input", partial: 1 },
    { error: "", value: 2 },
    { error: null, value: 3 },
    { error: "only an error" },
    { value: 4, refresh_worker: true },
    { error: { code: 7 } },
    {},
  ];
  let i = 0;
  await using emulator = createEmulator({ clock, worker: () => results[i++] });
  const api = client(emulator);
  const jobs = [];
  for (let n = 0; n < results.length; n++) {
    jobs.push((await api.post("/runsync", { input: n })).body);
  }
  const shape = (job: Record<string, unknown>) => ({
    status: job.status,
    ...(job.output !== undefined ? { output: job.output } : {}),
    ...(job.error !== undefined ? { error: job.error } : {}),
  });
  assert.deepEqual(jobs.map(shape), [
    { status: "FAILED", output: { partial: 1 }, error: "bad input" },
    { status: "COMPLETED", output: { value: 2 } },
    { status: "COMPLETED", output: { value: 3 } },
    { status: "FAILED", error: "only an error" },
    { status: "COMPLETED", output: { value: 4 } },
    { status: "FAILED", error: { code: 7 } },
    { status: "COMPLETED" },
  ]);
});

Deno.test("the client sees a returned {error} as a FAILED job with that error", async () => {
  await using s = setup({ worker: () => ({ error: "no GPU left", tried: 3 }) });
  const job = await s.endpoint.runSync({ input: {} });
  assert.equal(job.status, "FAILED");
  assert.equal(job.error, "no GPU left");
  assert.deepEqual(job.output, { tried: 3 });
});

Deno.test("a yielded object with a truthy error ends the job FAILED and is not streamed", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    worker: async function* () {
      yield { error: "", text: "falsy errors are items" };
      yield "two";
      yield { error: "out of tokens" };
      yield "never";
    },
  });
  const api = client(emulator);
  const job = (await api.post("/runsync", { input: {} })).body;
  assert.equal(job.status, "FAILED");
  assert.equal(job.error, "out of tokens");
  const { stream } = (await api.get(`/stream/${job.id}`)).body;
  assert.deepEqual(stream, [{ output: { error: "", text: "falsy errors are items" } }, {
    output: "two",
  }]);
});

Deno.test("the client's stream() yields the items before an {error} item, then throws JobError", async () => {
  await using s = setup({
    worker: async function* () {
      yield 1;
      yield { error: "stopped" };
    },
  });
  const { id } = await s.endpoint.run({ input: {} });
  const items: unknown[] = [];
  const error = await assertRejects(async () => {
    for await (const item of s.endpoint.stream(id)) items.push(item.output);
  }, JobError);
  assert.equal(error.error, "stopped");
  assert.deepEqual(items, [1]);
});
