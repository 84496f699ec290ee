import assert from "node:assert/strict";
import { createEmulator, openaiWorker } from "../../../../testing.ts";

Deno.test("a preflight for the OpenAI routes allows the headers the openai package sends", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "" }) });
  const asked = "authorization, content-type, x-stainless-os, x-stainless-retry-count";
  const preflight = await emulator.fetch(
    `${emulator.baseUrl}/test-endpoint/openai/v1/chat/completions`,
    {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": asked,
      },
    },
  );
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.equal(preflight.headers.get("access-control-allow-headers"), asked);
  await preflight.body?.cancel();
  assert.equal(emulator.jobs.length, 0);
});
