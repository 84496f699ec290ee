import assert from "node:assert/strict";
import { setup } from "../_helpers/setup.ts";
import { sleeper } from "../_helpers/workers.ts";

Deno.test("purgeQueue() removes queued jobs and leaves the running one", async () => {
  await using t = setup({ workers: 1, worker: sleeper(10_000, "done") }, { manualClock: true });

  const first = await t.endpoint.run({ input: 1 });
  for (let i = 0; i < 3; i++) await t.endpoint.run({ input: i });
  await t.clock.advance(100);
  const result = await t.endpoint.purgeQueue();
  assert.equal(result.removed, 3);
  assert.equal(result.status, "completed");
  await t.clock.advance(10_000);
  assert.equal((await t.endpoint.status(first.id)).status, "COMPLETED");
  assert.equal(t.emulator.jobs.filter((j) => j.status === "COMPLETED").length, 1);
});
