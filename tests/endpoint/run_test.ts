import assert from "node:assert/strict";
import { RunpodApiError, RunpodConnectionError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";

Deno.test("run() resolves with the job's id and IN_QUEUE status", async () => {
  await using t = setup();
  const handle = await t.endpoint.run({ input: { prompt: "a horse" } });
  assert.equal(handle.status, "IN_QUEUE");
  assert.equal(typeof handle.id, "string");
  assert.equal(t.emulator.jobs.length, 1);
  assert.equal(t.emulator.jobs[0]!.id, handle.id);
});

Deno.test("run() sends input, webhook, policy and s3Config as JSON to POST /run", async () => {
  await using t = setup();
  const request = {
    input: { prompt: "a horse", steps: 30 },
    webhook: "https://example.com/hook",
    policy: { executionTimeout: 60_000, lowPriority: true, ttl: 3_600_000 },
    s3Config: {
      accessId: "id",
      accessSecret: "secret",
      bucketName: "bucket",
      endpointUrl: "https://s3.example.com",
    },
  };
  await t.endpoint.run(request);
  assert.equal(t.sent.length, 1);
  assert.equal(t.sent[0]!.method, "POST");
  assert.equal(t.sent[0]!.url.pathname, "/v2/test-endpoint/run");
  assert.deepEqual(JSON.parse(t.sent[0]!.body), request);
});

Deno.test("run() retries a 429 and enqueues the job exactly once", async () => {
  await using t = setup();
  t.emulator.inject("POST /run", { status: 429 }, 2);
  const handle = await t.endpoint.run({ input: 1 });
  assert.equal(t.emulator.countRequests("POST /run"), 3);
  assert.equal(t.emulator.jobs.length, 1);
  assert.equal(t.emulator.jobs[0]!.id, handle.id);
});

for (const status of [500, 502, 503, 504, 408]) {
  Deno.test(`run() does not resend after HTTP ${status}: it rejects with RunpodApiError`, async () => {
    await using t = setup();
    t.emulator.inject("POST /run", { status });
    const error = await assertRejects(t.endpoint.run({ input: 1 }), RunpodApiError);
    assert.equal(error.status, status);
    assert.equal(error.route, "POST /run");
    assert.equal(t.emulator.countRequests("POST /run"), 1);
  });
}

Deno.test("run() does not resend a job whose answer was lost: it says the job may exist", async () => {
  await using t = setup();
  t.emulator.inject("POST /run", { drop: true, when: "after" });
  await assertRejects(
    t.endpoint.run({ input: 1 }),
    RunpodConnectionError,
    /may or may not have been enqueued/,
  );

  assert.equal(t.emulator.countRequests("POST /run"), 1);
  assert.equal(t.emulator.jobs.length, 1, "the lost answer's job exists, once");
});
