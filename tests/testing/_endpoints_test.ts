// Endpoints shaped like the management API's: `{ id, timeout?, workers?: { max? } }`,
// and the registry the management emulator changes at run time.
import assert from "node:assert/strict";
import { RunpodApiError } from "../../mod.ts";
import { endpointsOf } from "../../src/testing/_endpoints.ts";
import { createEmulator, FakeClock } from "../../testing.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { client } from "../_helpers/raw_client.ts";
import { setup } from "../_helpers/setup.ts";

Deno.test("an endpoint's timeout ends its jobs TIMED_OUT unless a job's policy.executionTimeout overrides it", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    endpoints: [{ id: "short", timeout: 20_000 }, "default"],
    worker: (job) => job.sleep(30_000),
  });
  const short = client(emulator, { endpoint: "short" });
  const timedOut = (await short.post("/runsync", { input: {} })).body;
  assert.equal(timedOut.status, "TIMED_OUT");
  assert.equal(timedOut.executionTime, 20_000);
  assert.equal(emulator.job(timedOut.id)!.policy.executionTimeout, 20_000);
  const overridden = (await short.post("/runsync", {
    input: {},
    policy: { executionTimeout: 60_000 },
  })).body;
  assert.equal(overridden.status, "COMPLETED");
  const byDefault = (await client(emulator, { endpoint: "default" }).post("/runsync", {
    input: {},
  })).body;
  assert.equal(byDefault.status, "COMPLETED");
  assert.equal(emulator.job(byDefault.id)!.policy.executionTimeout, 600_000);
});

Deno.test("an endpoint's workers.max is how many of its jobs run at once", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    workers: 1,
    endpoints: [{ id: "wide", workers: { max: 3 } }, "narrow"],
    worker: (job) => job.sleep(1000),
  });
  for (let i = 0; i < 4; i++) {
    await client(emulator, { endpoint: "wide" }).run(i);
    await client(emulator, { endpoint: "narrow" }).run(i);
  }
  await clock.advance(0);
  const running = (endpoint: string) =>
    emulator.jobs.filter((job) => job.endpointId === endpoint && job.status === "IN_PROGRESS")
      .length;
  assert.equal(running("wide"), 3);
  assert.equal(running("narrow"), 1);
  const health = (await client(emulator, { endpoint: "wide" }).get("/health")).body;
  assert.deepEqual(health.jobs, { completed: 0, failed: 0, inProgress: 3, inQueue: 1, retried: 0 });
  assert.equal(health.workers.running, 3);
});

Deno.test("the client runs jobs on an endpoint given as an object", async () => {
  await using s = setup({
    endpoints: [{ id: "test-endpoint", timeout: 5_000, workers: { max: 2 } }],
    worker: (job) => job.sleep(10_000),
  });
  const job = await s.endpoint.runSync({ input: {} });
  assert.equal(job.status, "TIMED_OUT");
  assert.equal(job.executionTime, 5_000);
});

Deno.test("invalid endpoint settings throw before the emulator exists", () => {
  for (
    const endpoints of [
      [{ id: "" }],
      [{ id: "a", timeout: 0 }],
      [{ id: "a", workers: { max: -1 } }],
      [{ id: "a", workers: { max: 1.5 } }],
      ["a", "a"],
    ]
  ) {
    assert.throws(
      () => createEmulator({ endpoints: endpoints as never }),
      (error) => error instanceof TypeError || error instanceof RangeError,
      JSON.stringify(endpoints),
    );
  }
});

Deno.test("an endpoint added at run time answers at once; a removed one answers 404 and its jobs are gone", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  let aborted = 0;
  await using emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.signal.addEventListener("abort", () => aborted++);
      await job.sleep(60_000);
    },
  });
  const registry = endpointsOf(emulator);
  const api = client(emulator, { endpoint: "live" });
  assert.equal((await api.get("/health")).status, 404);
  assert.deepEqual(registry.add({ id: "live", timeout: 30_000, workers: { max: 1 } }), {
    id: "live",
    timeout: 30_000,
    maxWorkers: 1,
  });
  const running = await api.run(1);
  const queued = await api.run(2);
  await clock.advance(0);
  assert.equal(emulator.job(running)!.status, "IN_PROGRESS");
  assert.equal(emulator.job(queued)!.status, "IN_QUEUE");
  assert.throws(() => registry.add("live"), TypeError);

  assert.equal(registry.remove("live"), true);
  assert.equal(aborted, 1);
  assert.equal(emulator.job(running)!.removed, "deleted");
  assert.equal(emulator.job(queued)!.removed, "deleted");
  for (const path of ["/health", `/status/${running}`, `/stream/${queued}`]) {
    assert.equal((await api.get(path)).status, 404, path);
  }
  assert.equal((await api.post("/run", { input: 3 })).status, 404);
  assert.equal(registry.remove("live"), false);
  assert.deepEqual(registry.list().map((endpoint) => endpoint.id), ["test-endpoint"]);
});

Deno.test("updating an endpoint's workers.max starts queued jobs at once; its timeout applies to new jobs", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    endpoints: [{ id: "e", workers: { max: 0 } }],
    worker: (job) => job.sleep(10_000),
  });
  const api = client(emulator, { endpoint: "e" });
  const ids = [await api.run(1), await api.run(2)];
  await clock.advance(1000);
  assert.deepEqual(ids.map((id) => emulator.job(id)!.status), ["IN_QUEUE", "IN_QUEUE"]);
  endpointsOf(emulator).update("e", { workers: { max: 2 }, timeout: 5_000 });
  assert.deepEqual(ids.map((id) => emulator.job(id)!.status), ["IN_PROGRESS", "IN_PROGRESS"]);
  assert.equal(emulator.job(ids[0]!)!.delayTime, 1000);
  const later = await api.run(3);
  assert.equal(emulator.job(later)!.policy.executionTimeout, 5_000);
  assert.throws(() => endpointsOf(emulator).update("nope", {}), TypeError);
  assert.throws(() => endpointsOf(emulator).update("e", { workers: { max: -2 } }), RangeError);
});

Deno.test("the client gets a RunpodApiError 404 from a deleted endpoint", async () => {
  await using s = setup();
  endpointsOf(s.emulator).remove("test-endpoint");
  const error = await assertRejects(s.endpoint.health(), RunpodApiError);
  assert.equal(error.status, 404);
});
