import assert from "node:assert/strict";
import { delay } from "../../../../mod.ts";
import { createEmulator, FakeClock } from "../../../../testing.ts";
import { client } from "../../../_helpers/raw_client.ts";
import { assertRejects } from "../../../_helpers/assert_rejects.ts";
import { sleeper } from "../../../_helpers/workers.ts";

Deno.test("a request without the right Bearer key answers 401", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, apiKey: "secret" });
  const wrong = await client(emulator, { key: "other" }).post("/run", { input: 1 });
  assert.equal(wrong.status, 401);
  assert.equal(typeof wrong.body.error, "string");
  const none = await emulator.fetch(`${emulator.baseUrl}/test-endpoint/health`);
  assert.equal(none.status, 401);
  await none.body?.cancel();
  assert.equal((await client(emulator, { key: "secret" }).get("/health")).status, 200);
  assert.equal(emulator.jobs.length, 0);
});

Deno.test("an unknown endpoint, job or route answers 404", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const endpoint = await client(emulator, { endpoint: "nope" }).post("/run", { input: 1 });
  assert.equal(endpoint.status, 404);
  assert.match(endpoint.body.error, /Endpoint 'nope'/);
  assert.equal((await api.get("/status/no-such-job")).status, 404);
  assert.equal((await api.get("/stream/no-such-job")).status, 404);
  assert.equal((await api.post("/retry/no-such-job")).status, 404);
  assert.equal((await api.get("/status")).status, 404);
  assert.equal((await api.post("/run/extra", { input: 1 })).status, 404);
  assert.equal((await api.post("/openai/v1/embeddings", {})).status, 404); // not a vLLM route RunPod documents
  assert.equal((await api.get("/status-sync/abc")).status, 404);
  const outside = await emulator.fetch("https://api.runpod.ai/v1/whatever", {
    headers: { authorization: "Bearer test-key" },
  });
  assert.equal(outside.status, 404);
  await outside.body?.cancel();
});

Deno.test("a route called with the wrong method answers 405", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const answer = await client(emulator).get("/run");
  assert.equal(answer.status, 405);
  assert.equal(answer.headers.get("allow"), "POST");
});

Deno.test("answers are JSON and carry CORS headers; a preflight is answered without a key", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const preflight = await emulator.fetch(`${emulator.baseUrl}/test-endpoint/run`, {
    method: "OPTIONS",
    headers: {
      origin: "https://app.example",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.match(preflight.headers.get("access-control-allow-headers")!, /authorization/);
  assert.match(preflight.headers.get("access-control-allow-methods")!, /POST/);
  await preflight.body?.cancel();
  const api = client(emulator);
  for (const answer of [await api.get("/health"), await api.get("/status/nope")]) {
    assert.equal(answer.headers.get("content-type"), "application/json");
    assert.equal(answer.headers.get("access-control-allow-origin"), "*");
  }
});

Deno.test("emulator.fetch rejects with the signal's reason when the request is aborted", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(60_000) });
  const api = client(emulator);
  const controller = new AbortController();
  clock.setTimer(() => controller.abort(), 1000);
  const error = await assertRejects(
    api.post("/runsync", { input: 1 }, { signal: controller.signal }),
    DOMException,
  );
  assert.equal(error.name, "AbortError");
  // fetch rejects at the abort; the emulator logs the held request's answer a
  // few promise jobs later: a 0 ms timer on the fake clock fires after them,
  // one real macrotask turn later, without moving time (a real setTimeout(0)
  // lasts long enough for the fake clock to run the job to its end).
  await delay(0, { clock });
  assert.equal(emulator.jobs[0]?.status, "IN_PROGRESS");

  assert.equal(emulator.requests[0]?.status, 200);
  const gone = await assertRejects(
    api.get("/health", { signal: AbortSignal.abort(new Error("gone")) }),
    Error,
  );
  assert.equal(gone.message, "gone");
  assert.equal(emulator.countRequests("GET /health"), 0);
});
