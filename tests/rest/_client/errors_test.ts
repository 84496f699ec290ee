// problem+json answers, bad arguments and bodies: what the caller gets.
import assert from "node:assert/strict";
import { assertRejects } from "../../_helpers/assert_rejects.ts";
import { RunpodApiError, RunpodError, TimeoutError } from "../../../mod.ts";
import { json, problem, stub } from "../_stub.ts";

Deno.test("a 422 problem+json becomes RunpodApiError with title, detail, errors, the request id, and the fields in its message", async () => {
  using s = stub(() =>
    problem(422, "Unprocessable Entity", "Request validation failed.", [
      "$.gpu.pools: value 'H200_141' is not a known pool",
    ])
  );
  const error = await assertRejects(
    s.runpod.endpoints.update("ep1", { gpu: { pools: ["H200_141"] } }),
    RunpodApiError,
  );
  assert.equal(error.status, 422);
  assert.equal(error.title, "Unprocessable Entity");
  assert.equal(error.detail, "Request validation failed.");
  assert.deepEqual(error.errors, ["$.gpu.pools: value 'H200_141' is not a known pool"]);
  assert.equal(error.requestId, "req-42");
  assert.match(error.message, /HTTP 422 \(Unprocessable Entity: Request validation failed\.\)/);
  assert.match(error.message, /\$\.gpu\.pools: value 'H200_141'/);
  assert.match(error.message, /req-42/);
  assert.equal(error.message.includes("test-key"), false);
});

Deno.test("a body that breaks the spec throws TypeError naming the field, and nothing is sent", async () => {
  using s = stub(() => json({}));
  const bad: [() => Promise<unknown>, RegExp][] = [
    [
      () => s.runpod.endpoints.update("ep1", { workers: { max: -1 } }),
      /\$\.workers\.max: must be at least 0/,
    ],
    [
      () => s.runpod.templates.create({ name: "t", image: "i", bogus: true } as never),
      /\$: unknown field 'bogus'/,
    ],
    [
      () => s.runpod.networkVolumes.create({ name: "v", size: 10 } as never),
      /\$\.dataCenter: required/,
    ],
    [
      () => s.runpod.endpoints.create({ name: "e", type: "SPOT" } as never),
      /\$\.type: must be one of QUEUE, LOAD_BALANCER/,
    ],
  ];
  for (const [call, message] of bad) {
    await assertRejects(call, TypeError, message);
  }
  assert.equal(s.calls.length, 0);
});

Deno.test("bad ids and options throw before anything is sent", async () => {
  using s = stub(() => json({}));
  await assertRejects(s.runpod.endpoints.get("../admin"), TypeError, "id must be");
  await assertRejects(s.runpod.pods.delete(""), TypeError, "id must be");
  await assertRejects(s.runpod.endpoints.list(-1), RangeError);
  await assertRejects(s.runpod.endpoints.list({ limit: 0 }), RangeError, "limit");
  await assertRejects(
    s.runpod.billing.all({ lastN: 3, startTime: "2026-01-01T00:00:00Z" }),
    TypeError,
    "either lastN or startTime",
  );
  await assertRejects(
    s.runpod.billing.all({ bucketSize: "decade" as never }),
    RangeError,
    "bucketSize",
  );
  await assertRejects(s.runpod.billing.all({ startTime: "yesterday" }), RangeError, "startTime");
  await assertRejects(s.runpod.pods.logs("p1", { tail: 5001 }).next(), RangeError, "tail");
  await assertRejects(
    s.runpod.pods.logs("p1", { source: "kernel" as never }).next(),
    RangeError,
    "source",
  );
  assert.equal(s.calls.length, 0);
});

Deno.test("an answer that is not JSON is a RunpodError, not a crash", async () => {
  using s = stub(() => new Response("<html>oops</html>", { status: 200 }));
  await assertRejects(s.runpod.endpoints.get("ep1"), RunpodError, "not JSON");
});

Deno.test("a list answer without its list is a RunpodError that says so", async () => {
  using s = stub(() => json({ items: [] }));
  await assertRejects(s.runpod.endpoints.list(), RunpodError, "no 'endpoints' list");
});

Deno.test("a redirect is not followed, so the key stays with restUrl", async () => {
  using s = stub(() =>
    new Response(null, { status: 302, headers: { location: "https://evil.example/" } })
  );
  const error = await assertRejects(s.runpod.endpoints.list(), RunpodApiError, "redirected");
  assert.equal(error.status, 302);
  assert.equal(s.calls.length, 1);
});

Deno.test("a management call that times out says to raise the timeout, not to check a job", async () => {
  using s = stub((call) =>
    new Promise((_, reject) =>
      call.signal?.addEventListener("abort", () => reject(call.signal?.reason), { once: true })
    )
  );
  const error = await assertRejects(
    s.runpod.endpoints.list(2000),
    TimeoutError,
    "timed out after 2000 ms",
  );
  assert.match(error.message, /^List endpoints timed out after 2000 ms: raise the timeout$/);
});
