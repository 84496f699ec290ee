import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
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

Deno.test("retry() requeues a FAILED job under the same id", async () => {
  let calls = 0;
  await using t = setup({
    worker: () => {
      if (calls++ === 0) throw new Error("flaky");
      return "ok";
    },
  });
  const failed = await t.endpoint.runSync({ input: 1 });
  assert.equal(failed.status, "FAILED");
  const handle = await t.endpoint.retry(failed.id);
  assert.equal(handle.id, failed.id);
  assert.equal(handle.status, "IN_QUEUE");
  const job = await t.endpoint.waitFor(failed.id);
  assert.equal(job.output, "ok");
  assert.equal((await t.endpoint.health()).jobs.retried, 1);
});

Deno.test("retry() of a COMPLETED job rejects with RunpodApiError 400", async () => {
  await using t = setup();
  const job = await t.endpoint.runSync({ input: 1 });
  const error = await t.endpoint.retry(job.id).catch((e) => e);
  assert.ok(error instanceof RunpodApiError);
  assert.equal(error.status, 400);
});

Deno.test("purgeQueue() removes queued jobs and leaves the running one", async () => {
  await using t = setup(
    { workers: 1, worker: async ({ sleep }) => (await sleep(10_000), "done") },
    {
      manualClock: true,
    },
  );
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

Deno.test("health() resolves with the endpoint's job and worker counts", async () => {
  await using t = setup(
    { workers: 2, worker: async ({ sleep }) => (await sleep(10_000), "done") },
    {
      manualClock: true,
    },
  );
  for (let i = 0; i < 3; i++) await t.endpoint.run({ input: i });
  await t.clock.advance(100);
  const health = await t.endpoint.health(3000);
  assert.equal(health.jobs.inProgress, 2);
  assert.equal(health.jobs.inQueue, 1);
  assert.equal(health.workers.running, 2);
  assert.equal(health.jobs.completed, 0);
});
