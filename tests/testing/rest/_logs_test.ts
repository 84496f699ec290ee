import assert from "node:assert/strict";
import { endpointBody, readEvents, restSetup } from "./_rest.ts";

const headers = { authorization: "Bearer test-key" };

/** An endpoint that has run `jobs` jobs of 1 s each on worker-1. */
async function withJobs(jobs: number) {
  const t = restSetup({
    worker: async (job) => {
      await job.sleep(1_000);
      return job.input;
    },
  });
  const { body: endpoint } = await t.call("createEndpoint", {
    body: endpointBody({ workers: { max: 1 } }),
  });
  for (let i = 0; i < jobs; i++) {
    const answer = await t.emulator.fetch(endpoint.requestUrls.runSync, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: i }),
    });
    await answer.body?.cancel();
  }
  return { t, endpoint };
}

Deno.test("worker logs are SSE events with id = timestamp/sequence and data {source, line, ts}", async () => {
  const { t, endpoint } = await withJobs(2);
  await using _ = t;
  const answer = await t.call("getWorkerLogs", {
    params: { id: endpoint.id, workerId: "worker-1" },
  });
  assert.equal(answer.headers.get("cache-control"), "no-cache");
  const events = await readEvents(answer.body, 6);
  assert.equal(events.length, 6);
  for (const event of events) {
    assert.match(event.id, /^\d{4}-\d\d-\d\dT[\d:.]+Z\/\d{12}$/);
    assert.equal(event.id.split("/")[0], event.data.ts);
    assert.ok(["container", "system"].includes(event.data.source));
  }
  assert.equal(new Set(events.map((e) => e.id)).size, 6);
  assert.match(events[2]?.data.line ?? "", /ended COMPLETED after 1000 ms/);
});

Deno.test("source, tail and since pick the backfill; Last-Event-ID resumes after an event", async () => {
  const { t, endpoint } = await withJobs(3);
  await using _ = t;
  const params = { id: endpoint.id, workerId: "worker-1" };
  const system = await readEvents(
    (await t.call("getWorkerLogs", { params, query: { source: "system" } })).body,
    3,
  );
  assert.ok(system.every((e) => e.data.source === "system"));
  const all = await readEvents((await t.call("getWorkerLogs", { params })).body, 9);
  const tail = await readEvents(
    (await t.call("getWorkerLogs", { params, query: { tail: "2" } })).body,
    2,
  );
  assert.deepEqual(tail, all.slice(-2));
  const from = all[3]!.data.ts;
  const expected = all.filter((e) => e.data.ts >= from); // since is inclusive
  assert.equal(expected.length, 7); // a job's end and the next one's start share a millisecond
  const since = await readEvents(
    (await t.call("getWorkerLogs", { params, query: { since: from } })).body,
    7,
  );
  assert.deepEqual(since, expected);
  const resumed = await readEvents(
    (await t.call("getWorkerLogs", { params, headers: { "last-event-id": all[4]!.id } })).body,
    4,
  );
  assert.deepEqual(resumed, all.slice(5));
  const bad = await t.call("getWorkerLogs", { params, query: { tail: "5001" } });
  assert.equal(bad.status, 422);
});

Deno.test("an open log stream sends new lines as jobs run, and closes cleanly when the client aborts", async () => {
  const { t, endpoint } = await withJobs(1);
  await using _ = t;
  const answer = await t.call("getWorkerLogs", {
    params: { id: endpoint.id, workerId: "worker-1" },
    query: { tail: "0" },
  });
  const reading = readEvents(answer.body, 3);
  const sync = await t.emulator.fetch(endpoint.requestUrls.runSync, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: "live" }),
  });
  const job = await sync.json();
  const events = await reading; // readEvents cancels the body after 3 events
  assert.deepEqual(events.map((e) => e.data.line), [
    `worker-1: took job ${job.id}`,
    `Job ${job.id} started`,
    `Job ${job.id} ended COMPLETED after 1000 ms`,
  ]);
});

Deno.test("pod logs follow the pod's life, and the stream ends when the pod is deleted", async () => {
  await using t = restSetup({}, { autoAdvance: false });
  const { body: pod } = await t.call("createPod", {
    body: { name: "dev", image: "me/dev:1", cpu: { id: "cpu3c", vcpuCount: 2 } },
  });
  const answer = await t.call("getPodLogs", { params: { id: pod.id } });
  const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const until = async (needle: string) => {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) return false;
      text += value;
    }
    return true;
  };
  assert.ok(await until("is PROVISIONING"));
  await t.clock.advance(6_000);
  assert.ok(await until("Container started: me/dev:1"));
  assert.equal((await t.call("deletePod", { params: { id: pod.id } })).status, 204);
  await t.clock.advance(1_000);
  assert.equal(await until("never"), false); // the stream ended
});

Deno.test("aborting the request ends a log stream in fetch mode, leaving no timer behind", async () => {
  await using t = restSetup({}, { autoAdvance: false });
  const { body: pod } = await t.call("createPod", {
    body: { name: "dev", image: "me/dev:1", cpu: { id: "cpu3c", vcpuCount: 2 } },
  });
  const controller = new AbortController();
  const response = await t.emulator.fetch(`${t.emulator.restUrl}/pods/${pod.id}/logs`, {
    headers,
    signal: controller.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  assert.match((await reader.read()).value ?? "", /is PROVISIONING/);
  const before = t.clock.pendingTimers;
  controller.abort();
  assert.equal((await reader.read()).done, true);
  assert.equal(t.clock.pendingTimers, before - 1); // the stream's poll timer is gone
});
