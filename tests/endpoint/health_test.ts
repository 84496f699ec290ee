import assert from "node:assert/strict";
import { setup } from "../_helpers/setup.ts";
import { sleeper } from "../_helpers/workers.ts";

Deno.test("health() resolves with the endpoint's job and worker counts", async () => {
  await using t = setup({ workers: 2, worker: sleeper(10_000, "done") }, { manualClock: true });

  for (let i = 0; i < 3; i++) await t.endpoint.run({ input: i });
  await t.clock.advance(100);
  const health = await t.endpoint.health(3000);
  assert.equal(health.jobs.inProgress, 2);
  assert.equal(health.jobs.inQueue, 1);
  assert.equal(health.workers.running, 2);
  assert.equal(health.jobs.completed, 0);
});
