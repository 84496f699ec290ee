import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../testing.ts";
import { client } from "../_helpers/raw_client.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";

Deno.test("a status fault answers that status with Retry-After for the next N requests", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  emulator.inject("POST /run", { status: 429, retryAfter: "3" }, 2);
  for (let i = 0; i < 2; i++) {
    const answer = await api.post("/run", { input: i });
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get("retry-after"), "3");
    assert.match(answer.body.error, /429/);
  }
  assert.equal((await api.post("/run", { input: 2 })).status, 200);
  assert.equal(emulator.jobs.length, 1, "a faulted request is not processed");
  assert.deepEqual(emulator.requests.map((entry) => entry.fault), [
    "status 429",
    "status 429",
    undefined,
  ]);
});

Deno.test("a status fault can carry its own body and headers", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("GET /health", {
    status: 500,
    body: '{"message":"internal"}',
    headers: { "x-request-id": "r1" },
  });
  const answer = await client(emulator).get("/health");
  assert.equal(answer.status, 500);
  assert.deepEqual(answer.body, { message: "internal" });
  assert.equal(answer.headers.get("x-request-id"), "r1");
});

Deno.test("faults match a route, a path of any method, or every route, in the order injected", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  emulator.inject("/status", { status: 502 });
  emulator.inject("*", { status: 503 });
  assert.equal((await api.get("/health")).status, 503);
  assert.equal((await api.post("/status/x")).status, 502);
  assert.equal((await api.get("/health")).status, 200);
  emulator.inject("*", { status: 500 }, 5);
  emulator.clearFaults();
  assert.equal((await api.get("/health")).status, 200);
  assert.throws(() => emulator.inject("*", { status: 500 }, 0), RangeError);
  assert.throws(() => emulator.inject("", { status: 500 }), TypeError);
  // @ts-expect-error: not a fault
  assert.throws(() => emulator.inject("*", { nonsense: 1 }), TypeError);
});

Deno.test("a delay fault answers normally after the delay on the clock", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("GET /health", { delay: 25_000 });
  const started = clock.now();
  const answer = await client(emulator).get("/health");
  assert.equal(answer.status, 200);
  assert.equal(clock.now() - started, 25_000);
});

Deno.test("a delay fault ends early when the request is aborted", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("POST /run", { delay: 60_000 });
  const controller = new AbortController();
  clock.setTimer(() => controller.abort(), 5000);
  const error = await assertRejects(
    client(emulator).post("/run", { input: 1 }, { signal: controller.signal }),
    DOMException,
  );
  assert.equal(error.name, "AbortError");
  assert.equal(emulator.jobs.length, 0);
  assert.equal(clock.now() - emulator.requests[0]!.at, 5000);
});

Deno.test("a drop fault before the request rejects fetch with a TypeError and creates no job", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("POST /run", { drop: true });
  const error = await assertRejects(client(emulator).post("/run", { input: 1 }), TypeError);
  assert.equal(error.message, "fetch failed");
  assert.equal(emulator.jobs.length, 0);
  assert.equal(emulator.requests[0]?.status, 0);
  assert.equal(emulator.requests[0]?.fault, "drop before");
});

Deno.test("a drop fault after the request enqueues the job but loses the answer", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("POST /run", { drop: true, when: "after" });
  await assertRejects(client(emulator).post("/run", { input: 1 }), TypeError);
  assert.equal(emulator.jobs.length, 1);
  assert.equal(emulator.requests[0]?.jobId, emulator.jobs[0]!.id);
});

Deno.test("a drop fault after a /stream poll loses the items it drained", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    worker: async function* () {
      yield 1;
      yield 2;
    },
  });
  const api = client(emulator);
  const id = await api.run({});
  await clock.advance(0);
  emulator.inject("GET /stream", { drop: true, when: "after" });
  await assertRejects(api.get(`/stream/${id}`), TypeError);
  assert.deepEqual((await api.get(`/stream/${id}`)).body, {
    id,
    delayTime: 0,
    status: "COMPLETED",
    stream: [],
  });
});

Deno.test("a truncate fault processes the request and cuts the body after half", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("POST /run", { truncate: true });
  const response = await emulator.fetch(`${emulator.baseUrl}/test-endpoint/run`, {
    method: "POST",
    headers: { authorization: "Bearer test-key" },
    body: JSON.stringify({ input: 1 }),
  });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const first = await reader.read();
  const full = JSON.stringify({ id: emulator.jobs[0]!.id, status: "IN_QUEUE" });
  assert.equal(new TextDecoder().decode(first.value), full.slice(0, Math.floor(full.length / 2)));
  await assertRejects(reader.read(), TypeError);
  assert.equal(emulator.jobs.length, 1);
});

Deno.test("a malformed fault answers 200 with invalid JSON", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("GET /health", { malformed: true });
  const answer = await client(emulator).get("/health");
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get("content-type"), "application/json");
  assert.throws(() => JSON.parse(answer.text), SyntaxError);
});

Deno.test("an html fault answers an HTML error page with that status", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("POST /runsync", { html: 502 });
  const answer = await client(emulator).post("/runsync", { input: 1 });
  assert.equal(answer.status, 502);
  assert.match(answer.headers.get("content-type")!, /^text\/html/);
  assert.match(answer.text, /<html>/);
  assert.equal(emulator.jobs.length, 0);
});

Deno.test("a json fault answers the given value, such as an answer of the wrong shape", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("POST /run", { json: { ok: true } });
  emulator.inject("GET /health", { json: { message: "maintenance" }, status: 503 });
  const api = client(emulator);
  assert.deepEqual((await api.post("/run", { input: 1 })).body, { ok: true });
  const health = await api.get("/health");
  assert.equal(health.status, 503);
  assert.deepEqual(health.body, { message: "maintenance" });
});

Deno.test("a redirect fault is followed by emulator.fetch like fetch does, dropping the key cross-origin", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  emulator.inject("GET /health", { redirect: "/v2/test-endpoint/health" });
  assert.equal((await api.get("/health")).status, 200);
  emulator.inject("GET /health", { redirect: "https://elsewhere.example/v2/test-endpoint/health" });
  assert.equal((await api.get("/health")).status, 401);
  assert.equal(emulator.requests.at(-1)!.headers.authorization, undefined);
  emulator.inject("GET /health", { redirect: "/v2/test-endpoint/health", status: 307 });
  const manual = await api.get("/health", { redirect: "manual" });
  assert.equal(manual.status, 307);
  assert.equal(manual.headers.get("location"), "/v2/test-endpoint/health");
  emulator.inject("POST /run", { redirect: "/v2/test-endpoint/run", status: 308 });
  assert.equal((await api.post("/run", { input: 1 })).status, 200);
  assert.equal(emulator.jobs.length, 1, "a 308 redirect resends the body");
});
