import assert from "node:assert/strict";
import { assertRejects } from "../../../_helpers/assert_rejects.ts";
import { realClock } from "../../../../mod.ts";
import { createEmulator, FakeClock, openaiWorker } from "../../../../testing.ts";
import { CHAT, OpenAI, openaiFor, watchCancel } from "./_openai.ts";

Deno.test("breaking out of a stream cancels its job, and the worker's signal aborts", async () => {
  using clock = new FakeClock();
  const { worker, cancelled } = watchCancel(
    openaiWorker({ reply: "a long answer that nobody reads to the end", chunkDelay: 60_000 }),
  );
  await using emulator = createEmulator({ clock, worker });
  const stream = await openaiFor(emulator).chat.completions.create({ ...CHAT, stream: true });
  const words: string[] = [];
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (content) words.push(content);
    if (words.length === 2) break;
  }
  const id = await cancelled;
  assert.deepEqual(words, ["a ", "long "]);
  assert.equal(emulator.job(id)?.status, "CANCELLED");
  assert.equal(clock.now() - emulator.job(id)!.createdAt, 120_000); // no word after the break
});

Deno.test("stream.controller.abort() cancels the job", async () => {
  using clock = new FakeClock();
  const { worker, cancelled } = watchCancel(
    openaiWorker({ reply: "one two three", chunkDelay: 1_000 }),
  );
  await using emulator = createEmulator({ clock, worker });
  const stream = await openaiFor(emulator).completions.create({
    model: "test-model",
    prompt: "count",
    stream: true,
  });
  stream.controller.abort();
  const id = await cancelled;
  assert.equal(emulator.job(id)?.status, "CANCELLED");
});

Deno.test("aborting a non-streamed call cancels its job", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  const { worker, cancelled } = watchCancel(
    openaiWorker({ reply: "an answer that takes a while", chunkDelay: 60_000 }),
  );
  await using emulator = createEmulator({ clock, worker });
  const controller = new AbortController();
  const call = openaiFor(emulator).chat.completions.create(CHAT, { signal: controller.signal });
  while (emulator.jobs[0]?.status !== "IN_PROGRESS") await clock.advance(0);
  controller.abort();
  await assertRejects(call, OpenAI.APIUserAbortError);
  const id = await cancelled;
  assert.equal(emulator.job(id)?.status, "CANCELLED");
});

Deno.test("closing the emulator ends an open stream with an APIError and cancels its job", async () => {
  // Real time: the role chunk comes at once, then a word a minute (the close comes first).
  const emulator = createEmulator({
    clock: realClock,
    worker: openaiWorker({ reply: "words that never come", chunkDelay: 60_000 }),
  });
  try {
    const stream = await openaiFor(emulator).chat.completions.create({ ...CHAT, stream: true });
    const chunks = stream[Symbol.asyncIterator]();
    assert.equal((await chunks.next()).value?.choices[0]?.delta.role, "assistant");
    const closing = emulator.close();
    await assertRejects(chunks.next(), OpenAI.APIError, /the job ended CANCELLED/);
    await closing;
    assert.equal(emulator.jobs[0]!.status, "CANCELLED");
  } finally {
    await emulator.close();
  }
});
