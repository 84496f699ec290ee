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

// The OpenAI-compatible routes of an external endpoint: each call is a job that a worker process
// takes, as a vLLM worker takes it on RunPod.
test("a chat completion on an external endpoint is a job a worker process takes and answers", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const taking = worker.take();
  const calling = t.emulator.fetch(`${t.emulator.baseUrl}/my-ep/openai/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer test-key", "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
  });
  const job = (await taking).body;
  assert.equal(job.input.openai_route, "/v1/chat/completions");
  assert.deepEqual(job.input.openai_input.messages, [{ role: "user", content: "hi" }]);
  const completion = { object: "chat.completion", choices: [{ message: { content: "hello" } }] };
  await worker.stream(job.id, completion); // vLLM's worker yields its one answer
  await worker.done(job.id, { output: [] }, true);
  const answer = await calling;
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), completion);
});

test("a streamed chat completion relays the SSE chunks a worker process posts, as they come", async () => {
  await using t = externalEmulator();
  const worker = protocolWorker(t.emulator, "my-ep");
  const taking = worker.take();
  const answer = await Promise.all([
    t.emulator.fetch(`${t.emulator.baseUrl}/my-ep/openai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer test-key", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", stream: true, messages: [] }),
    }),
    taking.then((taken) => worker.stream(taken.body.id, 'data: {"n":1}\n\n')),
  ]).then(([response]) => response);
  assert.equal(answer.headers.get("content-type"), "text/event-stream");
  const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
  assert.equal((await reader.read()).value, 'data: {"n":1}\n\n');
  const id = t.emulator.jobs[0]!.id;
  await worker.stream(id, 'data: {"n":2}\n\n');
  await worker.done(id, { output: [] }, true);
  let rest = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    rest += chunk.value;
  }
  assert.equal(rest, 'data: {"n":2}\n\ndata: [DONE]\n\n');
});
