import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { setup } from "../_helpers/setup.ts";

Deno.test("status() resolves with the job as it is now", async () => {
  await using t = setup({ worker: async ({ sleep }) => (await sleep(10_000), "done") }, {
    manualClock: true,
  });
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
  const error = await t.endpoint.status("no-such-job").catch((e) => e);
  assert.ok(error instanceof RunpodApiError);
  assert.equal(error.status, 404);
  assert.equal(error.route, "GET /status");
  assert.match(error.message, /404/);
  assert.equal(t.emulator.countRequests("GET /status"), 1, "a 404 is not retried");
});
