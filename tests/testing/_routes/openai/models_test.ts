import assert from "node:assert/strict";
import { createEmulator, openaiWorker } from "../../../../testing.ts";
import { openaiFor } from "./_openai.ts";

Deno.test("models.list lists the worker's model, through a job without openai_input", async () => {
  await using emulator = createEmulator({
    worker: openaiWorker({ reply: "", model: "meta-llama/Llama-3.1-8B-Instruct" }),
  });
  const ids: string[] = [];
  for await (const model of openaiFor(emulator).models.list()) ids.push(model.id);
  assert.deepEqual(ids, ["meta-llama/Llama-3.1-8B-Instruct"]);
  assert.deepEqual(emulator.jobs[0]!.input, { openai_route: "/v1/models" });
  assert.equal(emulator.countRequests("GET /openai/v1/models"), 1);
});

Deno.test("a POST to /models answers 405 and creates no job", async () => {
  await using emulator = createEmulator({ worker: openaiWorker({ reply: "" }) });
  const response = await emulator.fetch(`${emulator.baseUrl}/test-endpoint/openai/v1/models`, {
    method: "POST",
    headers: { authorization: "Bearer test-key" },
    body: "{}",
  });
  assert.equal(response.status, 405);
  assert.equal(response.headers.get("allow"), "GET");
  await response.body?.cancel();
  assert.equal(emulator.jobs.length, 0);
});
