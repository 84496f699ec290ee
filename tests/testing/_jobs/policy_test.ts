import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { failing, sleeper } from "../../_helpers/workers.ts";

Deno.test("policy.executionTimeout ends a running job TIMED_OUT and aborts the worker", async () => {
  using clock = new FakeClock();
  let reason: unknown;
  await using emulator = createEmulator({
    clock,
    worker: async (job) => {
      try {
        await job.sleep(8000);
      } catch (error) {
        reason = error;
        throw error;
      }
    },
  });
  const job = (await client(emulator).post("/runsync", {
    input: 1,
    policy: { executionTimeout: 5000 },
  })).body;
  assert.equal(job.status, "TIMED_OUT");
  assert.equal(job.executionTime, 5000);
  assert.equal((reason as DOMException).name, "TimeoutError");
});

Deno.test("policy.executionTimeout is 600000 ms by default", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(24 * 3600_000) });
  const api = client(emulator);
  const id = await api.run(1);
  const job = (await api.post("/runsync?wait=300000", { input: 2 })).body;
  assert.equal(job.status, "IN_QUEUE");
  await clock.advance(600_000);
  assert.equal(emulator.job(id)!.status, "TIMED_OUT");
  assert.equal(emulator.job(id)!.executionTime, 600_000);
});

Deno.test("policy.ttl removes the job even mid-run: /status answers 404 afterwards", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  let aborted = false;
  await using emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.signal.addEventListener("abort", () => (aborted = true));
      await job.sleep(60_000);
    },
  });
  const api = client(emulator);
  const id = await api.run(1, { policy: { ttl: 20_000 } });
  await clock.advance(19_999);
  assert.equal((await api.get(`/status/${id}`)).body.status, "IN_PROGRESS");
  await clock.advance(1);
  const gone = await api.get(`/status/${id}`);
  assert.equal(gone.status, 404);
  assert.match(gone.body.error, /not found/);
  assert.equal(aborted, true);
  assert.equal(emulator.job(id)!.removed, "ttl");
  assert.equal((await api.get("/health")).body.workers.idle, 1);
});

Deno.test("policy.ttl also removes a job still waiting in the queue", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, queueDelay: 30_000 });
  const api = client(emulator);
  const id = await api.run(1, { policy: { ttl: 10_000 } });
  await clock.advance(10_000);
  assert.equal((await api.get(`/status/${id}`)).status, 404);
  await clock.advance(30_000);
  assert.equal(emulator.job(id)!.status, "IN_QUEUE");
  assert.equal(emulator.job(id)!.removed, "ttl");
});

Deno.test("policy values out of RunPod's ranges answer 400", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  for (
    const policy of [
      { executionTimeout: 4999 },
      { executionTimeout: "5000" },
      { ttl: 9999 },
      { ttl: 8 * 86_400_000 },
      { lowPriority: "yes" },
      "fast",
    ]
  ) {
    const answer = await api.post("/run", { input: 1, policy });
    assert.equal(answer.status, 400, JSON.stringify(policy));
    assert.match(answer.body.error, /policy/);
  }
  assert.equal(emulator.jobs.length, 0);
  assert.equal((await api.post("/run", { input: 1, policy: { lowPriority: true } })).status, 200);
});

Deno.test("the result of a /run job expires 30 minutes after it ends", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const id = await api.run(1);
  await clock.advance(0);
  assert.equal(emulator.job(id)!.status, "COMPLETED");
  await clock.advance(30 * 60_000 - 1);
  assert.equal((await api.get(`/status/${id}`)).status, 200);
  await clock.advance(1);
  assert.equal((await api.get(`/status/${id}`)).status, 404);
  assert.equal((await api.get(`/stream/${id}`)).status, 404);
  assert.equal(emulator.job(id)!.removed, "expired");
});

Deno.test("the result of a /runsync job expires 1 minute after it ends", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: 1 })).body.id;
  await clock.advance(59_999);
  assert.equal((await api.get(`/status/${id}`)).status, 200);
  await clock.advance(1);
  assert.equal((await api.get(`/status/${id}`)).status, 404);
});

Deno.test("resultTtl sets how long results are kept, and a FAILED job cannot be retried once expired", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    resultTtl: { run: 5000 },
    worker: failing("no"),
  });
  const api = client(emulator);
  const id = await api.run(1);
  await clock.advance(5000);
  assert.equal((await api.post(`/retry/${id}`)).status, 404);
});
