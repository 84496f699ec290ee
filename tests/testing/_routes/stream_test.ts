import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { photoRecords, sleeper } from "../../_helpers/workers.ts";

const photos = photoRecords(3, 1000);

Deno.test("/stream drains the items produced since the last poll", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock, worker: photos, returnAggregateStream: true });
  const api = client(emulator);
  const id = await api.run({});
  await clock.advance(2000);
  assert.deepEqual((await api.get(`/stream/${id}`)).body, {
    id,
    delayTime: 0,
    status: "IN_PROGRESS",
    stream: [{ output: { photo: 1 } }, { output: { photo: 2 } }],
  });
  await clock.advance(1000);
  assert.deepEqual((await api.get(`/stream/${id}`)).body, {
    id,
    delayTime: 0,
    status: "COMPLETED",
    stream: [{ output: { photo: 3 } }],
  });
  assert.deepEqual((await api.get(`/stream/${id}`)).body, {
    id,
    delayTime: 0,
    status: "COMPLETED",
    stream: [],
  });
  const final = (await api.get(`/status/${id}`)).body;
  assert.deepEqual(final.output, [{ photo: 1 }, { photo: 2 }, { photo: 3 }]);
});

Deno.test("/stream holds an empty poll until an item arrives", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: photos });
  const api = client(emulator);
  const id = await api.run({});
  const started = clock.now();
  const answer = await api.get(`/stream/${id}?wait=5000`);
  assert.equal(clock.now() - started, 1000);
  assert.deepEqual(answer.body.stream, [{ output: { photo: 1 } }]);
});

Deno.test("/stream holds an empty poll until the job ends", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(3000) });
  const api = client(emulator);
  const id = await api.run({});
  const started = clock.now();
  const answer = await api.get(`/stream/${id}?wait=60000`);
  assert.equal(clock.now() - started, 3000);
  assert.deepEqual(answer.body, { id, delayTime: 0, status: "COMPLETED", stream: [] });
});

Deno.test("/stream answers an empty poll after its wait, or streamHold without wait", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    streamHold: 7000,
    worker: sleeper(100_000),
  });
  const api = client(emulator);
  const id = await api.run({});
  let started = clock.now();
  assert.deepEqual((await api.get(`/stream/${id}?wait=2000`)).body, {
    id,
    delayTime: 0,
    status: "IN_PROGRESS",
    stream: [],
  });
  assert.equal(clock.now() - started, 2000);
  started = clock.now();
  await api.get(`/stream/${id}`);
  assert.equal(clock.now() - started, 7000);
  assert.equal((await api.get(`/stream/${id}?wait=10`)).status, 400);
});

Deno.test("/stream holds an empty poll 10000 ms by default", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: sleeper(100_000) });
  const api = client(emulator);
  const id = await api.run({});
  const started = clock.now();
  await api.get(`/stream/${id}`);
  assert.equal(clock.now() - started, 10_000);
});

Deno.test("/stream reports a terminal status only with the last items drained", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    worker: async function* (job) {
      yield 1;
      yield 2;
      await job.sleep(10);
      yield 3;
    },
  });
  const api = client(emulator);
  const id = await api.run({});
  const seen: unknown[] = [];
  for (let poll = 0; poll < 10; poll++) {
    const pending = api.get(`/stream/${id}?wait=1000`);
    await clock.advance(5);
    const chunk = (await pending).body;
    seen.push(...chunk.stream.map((item: { output: unknown }) => item.output));
    if (chunk.status === "COMPLETED") break;
  }
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(emulator.job(id)!.undrained, 0);
});

Deno.test("/stream of a worker that is not a generator streams nothing and ends with the status", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const id = await api.run("plain");
  assert.deepEqual((await api.get(`/stream/${id}`)).body, {
    id,
    delayTime: 0,
    status: "COMPLETED",
    stream: [],
  });
  assert.equal((await api.get(`/status/${id}`)).body.output, "plain");
});
