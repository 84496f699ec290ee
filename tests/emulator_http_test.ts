import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../testing.ts";
import { client } from "./_emulator_client.ts";

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
  assert.equal((await api.get("/openai/v1/models")).status, 404);
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

Deno.test("a /run body that is not a JSON object answers 400", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  for (const body of ["{not json", "[1]", "null", '"input"', ""]) {
    for (const route of ["/run", "/runsync"]) {
      const answer = await api.post(route, body);
      assert.equal(answer.status, 400, `${route} ${body}`);
      assert.equal(typeof answer.body.error, "string");
    }
  }
  assert.equal((await api.post("/run", { input: 1, webhook: 42 })).status, 400);
  assert.equal(emulator.jobs.length, 0);
  assert.equal((await api.post("/run", { input: null })).status, 200);
});

Deno.test("a body over 10 MB answers 413 on /run, over 20 MB on /runsync", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: () => "ok" });
  const api = client(emulator);
  const MB = 1024 * 1024;
  const body = (size: number) => `{"input":"${"x".repeat(size - 12)}"}`;
  assert.equal(body(10 * MB).length, 10 * MB);
  assert.equal((await api.post("/run", body(10 * MB))).status, 200);
  const tooBig = await api.post("/run", body(10 * MB + 1));
  assert.equal(tooBig.status, 413);
  assert.match(tooBig.body.error, /too large/);
  assert.equal((await api.post("/runsync", body(10 * MB + 1))).status, 200);
  assert.equal((await api.post("/runsync", body(20 * MB + 1))).status, 413);
  assert.equal(emulator.jobs.length, 2);
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

Deno.test("the request log records each request with its route, job, status and the key redacted", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const id = await api.run({ a: 1 });
  await clock.advance(1500);
  await api.get(`/stream/${id}?wait=1000`);
  await client(emulator, { key: "bad" }).get("/health");
  const log = emulator.requests;
  assert.deepEqual(log.map((entry) => [entry.route, entry.status]), [
    ["POST /run", 200],
    ["GET /stream", 200],
    ["GET /health", 401],
  ]);
  assert.equal(log[0].jobId, id);
  assert.equal(log[0].endpointId, "test-endpoint");
  assert.equal(log[0].path, "/v2/test-endpoint/run");
  assert.equal(log[0].at + 1500, log[1].at);
  assert.equal(log[1].path, `/v2/test-endpoint/stream/${id}?wait=1000`);
  assert.equal(log[1].jobId, id);
  assert.equal(log[0].headers.authorization, "Bearer [redacted]");
  assert.equal(log[0].headers["content-type"], "application/json");
  assert.ok(!JSON.stringify(log).includes("test-key"));
  assert.equal(emulator.countRequests(), 3);
  assert.equal(emulator.countRequests("POST /run"), 1);
  assert.equal(emulator.countRequests("/stream"), 1);
  assert.equal(emulator.countRequests("GET /status"), 0);
});

Deno.test("emulator.fetch rejects with the signal's reason when the request is aborted", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: (job) => job.sleep(60_000) });
  const api = client(emulator);
  const controller = new AbortController();
  clock.setTimer(() => controller.abort(), 1000);
  await assert.rejects(api.post("/runsync", { input: 1 }, { signal: controller.signal }), {
    name: "AbortError",
  });
  assert.equal(emulator.jobs[0].status, "IN_PROGRESS");
  assert.equal(emulator.requests[0].status, 200);
  await assert.rejects(
    api.get("/health", { signal: AbortSignal.abort(new Error("gone")) }),
    { message: "gone" },
  );
  assert.equal(emulator.countRequests("GET /health"), 0);
});

Deno.test("close() cancels running jobs, answers held requests, and later requests answer 503", async () => {
  using clock = new FakeClock();
  let aborted = false;
  const emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.signal.addEventListener("abort", () => (aborted = true));
      await job.sleep(60_000);
    },
  });
  const api = client(emulator);
  clock.setTimer(() => emulator.close(), 1000);
  const held = await api.post("/runsync", { input: 1 });
  assert.equal(held.status, 200);
  assert.equal(held.body.status, "CANCELLED");
  await emulator.close();
  assert.equal(aborted, true);
  assert.equal(clock.pendingTimers, 0);
  assert.equal((await api.get("/health")).status, 503);
});
