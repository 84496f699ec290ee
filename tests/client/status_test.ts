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

Deno.test("waitFor() resolves once a job from run() is terminal", async () => {
  await using t = setup({ worker: async ({ sleep }) => (await sleep(7_000), "done") });
  const { id } = await t.endpoint.run({ input: 1 });
  const job = await t.endpoint.waitFor(id);
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "done");
});

Deno.test("waitFor() resolves with a FAILED job", async () => {
  await using t = setup({
    worker: () => {
      throw new Error("bad input");
    },
  });
  const { id } = await t.endpoint.run({ input: 1 });
  const job = await t.endpoint.waitFor(id, { timeout: 10_000 });
  assert.equal(job.status, "FAILED");
});

Deno.test("statusSync() is the deprecated name of waitFor()", async () => {
  await using t = setup();
  const { id } = await t.endpoint.run({ input: "x" });
  const job = await t.endpoint.statusSync(id, 5000);
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "x");
});

Deno.test("waitFor() with cancelOnAbort cancels the job on timeout", async () => {
  await using t = setup({ worker: ({ sleep }) => sleep(60_000) });
  const { id } = await t.endpoint.run({ input: 1 });
  const error = await t.endpoint.waitFor(id, { timeout: 4000, cancelOnAbort: true }).catch((e) =>
    e
  );
  assert.equal(error.name, "TimeoutError");
  assert.equal(error.jobId, id);
  assert.equal(t.emulator.job(id)?.status, "CANCELLED");
});
