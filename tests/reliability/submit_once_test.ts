// Routes whose resend may start a second paid job (/run, /runsync, /retry)
// are sent once, and a failure after which the job may or may not have been
// (re)queued says so, rather than "try again later".
import assert from "node:assert/strict";
import { RunpodApiError, RunpodConnectionError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";
import { failing } from "../_helpers/workers.ts";

Deno.test("retry() is not resent after its answer is lost, so the job is requeued once", async () => {
  await using t = setup({ worker: failing() });
  const failed = await t.endpoint.runSync({ input: 1 });
  assert.equal(failed.status, "FAILED");
  t.emulator.inject("POST /retry", { drop: true, when: "after" }, 3);
  await assertRejects(
    t.endpoint.retry(failed.id),
    RunpodConnectionError,
    /may or may not have been requeued/,
  );

  assert.equal(t.emulator.job(failed.id)?.retries, 1);
  assert.equal(t.emulator.countRequests("POST /retry"), 1);
});

Deno.test("retry() is not resent after a 5xx, and the error says the job may have been requeued", async () => {
  await using t = setup({ worker: failing() });
  const failed = await t.endpoint.runSync({ input: 1 });
  t.emulator.inject("POST /retry", { status: 502 });
  const error = await assertRejects(
    t.endpoint.retry(failed.id),
    RunpodApiError,
    /may or may not have been requeued/,
  );
  assert.equal(error.status, 502);
  assert.equal(t.emulator.countRequests("POST /retry"), 1);
});

for (const status of [408, 500, 502, 503, 504]) {
  Deno.test(`run() and runSync() after HTTP ${status} say the job may have been enqueued, not "try again"`, async () => {
    await using t = setup();
    t.emulator.inject("POST /run", { status });
    t.emulator.inject("POST /runsync", { status });
    for (
      const submit of [() => t.endpoint.run({ input: 1 }), () => t.endpoint.runSync({ input: 1 })]
    ) {
      const error = await assertRejects(
        submit,
        RunpodApiError,
        /may or may not have been enqueued/,
      );
      assert.equal(error.status, status);
      assert.doesNotMatch(error.message, /try again later/);
    }
    assert.equal(
      t.emulator.countRequests("POST /run") + t.emulator.countRequests("POST /runsync"),
      2,
    );
  });
}

Deno.test("run() after a 429 still says to slow down: nothing was enqueued", async () => {
  await using t = setup({}, { maxRetries: 0 });
  t.emulator.inject("POST /run", { status: 429 });
  await assertRejects(t.endpoint.run({ input: 1 }), RunpodApiError, /rate limited/);

  assert.equal(t.emulator.jobs.length, 0);
});
