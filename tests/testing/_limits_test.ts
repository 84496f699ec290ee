// RunPod's per-endpoint, per-route rate limits and the deep-queue 429: on by
// default, configurable, per endpoint.
import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { DEEP_QUEUE, RATE_LIMITS } from "../../src/_runpod_facts.ts";
import { createEmulator, FakeClock } from "../../testing.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { client, gate } from "../_helpers/raw_client.ts";
import { setup } from "../_helpers/setup.ts";

Deno.test("/cancel accepts RunPod's 100 requests per 10 s per endpoint, then answers 429 until the window moves", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, endpoints: ["a", "b"] });
  const a = client(emulator, { endpoint: "a" });
  const limit = RATE_LIMITS.routes.cancel.rate;
  for (let i = 0; i < limit; i++) {
    assert.equal((await a.post("/cancel/unknown")).status, 404); // counted, though not found
  }
  const refused = await a.post("/cancel/unknown");
  assert.equal(refused.status, 429);
  assert.match(refused.body.error, /cancel/);
  assert.equal((await client(emulator, { endpoint: "b" }).post("/cancel/unknown")).status, 404);
  assert.equal((await a.get("/health")).status, 200); // /health is not limited
  await clock.advance(RATE_LIMITS.window - 1);
  assert.equal((await a.post("/cancel/unknown")).status, 429);
  await clock.advance(1);
  assert.equal((await a.post("/cancel/unknown")).status, 404);
});

Deno.test("/purge-queue accepts 2 requests per 10 s", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  assert.deepEqual(
    [
      (await api.post("/purge-queue")).status,
      (await api.post("/purge-queue")).status,
      (await api.post("/purge-queue")).status,
    ],
    [200, 200, 429],
  );
});

Deno.test("held /runsync requests count against the concurrency limit until they answer", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  const release = gate();
  await using emulator = createEmulator({
    clock,
    workers: 0,
    rateLimits: { runsync: { concurrent: 2 } },
    deepQueue: false,
    worker: () => release.promise,
  });
  const api = client(emulator);
  const held = [api.post("/runsync", { input: 1 }), api.post("/runsync", { input: 2 })];
  await clock.advance(0);
  const third = await api.post("/runsync", { input: 3 });
  assert.equal(third.status, 429);
  assert.equal(emulator.jobs.length, 2);
  await clock.advance(RATE_LIMITS.window * 9); // the 90 s hold ends
  for (const answer of await Promise.all(held)) assert.equal(answer.status, 200);
  assert.equal((await api.post("/run", { input: 4 })).status, 200);
  const fourth = api.post("/runsync", { input: 5 });
  await clock.advance(90_000);
  assert.equal((await fourth).status, 200);
});

Deno.test("rateLimits: false lifts every limit; an object changes some routes' limits", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using unlimited = createEmulator({ clock, rateLimits: false });
  const api = client(unlimited);
  for (let i = 0; i < 5; i++) assert.equal((await api.post("/purge-queue")).status, 200);
  await using custom = createEmulator({ clock, rateLimits: { status: { rate: 1 } } });
  const other = client(custom);
  assert.equal((await other.get("/status/x")).status, 404);
  assert.equal((await other.get("/status/x")).status, 429);
  assert.throws(() => createEmulator({ rateLimits: { nope: {} } as never }), TypeError);
  assert.throws(() => createEmulator({ rateLimits: { run: { rate: -1 } } }), RangeError);
});

Deno.test("the client retries a rate-limited status() and gets the job once the window moves", async () => {
  await using s = setup({ rateLimits: { status: { rate: 1 } } });
  const { id } = await s.endpoint.run({ input: 1 });
  await s.endpoint.status(id);
  const started = s.clock.now();
  const job = await s.endpoint.status(id, { maxRetries: 10, timeout: 60_000 });
  assert.equal(job.id, id);
  assert.ok(s.clock.now() - started >= RATE_LIMITS.window - 1000, "it waited for the window");
  assert.ok(s.emulator.requests.some((r) => r.route === "GET /status" && r.status === 429));
});

Deno.test("a deep queue answers /run and /runsync 429: more than 50 jobs and more than 500 per worker", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    endpoints: [{ id: "none", workers: { max: 0 } }, { id: "one", workers: { max: 1 } }],
    worker: (job) => job.sleep(60_000),
  });
  const none = client(emulator, { endpoint: "none" });
  for (let i = 0; i <= DEEP_QUEUE.minQueued; i++) await none.run(i);
  const refused = await none.post("/run", { input: "one too many" });
  assert.equal(refused.status, 429);
  assert.equal((await none.post("/runsync", { input: 1 })).status, 429);
  assert.equal(emulator.jobs.length, DEEP_QUEUE.minQueued + 1);
  await none.post("/purge-queue");
  assert.equal((await none.post("/run", { input: "room again" })).status, 200);

  const one = client(emulator, { endpoint: "one" });
  for (let i = 0; i <= DEEP_QUEUE.perMaxWorker; i++) await one.run(i);
  await clock.advance(0); // one job starts, 500 stay queued
  assert.equal((await one.post("/run", { input: 1 })).status, 200); // 501 queued now
  assert.equal((await one.post("/run", { input: 2 })).status, 429);
});

Deno.test("deepQueue: false lets the queue grow", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, workers: 0, deepQueue: false });
  const api = client(emulator);
  for (let i = 0; i < 60; i++) await api.run(i);
  assert.equal(emulator.jobs.length, 60);
});

Deno.test("the client's run() rejects with a RunpodApiError 429 when the queue stays deep", async () => {
  await using s = setup({ workers: 0 });
  for (let i = 0; i <= DEEP_QUEUE.minQueued; i++) await s.endpoint.run({ input: i });
  const error = await assertRejects(
    s.endpoint.run({ input: "late" }, { maxRetries: 1 }),
    RunpodApiError,
  );
  assert.equal(error.status, 429);
  assert.equal(s.emulator.countRequests("POST /run"), DEEP_QUEUE.minQueued + 3);
});

Deno.test("served over HTTP, a request over the limit answers 429 with a JSON body", async () => {
  await using emulator = createEmulator();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const url = `http://127.0.0.1:${server.addr.port}/v2/test-endpoint/purge-queue`;
    const statuses: number[] = [];
    let last: unknown;
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(url, { method: "POST", headers: { authorization: "test-key" } });
      statuses.push(answer.status);
      last = await answer.json();
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.match((last as { error: string }).error, /purge-queue/);
  } finally {
    await emulator.close();
    await server.shutdown();
  }
});
