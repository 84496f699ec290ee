import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";
import { sleeper } from "../_helpers/workers.ts";

Deno.test("status() resolves with the job as it is now", async () => {
  await using t = setup({ worker: sleeper(10_000, "done") }, { manualClock: true });
  const { id } = await t.endpoint.run({ input: 1 });
  const queued = await t.endpoint.status(id);
  assert.equal(queued.id, id);
  assert.ok(["IN_QUEUE", "IN_PROGRESS"].includes(queued.status));
  await t.clock.advance(20_000);
  const done = await t.endpoint.status(id, 5000);
  assert.equal(done.status, "COMPLETED");
  assert.equal(done.output, "done");
  assert.equal(typeof done.executionTime, "number");
  assert.equal(typeof done.delayTime, "number");
});

Deno.test("status() rejects with RunpodApiError 404 for an unknown job", async () => {
  await using t = setup();
  const error = await assertRejects(t.endpoint.status("no-such-job"), RunpodApiError, /404/);
  assert.equal(error.status, 404);
  assert.equal(error.route, "GET /status");

  assert.equal(t.emulator.countRequests("GET /status"), 1, "a 404 is not retried");
});
