import assert from "node:assert/strict";
import runpodSdk from "../../mod.ts";
import { createEmulator } from "../../testing.ts";

Deno.test("openaiBaseUrl is RunPod's OpenAI base URL of the endpoint by default", () => {
  const endpoint = runpodSdk("a-key").endpoint("abc123");
  assert.equal(endpoint.openaiBaseUrl, "https://api.runpod.ai/v2/abc123/openai/v1");
});

Deno.test("openaiBaseUrl follows the client's baseUrl, a trailing slash dropped", () => {
  const local = runpodSdk("a-key", { baseUrl: "http://127.0.0.1:8000/v2/" }).endpoint("ep_1");
  assert.equal(local.openaiBaseUrl, "http://127.0.0.1:8000/v2/ep_1/openai/v1");
  const proxy = runpodSdk("a-key", { baseUrl: "https://proxy.example/runpod/v2" }).endpoint("x");
  assert.equal(proxy.openaiBaseUrl, "https://proxy.example/runpod/v2/x/openai/v1");
});

Deno.test("openaiBaseUrl of a client on the emulator reaches the emulator's OpenAI routes", async () => {
  await using emulator = createEmulator();
  const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl }).endpoint("test-endpoint");
  const response = await emulator.fetch(`${endpoint.openaiBaseUrl}/models`, {
    headers: { authorization: "Bearer test-key" },
  });
  assert.equal(response.status, 200);
  // The default echo worker answers with its input: the job RunPod would make.
  assert.deepEqual(await response.json(), { openai_route: "/v1/models" });
});
