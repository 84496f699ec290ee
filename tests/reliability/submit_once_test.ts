// Routes whose resend may start a second paid job (/run, /runsync, /retry)
// are sent once, and a failure after which the job may or may not have been
// (re)queued says so, rather than "try again later".
import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { setup } from "../_setup.ts";

for (const status of [408, 500, 502, 503, 504]) {
  Deno.test(`run() and runSync() after HTTP ${status} say the job may have been enqueued, not "try again"`, async () => {
    await using t = setup();
    t.emulator.inject("POST /run", { status });
    t.emulator.inject("POST /runsync", { status });
    for (
      const submit of [() => t.endpoint.run({ input: 1 }), () => t.endpoint.runSync({ input: 1 })]
    ) {
      const error = await submit().catch((e) => e);
      assert.ok(error instanceof RunpodApiError);
      assert.equal(error.status, status);
      assert.match(error.message, /may or may not have been enqueued/);
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
  const error = await t.endpoint.run({ input: 1 }).catch((e) => e);
  assert.match(error.message, /rate limited/);
  assert.equal(t.emulator.jobs.length, 0);
});
