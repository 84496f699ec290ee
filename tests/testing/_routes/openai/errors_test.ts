import assert from "node:assert/strict";
import { assertRejects } from "../../../_helpers/assert_rejects.ts";
import { createEmulator, FakeClock, openaiWorker } from "../../../../testing.ts";
import { CHAT, OpenAI, openaiFor } from "./_openai.ts";

Deno.test("a 429 with Retry-After is retried by the openai package, and one job runs", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "after the limit" }) });
  emulator.inject("POST /openai/v1/chat/completions", { status: 429, retryAfter: "0" });
  const completion = await openaiFor(emulator).chat.completions.create(CHAT);
  assert.equal(completion.choices[0]!.message.content, "after the limit");
  assert.deepEqual(emulator.requests.map((r) => r.status), [429, 200]);
  assert.equal(emulator.jobs.length, 1);
});

Deno.test("a 429 with no retries left rejects with RateLimitError", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "" }) });
  emulator.inject("POST /openai/v1/completions", { status: 429, retryAfter: "0" });
  const openai = openaiFor(emulator, { maxRetries: 0 });
  await assertRejects(
    openai.completions.create({ model: "test-model", prompt: "x" }),
    OpenAI.RateLimitError,
  );
  assert.equal(emulator.jobs.length, 0);
});

Deno.test("a wrong API key answers 401 (AuthenticationError) and runs no job", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "secret" }) });
  const openai = openaiFor(emulator, { apiKey: "wrong-key" });
  const error = await assertRejects(
    openai.chat.completions.create(CHAT),
    OpenAI.AuthenticationError,
    "invalid API key",
  );
  assert.equal(error.status, 401);
  assert.ok(!String(error.message).includes("wrong-key"));
  assert.equal(emulator.jobs.length, 0);
  assert.equal(emulator.requests[0]!.headers.authorization, "Bearer [redacted]");
});

Deno.test("an unknown endpoint answers 404 (NotFoundError)", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "" }) });
  const openai = new OpenAI({
    apiKey: "test-key",
    baseURL: `${emulator.baseUrl}/no-such-endpoint/openai/v1`,
    fetch: emulator.fetch,
  });
  await assertRejects(openai.models.list(), OpenAI.NotFoundError);
});

Deno.test("a route RunPod does not serve answers 404 and runs no job", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "" }) });
  await assertRejects(
    openaiFor(emulator).embeddings.create({ model: "test-model", input: "x" }),
    OpenAI.NotFoundError,
  );
  assert.equal(emulator.jobs.length, 0);
});

Deno.test("a worker that throws answers 500 with the worker's error", async () => {
  await using emulator = createEmulator({
    worker: () => {
      throw new Error("CUDA out of memory");
    },
  });
  const error = await assertRejects(
    openaiFor(emulator, { maxRetries: 0 }).chat.completions.create(CHAT),
    OpenAI.InternalServerError,
    "the worker failed: CUDA out of memory",
  );
  assert.equal(error.status, 500);
  assert.equal(emulator.jobs[0]!.status, "FAILED");
});

Deno.test("a worker that fails mid-stream ends the stream with an APIError", async () => {
  await using emulator = createEmulator({
    worker: async function* () {
      yield `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [] })}\n\n`;
      await Promise.resolve();
      throw new Error("the GPU fell off");
    },
  });
  const stream = await openaiFor(emulator).chat.completions.create({ ...CHAT, stream: true });
  let chunks = 0;
  await assertRejects(
    async () => {
      for await (const _ of stream) chunks++;
    },
    OpenAI.APIError,
    "the GPU fell off",
  );
  assert.equal(chunks, 1);
});

Deno.test("injected faults apply to the OpenAI routes as to the others", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "ok" }) });
  const openai = openaiFor(emulator, { maxRetries: 0 });
  emulator.inject("/openai/v1/chat/completions", { status: 503 });
  await assertRejects(openai.chat.completions.create(CHAT), OpenAI.InternalServerError);
  emulator.inject("POST /openai/v1/chat/completions", { drop: true });
  await assertRejects(openai.chat.completions.create(CHAT), OpenAI.APIConnectionError);
  emulator.inject("GET /openai/v1/models", { malformed: true });
  await assertRejects(openai.models.list(), SyntaxError); // the package does not wrap a bad body
  assert.deepEqual(emulator.requests.map((r) => r.fault), [
    "status 503",
    "drop before",
    "malformed",
  ]);
  assert.equal(emulator.jobs.length, 0);
  assert.equal((await openai.chat.completions.create(CHAT)).choices[0]!.message.content, "ok");
});

Deno.test("a body that is not a JSON object answers 400 and runs no job", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "" }) });
  const send = (body: string) =>
    emulator.fetch(`${emulator.baseUrl}/test-endpoint/openai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer test-key" },
      body,
    });
  for (const body of ["{", "[1]", "null"]) {
    const response = await send(body);
    assert.equal(response.status, 400, body);
    await response.body?.cancel();
  }
  assert.equal(emulator.jobs.length, 0);
});

Deno.test("the /openai rate limit counts every OpenAI route together and answers 429 past it", async () => {
  await using emulator = createEmulator({
    worker: openaiWorker({ reply: "ok" }),
    rateLimits: { openai: { rate: 2 } },
  });
  const openai = openaiFor(emulator, { maxRetries: 0 });
  await openai.chat.completions.create(CHAT);
  await openai.models.list();
  await assertRejects(
    openai.completions.create({ model: "m", prompt: "x" }),
    OpenAI.RateLimitError,
  );
  assert.equal(emulator.jobs.length, 2);
});

Deno.test("an open stream holds one of the /openai concurrent slots until it ends", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    workers: 2,
    worker: openaiWorker({ reply: "one two", chunkDelay: 1_000 }),
    rateLimits: { openai: { concurrent: 1 } },
  });
  const openai = openaiFor(emulator, { maxRetries: 0 });
  const stream = await openai.chat.completions.create({ ...CHAT, stream: true });
  await assertRejects(openai.chat.completions.create(CHAT), OpenAI.RateLimitError);
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  assert.equal(text, "one two");
  const after = await openai.chat.completions.create(CHAT);
  assert.equal(after.choices[0]?.message.content, "one two");
});
