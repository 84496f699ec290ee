import assert from "node:assert/strict";
import { RunpodApiError, RunpodConnectionError } from "../mod.ts";
import { assertRejects } from "./_helpers/assert_rejects.ts";
import { gaps, setup, times } from "./_helpers/setup.ts";
import { failing } from "./_helpers/workers.ts";

for (
  const fault of [
    { status: 408 },
    { status: 429 },
    { status: 500 },
    { status: 503 },
    { html: 502 },
    {
      drop: true as const,
    },
  ]
) {
  Deno.test(`GET routes are retried after ${JSON.stringify(fault)}`, async () => {
    await using t = setup();
    t.emulator.inject("GET /health", fault, 2);
    const health = await t.endpoint.health();
    assert.equal(health.jobs.completed, 0);
    assert.equal(t.sent.length, 3);
  });
}

// POST /retry is not: a resend may requeue the job twice (tests/reliability/submit_once_test.ts).
for (const route of ["POST /cancel", "POST /purge-queue"]) {
  Deno.test(`${route} is retried after a 503`, async () => {
    await using t = setup({ worker: failing("x") });
    const job = await t.endpoint.runSync({ input: 1 });
    t.emulator.inject(route, { status: 503 });
    if (route === "POST /cancel") await t.endpoint.cancel(job.id);
    if (route === "POST /purge-queue") await t.endpoint.purgeQueue();
    assert.equal(t.emulator.countRequests(route), 2);
  });
}

Deno.test("retries wait with exponential backoff and jitter", async () => {
  await using t = setup({}, { maxRetries: 3 });
  t.emulator.inject("GET /health", { status: 503 }, 3);
  await t.endpoint.health();
  const [a, b, c] = gaps(times(t.emulator, "GET /health"));
  assert.ok(a! >= 250 && a! <= 500, `first wait ${a}`);
  assert.ok(b! >= 500 && b! <= 1000, `second wait ${b}`);
  assert.ok(c! >= 1000 && c! <= 2000, `third wait ${c}`);
});

Deno.test("Retry-After in seconds is honoured", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { status: 429, retryAfter: "7" });
  await t.endpoint.health();
  assert.deepEqual(gaps(times(t.emulator, "GET /health")), [7000]);
});

Deno.test("Retry-After as an HTTP date is honoured", async () => {
  await using t = setup();
  const at = new Date(t.clock.now() + 12_000).toUTCString();
  t.emulator.inject("GET /health", { status: 429, retryAfter: at });
  await t.endpoint.health();
  const [wait] = gaps(times(t.emulator, "GET /health"));
  assert.ok(wait! >= 11_000 && wait! <= 12_000, `waited ${wait}`);
});

Deno.test("a Retry-After past the call's deadline fails at once with the 429", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { status: 429, retryAfter: "20" });
  const started = t.clock.now();
  const error = await assertRejects(t.endpoint.health(10_000), RunpodApiError, /retry after 20 s/);
  assert.equal(error.status, 429);
  assert.equal(t.clock.now(), started, "no waiting for a retry that cannot happen");
  assert.equal(t.sent.length, 1);
});

Deno.test("a Retry-After over the 60 s cap fails at once", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { status: 429, retryAfter: "3600" });
  const error = await assertRejects(
    t.endpoint.health({ timeout: 7_200_000 }),
    RunpodApiError,
    /60 s cap/,
  );
  assert.equal(error.status, 429);
});

Deno.test("maxRetries: 0 on the call disables retries; the client's default is 2", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { status: 503 }, 10);
  const once = await assertRejects(t.endpoint.health({ maxRetries: 0 }), RunpodApiError);
  assert.equal(once.status, 503);
  assert.equal(t.sent.length, 1);
  const thrice = await assertRejects(t.endpoint.health(), RunpodApiError);
  assert.equal(thrice.status, 503);
  assert.equal(t.sent.length, 4);
});

Deno.test("an error after the last retry carries status, body, headers and route", async () => {
  await using t = setup({}, { maxRetries: 1 });
  t.emulator.inject("GET /health", {
    status: 500,
    body: '{"error":"boom"}',
    headers: { "x-id": "7" },
  }, 2);
  const error = await assertRejects(
    t.endpoint.health(),
    RunpodApiError,
    /GET \/health failed with HTTP 500: boom/,
  );
  assert.equal(error.status, 500);
  assert.deepEqual(error.body, { error: "boom" });
  assert.equal(error.headers.get("x-id"), "7");
  assert.equal(error.route, "GET /health");
});

Deno.test("a dropped connection on a GET ends in RunpodConnectionError once retries run out", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { drop: true }, 3);
  await assertRejects(t.endpoint.health(), RunpodConnectionError);

  assert.equal(t.sent.length, 3);
});
