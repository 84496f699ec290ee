// A 4xx answer whose body is a job in a final state is that job (RunPod
// answers a FAILED /runsync with HTTP 400 and the job): issue 10.
import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";

const failed = (id: string) =>
  JSON.stringify({ id, status: "FAILED", error: "CUDA out of memory" });

Deno.test("runSync() resolves with the FAILED job that a 400 answer carries", async () => {
  await using t = setup();
  t.emulator.inject("POST /runsync", { status: 400, body: failed("job-400") });
  const job = await t.endpoint.runSync({ input: 1 });
  assert.equal(job.id, "job-400");
  assert.equal(job.status, "FAILED");
  assert.equal(job.error, "CUDA out of memory");
  assert.equal(t.emulator.countRequests("POST /runsync"), 1);
});

Deno.test("status(), waitFor(), cancel() and retry() resolve with a final job carried by a 4xx", async () => {
  await using t = setup();
  const body = failed("job-x");
  t.emulator.inject("GET /status", { status: 400, body }, 2);
  t.emulator.inject("POST /cancel", { status: 409, body });
  t.emulator.inject("POST /retry", { status: 400, body });
  assert.equal((await t.endpoint.status("job-x")).status, "FAILED");
  assert.equal((await t.endpoint.waitFor("job-x")).status, "FAILED");
  assert.equal((await t.endpoint.cancel("job-x")).status, "FAILED");
  assert.equal((await t.endpoint.retry("job-x")).status, "FAILED");
});

Deno.test("a 4xx whose body is a job still running, or no job, stays a RunpodApiError", async () => {
  await using t = setup();
  t.emulator.inject("GET /status", {
    status: 400,
    body: JSON.stringify({ id: "job-y", status: "IN_PROGRESS" }),
  });
  t.emulator.inject("GET /health", { status: 400, body: failed("job-z") });
  assert.equal((await assertRejects(t.endpoint.status("job-y"), RunpodApiError)).status, 400);
  // /health answers no job: its 400 is an error whatever the body.
  assert.equal((await assertRejects(t.endpoint.health(), RunpodApiError)).status, 400);
});

Deno.test("a 5xx whose body is a final job stays an error: the answer may not be the whole story", async () => {
  await using t = setup();
  t.emulator.inject("POST /run", { status: 500, body: failed("job-5") });
  assert.equal((await assertRejects(t.endpoint.run({ input: 1 }), RunpodApiError)).status, 500);
});
