import assert from "node:assert/strict";
import { endpointBody, restSetup } from "./_rest.ts";

const headers = { authorization: "Bearer test-key" };

Deno.test("an endpoint created without them gets the documented defaults, and no templateId", async () => {
  await using t = restSetup();
  const { status, body } = await t.call("createEndpoint", { body: endpointBody() });
  assert.equal(status, 201);
  assert.deepEqual(body.workers, { min: 0, max: 3, idleTimeout: 10 });
  assert.equal(body.flashboot, "OFF");
  assert.equal(body.timeout, 300_000);
  assert.equal(body.templateId, undefined);
  assert.equal(body.requestUrls.run, `https://api.runpod.ai/v2/${body.id}/run`);
  assert.deepEqual((await t.call("getEndpoint", { params: { id: body.id } })).body, body);
});

Deno.test("a template is applied once at create: body fields win and env merges per key", async () => {
  await using t = restSetup();
  const template = await t.call("createTemplate", {
    body: {
      name: "base",
      image: "me/base:1",
      serverless: true,
      env: { A: "template", B: "template" },
      ports: ["8000/http"],
    },
  });
  const created = await t.call("createEndpoint", {
    body: endpointBody({ image: undefined, templateId: template.body.id, env: { B: "body" } }),
  });
  assert.equal(created.body.image, "me/base:1");
  assert.deepEqual(created.body.env, { A: "template", B: "body" });
  assert.deepEqual(created.body.ports, ["8000/http"]);
  // Changing the template afterwards does not change the endpoint.
  await t.call("updateTemplate", {
    params: { id: template.body.id },
    body: { image: "me/base:2" },
  });
  const after = await t.call("getEndpoint", { params: { id: created.body.id } });
  assert.equal(after.body.image, "me/base:1");
  const podTemplate = await t.call("createTemplate", { body: { name: "pod", image: "me/pod:1" } });
  const refused = await t.call("createEndpoint", {
    body: endpointBody({ templateId: podTemplate.body.id }),
  });
  assert.equal(refused.status, 400);
  const missing = await t.call("createEndpoint", { body: endpointBody({ templateId: "nope" }) });
  assert.equal(missing.status, 404);
});

Deno.test("PATCH changes only the fields given, replaces env whole, and a container change makes a release", async () => {
  await using t = restSetup();
  const { body: created } = await t.call("createEndpoint", {
    body: endpointBody({ env: { A: "1", B: "2" }, workers: { min: 0, max: 2 } }),
  });
  const { body: updated } = await t.call("updateEndpoint", {
    params: { id: created.id },
    body: { env: { C: "3" }, workers: { max: 4 } },
  });
  assert.deepEqual(updated.env, { C: "3" });
  assert.deepEqual(updated.workers, { min: 0, max: 4, idleTimeout: 10 });
  assert.equal(updated.name, created.name);
  assert.equal(updated.image, created.image);
  assert.deepEqual(updated.gpu, created.gpu);
  const releases = await t.call("listEndpointReleases", { params: { id: created.id } });
  assert.equal(releases.body.endpointVersion, 2);
  assert.deepEqual(releases.body.releases[0].diff, [
    { field: "env", old: { A: "1", B: "2" }, new: { C: "3" } },
  ]);
  const typeChange = await t.call("updateEndpoint", {
    params: { id: created.id },
    body: { type: "LOAD_BALANCER" },
  });
  assert.equal(typeChange.status, 422); // type cannot change: not a field of the update
  const cpu = await t.call("updateEndpoint", {
    params: { id: created.id },
    body: { cpu: [{ id: "cpu3c", vcpuCount: 4 }] },
  });
  assert.equal(cpu.status, 400);
  const tooFew = await t.call("updateEndpoint", {
    params: { id: created.id },
    body: { workers: { min: 5 } },
  });
  assert.equal(tooFew.status, 400);
});

Deno.test("the endpoints the emulator was made with are listed too", async () => {
  await using t = restSetup({ endpoints: ["a", "b"], workers: 2 });
  const { body } = await t.call("listEndpoints");
  assert.deepEqual(body.endpoints.map((e: { id: string }) => e.id), ["a", "b"]);
  assert.equal(body.endpoints[0].workers.max, 2);
});

Deno.test("an endpoint created over REST runs jobs at once, and after delete its job routes answer 404", async () => {
  await using t = restSetup({
    worker: async (job) => {
      await job.sleep(5_000);
      return { echo: job.input };
    },
  });
  const { body: endpoint } = await t.call("createEndpoint", { body: endpointBody() });
  const sync = await t.emulator.fetch(endpoint.requestUrls.runSync, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: "hi" }),
  });
  const job = await sync.json();
  assert.equal(job.status, "COMPLETED");
  assert.deepEqual(job.output, { echo: "hi" });
  const queued = await (await t.emulator.fetch(endpoint.requestUrls.run, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: "later" }),
  })).json();
  assert.equal((await t.call("deleteEndpoint", { params: { id: endpoint.id } })).status, 204);
  assert.equal(t.emulator.job(queued.id)?.removed, "deleted"); // gone with its endpoint
  for (const url of [endpoint.requestUrls.run, endpoint.requestUrls.health]) {
    const gone = await t.emulator.fetch(url, {
      method: url.endsWith("/run") ? "POST" : "GET",
      headers,
      ...(url.endsWith("/run") ? { body: JSON.stringify({ input: 1 }) } : {}),
    });
    assert.equal(gone.status, 404, url);
    await gone.body?.cancel();
  }
  assert.equal((await t.call("getEndpoint", { params: { id: endpoint.id } })).status, 404);
});

Deno.test("/workers shows a RUNNING worker during a job, IDLE for idleTimeout after, then none", async () => {
  await using t = restSetup({
    worker: async (job) => {
      await job.sleep(10_000);
      return job.input;
    },
  }, { autoAdvance: false });
  const { body: endpoint } = await t.call("createEndpoint", {
    body: endpointBody({ workers: { max: 1, idleTimeout: 30 } }),
  });
  const empty = await t.call("listEndpointWorkers", { params: { id: endpoint.id } });
  assert.deepEqual(empty.body.workers, []);
  const run = await t.emulator.fetch(endpoint.requestUrls.run, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: 1 }),
  });
  await run.body?.cancel();
  await t.clock.advance(1_000);
  const busy = await t.call("listEndpointWorkers", { params: { id: endpoint.id } });
  assert.equal(busy.body.workers.length, 1);
  assert.equal(busy.body.workers[0].status, "RUNNING");
  assert.deepEqual(busy.body.summary, {
    running: 1,
    idle: 0,
    initializing: 0,
    throttled: 0,
    unhealthy: 0,
    total: 1,
  });
  await t.clock.advance(10_000);
  const idle = await t.call("listEndpointWorkers", { params: { id: endpoint.id } });
  assert.equal(idle.body.workers[0].status, "IDLE");
  await t.clock.advance(30_000);
  const gone = await t.call("listEndpointWorkers", { params: { id: endpoint.id } });
  assert.deepEqual(gone.body.workers, []);
  // workers.min keeps workers up without jobs.
  await t.call("updateEndpoint", { params: { id: endpoint.id }, body: { workers: { min: 1 } } });
  const warm = await t.call("listEndpointWorkers", { params: { id: endpoint.id } });
  assert.deepEqual(warm.body.workers.map((w: { status: string }) => w.status), ["IDLE"]);
});

Deno.test("an endpoint's timeout is its jobs' execution timeout, and a PATCH changes it", async () => {
  await using t = restSetup({ worker: (job) => job.sleep(60_000) });
  const { body: endpoint } = await t.call("createEndpoint", {
    body: endpointBody({ timeout: 30_000 }),
  });
  const runSync = () =>
    t.emulator.fetch(endpoint.requestUrls.runSync, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: 1 }),
    }).then((r) => r.json());
  const timedOut = await runSync();
  assert.equal(timedOut.status, "TIMED_OUT");
  assert.equal(timedOut.executionTime, 30_000);
  await t.call("updateEndpoint", { params: { id: endpoint.id }, body: { timeout: 120_000 } });
  assert.equal((await runSync()).status, "COMPLETED");
});

Deno.test("workers.max is how many jobs run at once, and raising it starts queued jobs", async () => {
  await using t = restSetup({ worker: (job) => job.sleep(10_000) }, { autoAdvance: false });
  const { body: endpoint } = await t.call("createEndpoint", {
    body: endpointBody({ workers: { max: 1 } }),
  });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const answer = await t.emulator.fetch(endpoint.requestUrls.run, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: i }),
    });
    ids.push((await answer.json()).id);
  }
  await t.clock.advance(1);
  const statuses = () => ids.map((id) => t.emulator.job(id)?.status);
  assert.deepEqual(statuses(), ["IN_PROGRESS", "IN_QUEUE", "IN_QUEUE"]);
  await t.call("updateEndpoint", { params: { id: endpoint.id }, body: { workers: { max: 3 } } });
  await t.clock.advance(1);
  assert.deepEqual(statuses(), ["IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS"]);
  const workers = await t.call("listEndpointWorkers", { params: { id: endpoint.id } });
  assert.deepEqual(
    workers.body.workers.map((w: { id: string; status: string }) => [w.id, w.status]),
    [["worker-1", "RUNNING"], ["worker-2", "RUNNING"], ["worker-3", "RUNNING"]],
  );
  await t.call("updateEndpoint", { params: { id: endpoint.id }, body: { workers: { max: 0 } } });
  const more = await t.emulator.fetch(endpoint.requestUrls.run, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: "waits" }),
  });
  const waiting = (await more.json()).id;
  await t.clock.advance(60_000);
  assert.equal(t.emulator.job(waiting)?.status, "IN_QUEUE"); // no worker may take it
});
