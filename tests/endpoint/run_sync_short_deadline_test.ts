// runSync() with a deadline too near for a held /runsync to answer in time:
// the job is submitted with /run, so a TimeoutError always names it (issue 10).
import assert from "node:assert/strict";
import { TimeoutError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";

Deno.test("runSync() with an 800 ms timeout submits with /run and its TimeoutError names the job", async () => {
  await using t = setup({ worker: ({ sleep }) => sleep(60_000) });
  const error = await assertRejects(t.endpoint.runSync({ input: 1 }, 800), TimeoutError);
  const job = t.emulator.jobs[0]!;
  assert.equal(error.jobId, job.id);
  assert.match(error.message, new RegExp(`\\(job '${job.id}'\\) timed out after 800 ms`));
  assert.equal(t.emulator.countRequests("POST /runsync"), 0);
  assert.equal(t.emulator.countRequests("POST /run"), 1);
  assert.equal(t.clock.now() - job.createdAt <= 800, true);
});

Deno.test("runSync() with a short timeout and no cancelOnAbort leaves the named job running", async () => {
  await using t = setup({ worker: ({ sleep }) => sleep(60_000) });
  const error = await assertRejects(
    t.endpoint.runSync({ input: 1 }, { timeout: 1000 }),
    TimeoutError,
  );
  assert.equal(t.emulator.job(error.jobId!)?.status, "IN_PROGRESS");
});

Deno.test("runSync() with a short timeout and cancelOnAbort cancels the job it named", async () => {
  await using t = setup({ worker: ({ sleep }) => sleep(60_000) });
  const error = await assertRejects(
    t.endpoint.runSync({ input: 1 }, { timeout: 1000, cancelOnAbort: true }),
    TimeoutError,
  );
  assert.equal(t.emulator.job(error.jobId!)?.status, "CANCELLED");
});

Deno.test("runSync() with a 1400 ms timeout resolves a quick job through /run and /status", async () => {
  await using t = setup({ worker: async ({ input, sleep }) => (await sleep(100), input) });
  const job = await t.endpoint.runSync({ input: "quick" }, 1400);
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, "quick");
  assert.equal(t.emulator.countRequests("POST /runsync"), 0);
  assert.equal(t.emulator.countRequests("POST /run"), 1);
});

Deno.test("runSync() with a 1500 ms timeout still uses a held /runsync (wait=1000)", async () => {
  await using t = setup();
  await t.endpoint.runSync({ input: 1 }, 1500);
  assert.equal(t.emulator.countRequests("POST /runsync"), 1);
  assert.equal(t.sent[0]?.url.searchParams.get("wait"), "1000");
});
