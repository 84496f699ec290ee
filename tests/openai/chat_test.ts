import assert from "node:assert/strict";
import OpenAI from "npm:openai";
import runpodSdk from "../../mod.ts";
import { createEmulator, openaiWorker } from "../../testing.ts";

function clientFor(emulator: { baseUrl: string; fetch: typeof fetch }, apiKey = "test-key") {
  const endpoint = runpodSdk(apiKey, { baseUrl: emulator.baseUrl }).endpoint("test-endpoint");
  return new OpenAI({ apiKey, baseURL: endpoint.openaiBaseUrl, fetch: emulator.fetch });
}

Deno.test("chat.completions.create answers with the worker's reply as a chat.completion", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "Paris is the capital." }) });
  const openai = clientFor(emulator);
  const completion = await openai.chat.completions.create({
    model: "test-model",
    messages: [{ role: "user", content: "What is the capital of France?" }],
  });
  assert.equal(completion.object, "chat.completion");
  assert.equal(completion.choices[0].message.content, "Paris is the capital.");
  assert.equal(completion.choices[0].finish_reason, "stop");
  assert.deepEqual(completion.usage, { prompt_tokens: 6, completion_tokens: 4, total_tokens: 10 });
  const [job] = emulator.jobs;
  assert.deepEqual(job.input, {
    openai_route: "/v1/chat/completions",
    openai_input: {
      model: "test-model",
      messages: [{ role: "user", content: "What is the capital of France?" }],
    },
  });
  assert.equal(job.status, "COMPLETED");
  assert.equal(emulator.countRequests("POST /openai/v1/chat/completions"), 1);
});

Deno.test("a streamed chat completion yields the reply word by word, then ends", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "one two three" }) });
  const openai = clientFor(emulator);
  const stream = await openai.chat.completions.create({
    model: "test-model",
    messages: [{ role: "user", content: "count" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const deltas: string[] = [];
  let usage: unknown;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    if (chunk.usage) usage = chunk.usage;
  }
  assert.deepEqual(deltas, ["one ", "two ", "three"]);
  assert.deepEqual(usage, { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
});
