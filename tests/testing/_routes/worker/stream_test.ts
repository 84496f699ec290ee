// POST /job-stream: a generator's items, then its end posted to /job-done with isStream=true.
import assert from "node:assert/strict";
import { protocolWorker } from "../../../_helpers/protocol_worker.ts";
import { externalEmulator } from "./_setup.ts";

const { test } = Deno;

test("stream posts show on /stream as they come; the aggregate end completes the job", async () => {
  await using t = externalEmulator();
  const id = await t.api.run({ words: 2 }, { webhook: "https://example.com/hook" });
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  const polling = t.api.get(`/stream/${id}`); // held until the first item
  assert.deepEqual((await worker.stream(id, "hello")).body, { id, status: "IN_PROGRESS" });
  const first = (await polling).body;
  assert.deepEqual([first.status, first.stream], ["IN_PROGRESS", [{ output: "hello" }]]);
  await worker.stream(id, "world");
  assert.equal((await t.api.get(`/status/${id}`)).body.status, "IN_PROGRESS");
  await t.clock.advance(1_500);
  const end = await worker.done(id, { output: ["hello", "world"] }, true);
  assert.deepEqual(end.body, { id, status: "COMPLETED" });
  const last = (await t.api.get(`/stream/${id}`)).body;
  assert.deepEqual([last.status, last.stream], ["COMPLETED", [{ output: "world" }]]);
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([status.output, status.executionTime], [["hello", "world"], 1_500]);
  await t.clock.advance(0);
  assert.equal(t.hooks.length, 1);
});

test("an end posted with {output: []} completes the job with an empty output", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await worker.stream(id, { token: 1 });
  await worker.done(id, { output: [] }, true);
  const status = (await t.api.get(`/status/${id}`)).body;
  assert.deepEqual([status.status, status.output], ["COMPLETED", []]);
  assert.deepEqual(t.emulator.job(id)!.stream, [{ output: { token: 1 } }]);
});

test("a generator's error ends the stream FAILED; the items before it stay on /stream", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  await worker.stream(id, "a");
  const error = "handler: out of memory \ntraceback: Traceback (most recent call last):\n";
  await worker.done(id, { error });
  const stream = (await t.api.get(`/stream/${id}`)).body;
  assert.deepEqual([stream.status, stream.stream], ["FAILED", [{ output: "a" }]]);
  assert.equal((await t.api.get(`/status/${id}`)).body.error, error);
});

test("a stream item over 1 MB is split, as RunPod splits it", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const worker = protocolWorker(t.emulator, "my-ep");
  await worker.take();
  const text = "x".repeat(1024 * 1024 + 10);
  await worker.stream(id, text);
  const items = t.emulator.job(id)!.stream.map((item) => item.output as string);
  assert.deepEqual(items.map((item) => item.length), [1024 * 1024, 10]);
  assert.equal(items.join(""), text);
});

test("stream posts for a job the worker does not hold, or after its end, answer 409", async () => {
  await using t = externalEmulator();
  const id = await t.api.run(1);
  const a = protocolWorker(t.emulator, "my-ep", { workerId: "a" });
  const b = protocolWorker(t.emulator, "my-ep", { workerId: "b" });
  assert.equal((await a.stream(id, "too early")).status, 409);
  await a.take();
  assert.equal((await b.stream(id, "not mine")).status, 409);
  await a.done(id, { output: [] }, true);
  assert.equal((await a.stream(id, "too late")).status, 409);
  assert.deepEqual(t.emulator.job(id)!.stream, []);
});
