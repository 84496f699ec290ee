import assert from "node:assert/strict";
import { assertRejects } from "../../../_helpers/assert_rejects.ts";
import runpodSdk from "../../../../mod.ts";
import { realClock } from "../../../../src/clock.ts";
import { serveNode } from "../../../../src/testing/serve_node.ts";
import { createEmulator, openaiWorker } from "../../../../testing.ts";
import { CHAT, OpenAI, watchCancel } from "./_openai.ts";

/** An openai client for `test-endpoint` of the emulator served at `origin`, through real HTTP. */
function openaiAt(origin: string, apiKey = "test-key"): OpenAI {
  const endpoint = runpodSdk(apiKey, { baseUrl: `${origin}/v2` }).endpoint("test-endpoint");
  return new OpenAI({ apiKey, baseURL: endpoint.openaiBaseUrl, maxRetries: 0 });
}

Deno.test("served with Deno.serve, the openai package chats, streams and lists models over HTTP", async () => {
  await using emulator = createEmulator({
    clock: realClock,
    worker: openaiWorker({ reply: "over the wire", model: "served-model" }),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const openai = openaiAt(`http://127.0.0.1:${server.addr.port}`);
    const completion = await openai.chat.completions.create(CHAT);
    assert.equal(completion.choices[0]!.message.content, "over the wire");
    const stream = await openai.chat.completions.create({ ...CHAT, stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    assert.equal(text, "over the wire");
    const models = await openai.models.list();
    assert.deepEqual(models.data.map((model) => model.id), ["served-model"]);
    const completions = await openai.completions.create({ model: "served-model", prompt: "x" });
    assert.equal(completions.choices[0]!.text, "over the wire");
    await assertRejects(
      openaiAt(`http://127.0.0.1:${server.addr.port}`, "wrong-key").models.list(),
      OpenAI.AuthenticationError,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("served with Deno.serve, a client that leaves a stream cancels its job", async () => {
  // Real time: the role chunk comes at once, then a word a minute (the abort comes first).
  const { worker, cancelled } = watchCancel(
    openaiWorker({ reply: "never finished", chunkDelay: 60_000 }),
  );
  await using emulator = createEmulator({ clock: realClock, worker });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const openai = openaiAt(`http://127.0.0.1:${server.addr.port}`);
    const stream = await openai.chat.completions.create({ ...CHAT, stream: true });
    for await (const chunk of stream) {
      assert.equal(chunk.choices[0]!.delta.role, "assistant");
      break;
    }
    const id = await cancelled;
    assert.equal(emulator.job(id)?.status, "CANCELLED");
  } finally {
    await server.shutdown();
  }
});

Deno.test("served with node:http, a 429 is retried and a stream's abort cancels its job", async () => {
  const { worker, cancelled } = watchCancel(
    openaiWorker({ reply: "slow words", chunkDelay: 60_000 }),
  );
  await using emulator = createEmulator({ clock: realClock, worker });
  await using server = await serveNode(emulator.handler);
  const endpoint = runpodSdk("test-key", { baseUrl: `${server.url}/v2` }).endpoint("test-endpoint");
  const openai = new OpenAI({ apiKey: "test-key", baseURL: endpoint.openaiBaseUrl, maxRetries: 1 });
  emulator.inject("POST /openai/v1/chat/completions", { status: 429, retryAfter: "0" });
  const stream = await openai.chat.completions.create({ ...CHAT, stream: true });
  stream.controller.abort();
  const id = await cancelled;
  assert.equal(emulator.job(id)?.status, "CANCELLED");
  assert.deepEqual(emulator.requests.map((r) => r.status), [429, 200]);
});
