import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../testing.ts";
import { client } from "../_helpers/raw_client.ts";
import { failing } from "../_helpers/workers.ts";

Deno.test("a worker that throws makes the job FAILED with runpod-python's error report", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    worker: failing("CUDA out of memory"),
  });
  const job = (await client(emulator).post("/runsync", { input: {} })).body;
  assert.equal(job.status, "FAILED");
  const report = JSON.parse(job.error);
  assert.equal(report.error_type, "<class 'Error'>");
  assert.equal(report.error_message, "CUDA out of memory");
  assert.equal(job.output, undefined);
});

Deno.test("an output object with an error key makes the job FAILED with that raw value", async () => {
  using clock = new FakeClock();
  const report = JSON.stringify({ error_type: "ValueError", error_message: "bad input" });
  await using emulator = createEmulator({ clock, worker: () => ({ error: report }) });
  const job = (await client(emulator).post("/runsync", { input: {} })).body;
  assert.equal(job.status, "FAILED");
  assert.equal(job.error, report);
});

Deno.test("the default worker echoes the input", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const job = (await client(emulator).post("/runsync", { input: { a: [1, 2] } })).body;
  assert.equal(job.status, "COMPLETED");
  assert.deepEqual(job.output, { a: [1, 2] });
});

Deno.test("progress updates show as output while the job is IN_PROGRESS", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.progress({ percent: 50 });
      await job.sleep(1000);
      return "done";
    },
  });
  const api = client(emulator);
  const id = await api.run(null);
  await clock.advance(0);
  const running = (await api.get(`/status/${id}`)).body;
  assert.equal(running.status, "IN_PROGRESS");
  assert.deepEqual(running.output, { percent: 50 });
  await clock.advance(1000);
  assert.equal((await api.get(`/status/${id}`)).body.output, "done");
});

Deno.test("a generator that throws makes the job FAILED after the items it yielded", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    worker: async function* () {
      yield "one";
      await Promise.resolve();
      throw new Error("stream broke");
    },
  });
  const api = client(emulator);
  const id = await api.run({});
  const seen: unknown[] = [];
  let chunk;
  do {
    chunk = (await api.get(`/stream/${id}`)).body;
    seen.push(...chunk.stream);
  } while (chunk.status === "IN_PROGRESS" || chunk.status === "IN_QUEUE");
  assert.equal(chunk.status, "FAILED");
  assert.deepEqual(seen, [{ output: "one" }]);
  assert.match(
    (await api.get(`/status/${id}`)).body.error,
    /^handler: stream broke \ntraceback: Traceback \(most recent call last\):\n[^]*Error: stream broke\n$/,
  );
});
