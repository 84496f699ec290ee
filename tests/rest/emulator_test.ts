// Every method of the management client against the emulator's management API
// (in process, on a FakeClock): what the client sends, the emulator accepts,
// and what it answers, the client reads.
import assert from "node:assert/strict";
import runpodSdk, { RunpodApiError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { createEmulator, FakeClock } from "../../testing.ts";

function setup() {
  const clock = new FakeClock();
  const emulator = createEmulator({ clock, rest: { requestsPerMinute: 10_000 } });
  const runpod = runpodSdk("test-key", {
    baseUrl: emulator.baseUrl,
    restUrl: emulator.restUrl,
    fetch: emulator.fetch,
    clock,
  });
  return {
    runpod,
    emulator,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}

Deno.test("templates and endpoints: every method works against the emulator", async () => {
  await using t = setup();
  const { runpod } = t;
  const template = await runpod.templates.create({
    name: "tpl",
    image: "me/w:1",
    serverless: true,
  });
  assert.equal((await runpod.templates.get(template.id)).name, "tpl");
  assert.equal((await runpod.templates.update(template.id, { name: "tpl2" })).name, "tpl2");
  assert.ok((await runpod.templates.list()).some((x) => x.id === template.id));
  const endpoint = await runpod.endpoints.create({
    name: "ep",
    type: "QUEUE",
    templateId: template.id,
    gpu: { pools: ["ADA_24"] },
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
  });
  assert.equal((await runpod.endpoints.get(endpoint.id)).name, "ep");
  const listed = (await runpod.endpoints.list()).map((e) => e.id);
  assert.ok(listed.includes(endpoint.id));
  let paged = 0;
  for await (const page of runpod.endpoints.pages()) paged += page.length;
  assert.equal(paged, listed.length);
  assert.equal(
    (await runpod.endpoints.update(endpoint.id, { workers: { max: 2 } })).workers.max,
    2,
  );
  const job = await runpod.endpoint(endpoint).runSync({ input: "hi" }, 10_000);
  assert.equal(job.status, "COMPLETED");
  const { workers } = await runpod.endpoints.workers(endpoint.id);
  assert.ok(workers.length >= 1);
  assert.ok(Array.isArray((await runpod.endpoints.releases(endpoint.id)).releases));
  const lines = [];
  for await (const log of runpod.endpoints.logs(endpoint.id, workers[0]!.id, { tail: 10 })) {
    lines.push(log);
  }
  assert.ok(lines.every((l) => typeof l.line === "string" && typeof l.ts === "string"));
  await runpod.endpoints.delete(endpoint.id);
  await runpod.templates.delete(template.id);
  assert.ok(!(await runpod.endpoints.list()).some((e) => e.id === endpoint.id));
  assert.ok(runpod.rateLimit?.windows.length);
});

Deno.test("network volumes, registries and SSH keys: every method works against the emulator", async () => {
  await using t = setup();
  const { runpod } = t;
  const volume = await runpod.networkVolumes.create({ name: "v", size: 10, dataCenter: "EU-RO-1" });
  assert.equal((await runpod.networkVolumes.get(volume.id)).size, 10);
  assert.equal((await runpod.networkVolumes.update(volume.id, { size: 20 })).size, 20);
  assert.equal((await runpod.networkVolumes.list()).length, 1);
  await runpod.networkVolumes.delete(volume.id);
  const registry = await runpod.registries.create({ name: "hub", username: "me", password: "pw" });
  assert.equal((await runpod.registries.get(registry.id)).name, "hub");
  assert.equal((await runpod.registries.list()).length, 1);
  await runpod.registries.delete(registry.id);
  assert.ok(Array.isArray(await runpod.registries.delegations()));
  const keys = await runpod.sshKeys.set(["ssh-ed25519 AAAAC3Nza me@laptop"]);
  assert.deepEqual(keys, ["ssh-ed25519 AAAAC3Nza me@laptop"]);
  assert.deepEqual(await runpod.sshKeys.list(), keys);
});

Deno.test("pods: every method works against the emulator", async () => {
  await using t = setup();
  const { runpod } = t;
  const pod = await runpod.pods.create({
    name: "nb",
    image: "runpod/pytorch:2",
    gpu: { id: "NVIDIA RTX A5000" },
  });
  assert.equal((await runpod.pods.get(pod.id)).name, "nb");
  assert.equal((await runpod.pods.list()).length, 1);
  assert.equal((await runpod.pods.update(pod.id, { name: "nb2" })).name, "nb2");
  await runpod.pods.stop(pod.id);
  await runpod.pods.start(pod.id);
  // A pod that is still starting cannot restart: the emulator's 409 problem reaches the caller.
  const conflict = await assertRejects(runpod.pods.restart(pod.id), RunpodApiError, "HTTP 409");
  assert.equal(conflict.title, "Conflict");
  for await (const log of runpod.pods.logs(pod.id, { tail: 5 })) {
    assert.equal(typeof log.line, "string");
  }
  await runpod.pods.terminate(pod.id);
  const other = await runpod.pods.create({
    name: "cpu",
    image: "alpine",
    cpu: { id: "cpu3c", vcpuCount: 2 },
  });
  await runpod.pods.delete(other.id);
  assert.ok(!(await runpod.pods.list()).some((p) => p.id === other.id));
});

Deno.test("catalog, billing and clusters: every method works against the emulator", async () => {
  await using t = setup();
  const { runpod } = t;
  const gpus = await runpod.catalog.gpus();
  assert.ok(gpus.length > 0);
  assert.equal((await runpod.catalog.gpu(gpus[0]!.id)).id, gpus[0]!.id);
  const cpus = await runpod.catalog.cpus();
  if (cpus.length) assert.equal((await runpod.catalog.cpu(cpus[0]!.id)).id, cpus[0]!.id);
  const centers = await runpod.catalog.dataCenters();
  assert.ok(centers.length > 0);
  assert.equal((await runpod.catalog.dataCenter(centers[0]!.id)).id, centers[0]!.id);
  assert.ok(Array.isArray(await runpod.catalog.templates()));
  for (
    const billing of [
      await runpod.billing.all({ lastN: 3 }),
      await runpod.billing.pods(),
      await runpod.billing.serverless(),
      await runpod.billing.endpoints(),
      await runpod.billing.networkVolumes(),
      await runpod.billing.clusters(),
    ]
  ) assert.ok(Array.isArray(billing.records));
  const cluster = await runpod.clusters.create({
    name: "c",
    type: "TRAINING",
    image: "me/train:1",
    compute: { gpuTypeId: gpus[0]!.id, gpuCountPerPod: 1, podCount: 2 },
  });
  assert.equal((await runpod.clusters.get(cluster.id)).name, "c");
  assert.equal((await runpod.clusters.list()).length, 1);
  assert.equal((await runpod.clusters.update(cluster.id, { name: "d" })).name, "d");
  assert.equal((await runpod.clusters.pods(cluster.id)).length, 2);
  await runpod.clusters.delete(cluster.id);
});
