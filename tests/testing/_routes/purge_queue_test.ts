import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { sleeper } from "../../_helpers/workers.ts";

Deno.test("/purge-queue removes only the queued jobs", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, worker: sleeper(1000) });
  const api = client(emulator);
  const running = await api.run(1);
  await clock.advance(0);
  const queued = [await api.run(2), await api.run(3)];
  assert.deepEqual((await api.post("/purge-queue")).body, { removed: 2, status: "completed" });
  for (const id of queued) {
    assert.equal((await api.get(`/status/${id}`)).status, 404);
    assert.equal(emulator.job(id)!.removed, "purged");
  }
  await clock.advance(1000);
  assert.equal((await api.get(`/status/${running}`)).body.status, "COMPLETED");
  assert.deepEqual((await api.post("/purge-queue")).body, { removed: 0, status: "completed" });
});
