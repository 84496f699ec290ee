import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../testing.ts";
import { client } from "../_helpers/raw_client.ts";

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
  assert.equal(log[0]!.jobId, id);
  assert.equal(log[0]!.endpointId, "test-endpoint");
  assert.equal(log[0]!.path, "/v2/test-endpoint/run");
  assert.equal(log[0]!.at + 1500, log[1]!.at);
  assert.equal(log[1]!.path, `/v2/test-endpoint/stream/${id}?wait=1000`);
  assert.equal(log[1]!.jobId, id);
  assert.equal(log[0]!.headers.authorization, "Bearer [redacted]");
  assert.equal(log[0]!.headers["content-type"], "application/json");
  assert.ok(!JSON.stringify(log).includes("test-key"));
  assert.equal(emulator.countRequests(), 3);
  assert.equal(emulator.countRequests("POST /run"), 1);
  assert.equal(emulator.countRequests("/stream"), 1);
  assert.equal(emulator.countRequests("GET /status"), 0);
});
