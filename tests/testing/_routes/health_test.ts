import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";

Deno.test("/health counts jobs by status and workers by activity", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    workers: 2,
    worker: async (job) => {
      await job.sleep(1000);
      if (job.input === "fail") throw new Error("no");
      return "ok";
    },
  });
  const api = client(emulator);
  assert.deepEqual((await api.get("/health")).body, {
    jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 },
    workers: { idle: 2, running: 0, initializing: 0, ready: 2, throttled: 0, unhealthy: 0 },
  });
  await api.run("ok");
  await api.run("fail");
  await api.run("ok");
  await clock.advance(0);
  const busy = (await api.get("/health")).body;
  assert.deepEqual(busy.jobs, { completed: 0, failed: 0, inProgress: 2, inQueue: 1, retried: 0 });
  assert.equal(busy.workers.idle, 0);
  assert.equal(busy.workers.running, 2);
  await clock.advance(2000);
  assert.deepEqual((await api.get("/health")).body.jobs, {
    completed: 2,
    failed: 1,
    inProgress: 0,
    inQueue: 0,
    retried: 0,
  });
});
