// The fields RunPod's answers carry beyond the basics: /stream's id and
// delayTime, /status's retries, /cancel's timing fields, and /status?ttl=.
import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { setup } from "../../_helpers/setup.ts";

Deno.test("/stream answers carry the job's id and, once it started, its delayTime", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    queueDelay: 1500,
    worker: async function* (job) {
      await job.sleep(100);
      yield "x";
    },
  });
  const api = client(emulator);
  const id = await api.run({});
  const queued = api.get(`/stream/${id}?wait=1000`);
  await clock.advance(1000);
  assert.deepEqual((await queued).body, { id, status: "IN_QUEUE", stream: [] });
  await clock.advance(600);
  assert.deepEqual((await api.get(`/stream/${id}`)).body, {
    id,
    delayTime: 1500,
    status: "COMPLETED",
    stream: [{ output: "x" }],
  });
});

Deno.test("/status carries retries once a job was retried, and not before", async () => {
  using clock = new FakeClock();
  let calls = 0;
  await using emulator = createEmulator({
    clock,
    worker: () => {
      if (++calls < 3) throw new Error(`attempt ${calls}`);
      return "ok";
    },
  });
  const api = client(emulator);
  const id = (await api.post("/runsync", { input: {} })).body.id;
  assert.equal("retries" in (await api.get(`/status/${id}`)).body, false);
  await api.post(`/retry/${id}`);
  await clock.advance(0);
  assert.equal((await api.get(`/status/${id}`)).body.retries, 1);
  await api.post(`/retry/${id}`);
  await clock.advance(0);
  const done = (await api.get(`/status/${id}`)).body;
  assert.equal(done.status, "COMPLETED");
  assert.equal(done.retries, 2);
});

Deno.test("the client's status() and waitFor() pass retries through", async () => {
  let calls = 0;
  await using s = setup({
    worker: () => {
      if (++calls === 1) throw new Error("flaky");
      return "ok";
    },
  });
  const { id } = await s.endpoint.runSync({ input: {} });
  await s.endpoint.retry(id);
  const job = await s.endpoint.waitFor(id);
  assert.equal(job.status, "COMPLETED");
  assert.equal((job as { retries?: number }).retries, 1);
});

Deno.test("/cancel answers the timing fields the job has", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({
    clock,
    queueDelay: 300,
    worker: (job) => job.sleep(60_000),
  });
  const api = client(emulator);
  const queued = await api.run(1);
  assert.deepEqual((await api.post(`/cancel/${queued}`)).body, { id: queued, status: "CANCELLED" });
  const running = await api.run(2);
  await clock.advance(2300);
  assert.deepEqual((await api.post(`/cancel/${running}`)).body, {
    id: running,
    status: "CANCELLED",
    delayTime: 300,
    executionTime: 2000,
  });
});

Deno.test("the client's cancel() resolves with the timing fields", async () => {
  await using s = setup({ worker: (job) => job.sleep(60_000) }, { manualClock: true });
  const { id } = await s.endpoint.run({ input: {} });
  await s.clock.advance(5_000);
  const cancelled = await s.endpoint.cancel(id);
  assert.equal(cancelled.status, "CANCELLED");
  assert.equal((cancelled as { executionTime?: number }).executionTime, 5_000);
});

Deno.test("/status?ttl= shortens a finished job's life: /status answers 404 after it", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const id = await api.run("done");
  await clock.advance(0);
  assert.equal((await api.get(`/status/${id}?ttl=5000`)).body.status, "COMPLETED");
  await clock.advance(4999);
  assert.equal((await api.get(`/status/${id}?ttl=600000`)).status, 200); // a longer ttl does not extend it
  await clock.advance(1);
  assert.equal((await api.get(`/status/${id}`)).status, 404);
  assert.equal(emulator.job(id)!.removed, "ttl");
});

Deno.test("/status?ttl= on a running job deletes it mid-run, as policy.ttl does", async () => {
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
  const id = await api.run({});
  await clock.advance(0);
  await api.get(`/status/${id}?ttl=10000`);
  await clock.advance(10_000);
  assert.equal(aborted, true);
  assert.equal((await api.get(`/status/${id}`)).status, 404);
  const ignored = await api.run({});
  assert.equal((await api.get(`/status/${ignored}?ttl=soon`)).status, 200); // unreadable: ignored
});

Deno.test("served over HTTP, /stream and /cancel carry the same fields", async () => {
  await using emulator = createEmulator({
    worker: async function* (job) {
      yield 1;
      await job.sleep(60_000);
    },
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const base = `http://127.0.0.1:${server.addr.port}/v2/test-endpoint`;
    const headers = { authorization: "Bearer test-key" };
    const run = await fetch(`${base}/run`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: {} }),
    });
    const { id } = await run.json();
    const chunk = await (await fetch(`${base}/stream/${id}?wait=5000`, { headers })).json();
    assert.equal(chunk.id, id);
    assert.equal(typeof chunk.delayTime, "number");
    assert.deepEqual(chunk.stream, [{ output: 1 }]);
    const cancelled = await (await fetch(`${base}/cancel/${id}`, { method: "POST", headers }))
      .json();
    assert.equal(cancelled.status, "CANCELLED");
    assert.equal(typeof cancelled.delayTime, "number");
    assert.equal(typeof cancelled.executionTime, "number");
  } finally {
    await emulator.close();
    await server.shutdown();
  }
});
