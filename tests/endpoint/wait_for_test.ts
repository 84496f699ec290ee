import assert from "node:assert/strict";
import { TimeoutError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";
import { failing, sleeper } from "../_helpers/workers.ts";

Deno.test("waitFor() resolves once a job from run() is terminal", async () => {
  await using t = setup({ worker: sleeper(7_000, "done") });
  const { id } = await t.endpoint.run({ input: 1 });
  const job = await t.endpoint.waitFor(id);
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "done");
});

Deno.test("waitFor() resolves with a FAILED job", async () => {
  await using t = setup({ worker: failing("bad input") });
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
  await using t = setup({ worker: sleeper(60_000) });
  const { id } = await t.endpoint.run({ input: 1 });
  const error = await assertRejects(
    t.endpoint.waitFor(id, { timeout: 4000, cancelOnAbort: true }),
    TimeoutError,
  );

  assert.equal(error.name, "TimeoutError");
  assert.equal(error.jobId, id);
  assert.equal(t.emulator.job(id)?.status, "CANCELLED");
});
