import assert from "node:assert/strict";
import { createEmulator, FakeClock, openaiWorker } from "../../../../testing.ts";
import { CHAT, openaiFor } from "./_openai.ts";

Deno.test("chat.completions.create answers with the worker's reply as a chat.completion", async () => {
  await using emulator = createEmulator({
    worker: openaiWorker({ reply: "Paris is the capital." }),
  });
  const openai = openaiFor(emulator);
  const completion = await openai.chat.completions.create({
    model: "test-model",
    messages: [{ role: "user", content: "What is the capital of France?" }],
  });
  assert.equal(completion.object, "chat.completion");
  assert.equal(completion.model, "test-model");
  assert.equal(completion.choices[0]!.message.role, "assistant");
  assert.equal(completion.choices[0]!.message.content, "Paris is the capital.");
  assert.equal(completion.choices[0]!.finish_reason, "stop");
  assert.deepEqual(completion.usage, { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
});

Deno.test("each chat call becomes one job whose input is { openai_route, openai_input }", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "hi" }) });
  const completion = await openaiFor(emulator).chat.completions.create({ ...CHAT, temperature: 0 });
  assert.equal(emulator.jobs.length, 1);
  const job = emulator.jobs[0]!;
  assert.deepEqual(job.input, {
    openai_route: "/v1/chat/completions",
    openai_input: { ...CHAT, temperature: 0 },
  });
  assert.equal(job.status, "COMPLETED");
  assert.equal(completion.id, `chatcmpl-${job.id}`);
  const request = emulator.requests[0]!;
  assert.equal(request.route, "POST /openai/v1/chat/completions");
  assert.equal(request.path, "/v2/test-endpoint/openai/v1/chat/completions");
  assert.equal(request.jobId, job.id);
  assert.equal(request.status, 200);
});

Deno.test("a streamed chat completion yields the reply word by word, with usage when asked", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "one two three" }) });
  const stream = await openaiFor(emulator).chat.completions.create({
    ...CHAT,
    stream: true,
    stream_options: { include_usage: true },
  });
  const deltas: string[] = [];
  const finishes: unknown[] = [];
  let usage: unknown;
  for await (const chunk of stream) {
    assert.equal(chunk.object, "chat.completion.chunk");
    const choice = chunk.choices[0];
    if (choice?.delta.content) deltas.push(choice.delta.content);
    if (choice?.finish_reason) finishes.push(choice.finish_reason);
    if (chunk.usage) usage = chunk.usage;
  }
  assert.deepEqual(deltas, ["one ", "two ", "three"]);
  assert.deepEqual(finishes, ["stop"]);
  assert.deepEqual(usage, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
  assert.equal(emulator.jobs[0]!.status, "COMPLETED");
});

Deno.test("streamed chunks reach the client as the worker produces them, not at the end", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    worker: openaiWorker({ reply: "slow and steady", chunkDelay: 10_000 }),
  });
  const started = clock.now();
  const stream = await openaiFor(emulator).chat.completions.create({ ...CHAT, stream: true });
  const received: [number, string, string][] = [];
  for await (const chunk of stream) {
    const choice = chunk.choices[0]!;
    received.push([clock.now() - started, choice.delta.content ?? "", emulator.jobs[0]!.status]);
  }
  assert.deepEqual(received, [
    [0, "", "IN_PROGRESS"],
    [10_000, "slow ", "IN_PROGRESS"],
    [20_000, "and ", "IN_PROGRESS"],
    [30_000, "steady", "COMPLETED"],
    [30_000, "", "COMPLETED"],
  ]);
});

Deno.test("max_tokens cuts the reply and reports finish_reason length", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "a b c d e" }) });
  const completion = await openaiFor(emulator).chat.completions.create({ ...CHAT, max_tokens: 2 });
  assert.equal(completion.choices[0]!.message.content, "a b ");
  assert.equal(completion.choices[0]!.finish_reason, "length");
});

Deno.test("a reply function sees the request body", async () => {
  await using emulator = createEmulator({
    worker: openaiWorker({
      reply: (request) =>
        `You said: ${(request.messages as { content: string }[]).at(-1)?.content}`,
    }),
  });
  const completion = await openaiFor(emulator).chat.completions.create(CHAT);
  assert.equal(completion.choices[0]!.message.content, "You said: Say hello");
});

Deno.test("a non-streamed chat call is answered once the worker has produced every word", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    worker: openaiWorker({ reply: "three whole words", chunkDelay: 5_000 }),
  });
  const completion = await openaiFor(emulator).chat.completions.create(CHAT);
  assert.equal(completion.choices[0]!.message.content, "three whole words");
  assert.equal(emulator.jobs[0]!.executionTime, 15_000);
});
