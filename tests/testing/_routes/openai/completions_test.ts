import assert from "node:assert/strict";
import { createEmulator, openaiWorker } from "../../../../testing.ts";
import { openaiFor } from "./_openai.ts";

Deno.test("completions.create answers with a text_completion of the worker's reply", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "a horse" }) });
  const completion = await openaiFor(emulator).completions.create({
    model: "test-model",
    prompt: "Draw",
  });
  assert.equal(completion.object, "text_completion");
  assert.equal(completion.choices[0]!.text, "a horse");
  assert.equal(completion.choices[0]!.finish_reason, "stop");
  assert.deepEqual(completion.usage, { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  assert.deepEqual(emulator.jobs[0]!.input, {
    openai_route: "/v1/completions",
    openai_input: { model: "test-model", prompt: "Draw" },
  });
  assert.equal(emulator.countRequests("POST /openai/v1/completions"), 1);
});

Deno.test("a streamed completion yields the reply's words, then ends", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "a big horse" }) });
  const stream = await openaiFor(emulator).completions.create({
    model: "test-model",
    prompt: "Draw",
    stream: true,
  });
  const texts: string[] = [];
  let finish: unknown;
  for await (const chunk of stream) {
    assert.equal(chunk.object, "text_completion");
    texts.push(chunk.choices[0]!.text);
    finish = chunk.choices[0]!.finish_reason ?? finish;
  }
  assert.equal(texts.join(""), "a big horse");
  assert.deepEqual(texts.filter((text) => text !== ""), ["a ", "big ", "horse"]);
  assert.equal(finish, "stop");
});

Deno.test("the SSE answer is the worker's chunks as sent, data: [DONE] last", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "hi there" }) });
  const response = await emulator.fetch(
    `${emulator.baseUrl}/test-endpoint/openai/v1/completions`,
    {
      method: "POST",
      headers: { authorization: "Bearer test-key", "content-type": "application/json" },
      body: JSON.stringify({ model: "test-model", prompt: "x", stream: true }),
    },
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const text = await response.text();
  const yielded = emulator.jobs[0]!.stream.map((item) => item.output).join("");
  assert.equal(text, yielded);
  assert.ok(text.endsWith("\n\ndata: [DONE]\n\n"));
});
