import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";

Deno.test("/cancel of a running job aborts the worker's signal and ends it CANCELLED", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  let reason: unknown;
  await using emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.signal.addEventListener("abort", () => (reason = job.signal.reason));
      await job.sleep(60_000);
      return "never";
    },
  });
  const api = client(emulator);
  const id = await api.run({});
  await clock.advance(1000);
  const answer = await api.post(`/cancel/${id}`);
  assert.deepEqual(answer.body, { id, status: "CANCELLED", delayTime: 0, executionTime: 1000 });
  assert.equal((reason as DOMException).name, "AbortError");
  await clock.advance(60_000);
  const job = (await api.get(`/status/${id}`)).body;
  assert.equal(job.status, "CANCELLED");
  assert.equal(job.output, undefined);
  assert.equal(job.executionTime, 1000);
});

Deno.test("/cancel of a queued job ends it CANCELLED before it runs", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  let runs = 0;
  await using emulator = createEmulator({ clock, queueDelay: 5000, worker: () => runs++ });
  const api = client(emulator);
  const id = await api.run({});
  assert.equal((await api.post(`/cancel/${id}`)).body.status, "CANCELLED");
  await clock.advance(10_000);
  assert.equal(runs, 0);
  assert.equal(emulator.job(id)!.status, "CANCELLED");
});

Deno.test("/cancel of a finished job leaves it as it is", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: 1 })).body.id;
  assert.deepEqual((await api.post(`/cancel/${id}`)).body, {
    id,
    status: "COMPLETED",
    delayTime: 0,
    executionTime: 0,
  });
  assert.equal((await api.post("/cancel/unknown-job")).status, 404);
});
