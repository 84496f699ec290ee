import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../testing.ts";
import { client } from "../_helpers/raw_client.ts";

Deno.test("endpoints are independent: their own jobs, workers and health", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, endpoints: ["a", "b"] });
  const a = client(emulator, { endpoint: "a" });
  const b = client(emulator, { endpoint: "b" });
  const id = (await a.post("/runsync", { input: 1 })).body.id;
  assert.equal((await b.get(`/status/${id}`)).status, 404);
  assert.equal((await a.get("/health")).body.jobs.completed, 1);
  assert.equal((await b.get("/health")).body.jobs.completed, 0);
  assert.equal(emulator.job(id)!.endpointId, "a");
});

Deno.test("close() cancels running jobs, answers held requests, and later requests answer 503", async () => {
  using clock = new FakeClock();
  let aborted = false;
  const emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.signal.addEventListener("abort", () => (aborted = true));
      await job.sleep(60_000);
    },
  });
  const api = client(emulator);
  clock.setTimer(() => emulator.close(), 1000);
  const held = await api.post("/runsync", { input: 1 });
  assert.equal(held.status, 200);
  assert.equal(held.body.status, "CANCELLED");
  await emulator.close();
  assert.equal(aborted, true);
  assert.equal(clock.pendingTimers, 0);
  assert.equal((await api.get("/health")).status, 503);
});
