import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";
import { flaky } from "../_helpers/workers.ts";

Deno.test("retry() requeues a FAILED job under the same id", async () => {
  await using t = setup({ worker: flaky("ok") });
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
  const error = await assertRejects(t.endpoint.retry(job.id), RunpodApiError);

  assert.equal(error.status, 400);
});
