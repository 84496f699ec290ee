import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { sleeper } from "../../_helpers/workers.ts";

Deno.test("/runsync holds until the job ends and answers it as /status shows it", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    worker: async (job) => {
      await job.sleep(45_000);
      return "late but done";
    },
  });
  const started = clock.now();
  const answer = await client(emulator).post("/runsync", { input: 1 });
  assert.equal(answer.status, 200);
  assert.equal(clock.now() - started, 45_000);
  assert.equal(answer.body.status, "COMPLETED");
  assert.equal(answer.body.output, "late but done");
  assert.equal(answer.body.executionTime, 45_000);
  assert.deepEqual(answer.body, (await client(emulator).get(`/status/${answer.body.id}`)).body);
});

Deno.test("/runsync answers the unfinished job when its wait runs out, and the job goes on", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(10_000) });
  const api = client(emulator);
  const started = clock.now();
  const answer = await api.post("/runsync?wait=3000", { input: 1 });
  assert.equal(clock.now() - started, 3000);
  assert.equal(answer.body.status, "IN_PROGRESS");
  assert.equal(answer.body.output, undefined);
  await clock.advance(7000);
  assert.equal((await api.get(`/status/${answer.body.id}`)).body.status, "COMPLETED");
});

Deno.test("/runsync waits 90000 ms by default", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(200_000) });
  const started = clock.now();
  const answer = await client(emulator).post("/runsync", { input: 1 });
  assert.equal(clock.now() - started, 90_000);
  assert.equal(answer.body.status, "IN_PROGRESS");
});

Deno.test("/runsync answers 400 for a wait outside 1000 to 300000 ms, and creates no job", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  for (const wait of ["999", "300001", "abc", "1500.5"]) {
    const answer = await api.post(`/runsync?wait=${wait}`, { input: 1 });
    assert.equal(answer.status, 400, wait);
    assert.match(answer.body.error, /wait/);
  }
  assert.equal((await api.post("/runsync?wait=1000", { input: 1 })).status, 200);
  assert.equal((await api.post("/runsync?wait=300000", { input: 1 })).status, 200);
  assert.equal(emulator.jobs.length, 2);
});

Deno.test("/runsync answers a job still IN_QUEUE when no worker freed up in time", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(60_000) });
  const api = client(emulator);
  await api.run("first");
  const answer = await api.post("/runsync?wait=5000", { input: "second" });
  assert.deepEqual(answer.body, { id: answer.body.id, status: "IN_QUEUE" });
});
