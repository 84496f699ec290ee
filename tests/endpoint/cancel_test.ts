import assert from "node:assert/strict";
import { setup } from "../_helpers/setup.ts";

Deno.test("cancel() cancels a running job and resolves with CANCELLED", async () => {
  let aborted = false;
  await using t = setup({
    worker: async ({ sleep, signal }) => {
      signal.addEventListener("abort", () => (aborted = true));
      await sleep(60_000);
    },
  }, { manualClock: true });
  const { id } = await t.endpoint.run({ input: 1 });
  await t.clock.advance(1000);
  const handle = await t.endpoint.cancel(id);
  assert.deepEqual({ id: handle.id, status: handle.status }, { id, status: "CANCELLED" });
  assert.equal((await t.endpoint.status(id)).status, "CANCELLED");
  assert.equal(aborted, true, "the worker was told to stop");
});
