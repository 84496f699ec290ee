import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { flaky, sleeper } from "../../_helpers/workers.ts";

Deno.test("/retry puts a FAILED job back in the queue under the same id", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: flaky("second time lucky") });

  const api = client(emulator);
  const id = (await api.post("/runsync", { input: 1 })).body.id;
  assert.equal(emulator.job(id)!.status, "FAILED");
  assert.deepEqual((await api.post(`/retry/${id}`)).body, { id, status: "IN_QUEUE" });
  assert.equal((await api.get(`/status/${id}`)).body.error, undefined);
  assert.equal((await api.get("/health")).body.jobs.retried, 1);
  await clock.advance(0);
  const job = (await api.get(`/status/${id}`)).body;
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "second time lucky");
  assert.equal(emulator.job(id)!.retries, 1);
  assert.equal(emulator.jobs.length, 1);
});

Deno.test("/retry puts a TIMED_OUT job back in the queue", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(10_000) });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: 1, policy: { executionTimeout: 5000 } })).body.id;
  assert.equal(emulator.job(id)!.status, "TIMED_OUT");
  assert.equal((await api.post(`/retry/${id}`)).status, 200);
});

Deno.test("/retry answers 400 for a job that is not FAILED or TIMED_OUT", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, worker: sleeper(1000) });
  const api = client(emulator);
  const id = await api.run({});
  const queued = await api.post(`/retry/${id}`);
  assert.equal(queued.status, 400);
  assert.match(queued.body.error, /FAILED or TIMED_OUT/);
  await clock.advance(1000);
  assert.equal(emulator.job(id)!.status, "COMPLETED");
  assert.equal((await api.post(`/retry/${id}`)).status, 400);
  assert.equal(emulator.job(id)!.retries, 0);
});
