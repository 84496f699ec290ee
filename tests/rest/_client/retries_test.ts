// Which management calls are resent, and when a resend could create twice.
import assert from "node:assert/strict";
import { assertRejects } from "../../_helpers/assert_rejects.ts";
import { RunpodApiError, RunpodConnectionError, RunpodError, TimeoutError } from "../../../mod.ts";
import { json, problem, stub } from "../_stub.ts";

const ENDPOINT = {
  name: "sd",
  type: "QUEUE",
  image: "me/sd:1",
  scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
} as const;

Deno.test("a GET, PATCH, DELETE or pod action is retried after 500, 408 and a network error", async () => {
  const failures = [
    () => problem(500, "Internal Server Error", "boom"),
    () => problem(408, "Request Timeout", "slow"),
    () => {
      throw new TypeError("connection reset");
    },
  ];
  for (const fail of failures) {
    using s = stub((_call, i) => i === 0 ? fail() : json({ id: "x", workers: { max: 5 } }));
    await s.runpod.endpoints.get("ep1");
    await s.runpod.endpoints.update("ep1", { workers: { max: 5 } });
    await s.runpod.pods.stop("p1");
    assert.deepEqual(s.calls.map((c) => c.route), [
      "GET /serverless/ep1",
      "GET /serverless/ep1",
      "PATCH /serverless/ep1",
      "POST /pods/p1/action",
    ]);
  }
});

Deno.test("a create is not resent after a 500: the error says it may exist and how to find it", async () => {
  using s = stub(() => problem(500, "Internal Server Error", "database timeout"));
  const error = await assertRejects(s.runpod.endpoints.create(ENDPOINT), RunpodApiError);
  assert.equal(s.calls.length, 1);
  assert.match(error.message, /may have been created anyway/);
  assert.match(error.message, /'sd' in runpod\.endpoints\.list\(\)/);
});

Deno.test("a create is not resent after a lost answer: RunpodConnectionError says it may exist", async () => {
  using s = stub(() => {
    throw new TypeError("connection reset");
  });
  const error = await assertRejects(
    s.runpod.templates.create({ name: "tpl", image: "i" }),
    RunpodConnectionError,
    "may have been created anyway",
  );
  assert.match(error.message, /runpod\.templates\.list\(\)/);
  assert.equal(s.calls.length, 1);
});

Deno.test("a create is resent after a 429, which created nothing", async () => {
  using s = stub((call, i) =>
    i === 0
      ? problem(429, "Too Many Requests", "minute window", undefined, { "retry-after": "1" })
      : json({ id: "ep1", ...call.body as object }, 201)
  );
  const created = await s.runpod.endpoints.create(ENDPOINT);
  assert.equal(created.id, "ep1");
  assert.equal(s.calls.length, 2);
});

Deno.test("a DELETE that finds 404 after a lost answer succeeded", async () => {
  using s = stub((_call, i) => {
    if (i === 0) throw new TypeError("connection reset");
    return problem(404, "Not Found", "endpoint not found");
  });
  assert.equal(await s.runpod.endpoints.delete("ep1"), undefined);
  assert.equal(s.calls.length, 2);
});

Deno.test("a DELETE that finds 404 at once fails with RunpodApiError", async () => {
  using s = stub(() => problem(404, "Not Found", "endpoint not found"));
  const error = await assertRejects(s.runpod.endpoints.delete("ep1"), RunpodApiError);
  assert.equal(error.status, 404);
});

Deno.test("maxRetries bounds the resends, per client and per call", async () => {
  using s = stub(() => problem(503, "Service Unavailable", "busy"), { maxRetries: 1 });
  await assertRejects(s.runpod.pods.get("p1"), RunpodApiError, "HTTP 503");
  assert.equal(s.calls.length, 2);
  await assertRejects(s.runpod.pods.get("p1", { maxRetries: 0 }), RunpodApiError, "HTTP 503");
  assert.equal(s.calls.length, 3);
});

Deno.test("a 4xx other than 408 and 429 is not retried", async () => {
  using s = stub(() => problem(403, "Forbidden", "access denied"));
  await assertRejects(s.runpod.pods.list(), RunpodApiError, /HTTP 403.*scope/);
  assert.equal(s.calls.length, 1);
});

Deno.test("a timeout bounds the retries: the call fails by its deadline", async () => {
  using s = stub(() => problem(503, "Service Unavailable", "busy"), { maxRetries: 10 });
  // Either the deadline passes during a backoff (TimeoutError) or the next backoff would end
  // past it (the last answer's RunpodApiError): the call never outlives its timeout.
  const error = await assertRejects(s.runpod.endpoints.list(1500), RunpodError);
  assert.ok(error instanceof TimeoutError || error instanceof RunpodApiError, error.name);
  assert.ok(s.clock.now() - Date.UTC(2026, 0, 1) <= 1500);
});

Deno.test("an aborted signal stops the call with the signal's reason", async () => {
  using s = stub(() => problem(503, "Service Unavailable", "busy"));
  const controller = new AbortController();
  controller.abort(new Error("user gave up"));
  await assertRejects(
    s.runpod.endpoints.list({ signal: controller.signal }),
    Error,
    "user gave up",
  );
  assert.equal(s.calls.length, 0);
});
