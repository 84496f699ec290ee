// The SDK's own management client against the emulator's management API: the
// deploy flow of issue 11, end to end through emulator.fetch.
import assert from "node:assert/strict";
import runpodSdk, { RunpodApiError } from "../../../mod.ts";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { assertRejects } from "../../_helpers/assert_rejects.ts";

Deno.test("the management client deploys, runs, scales, reads logs of and deletes an endpoint on the emulator", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    rest: { requestsPerMinute: 1000 },
    worker: async (job) => {
      await job.sleep(2_000);
      return { caption: `a picture of ${job.input}` };
    },
  });
  const runpod = runpodSdk("test-key", {
    baseUrl: emulator.baseUrl,
    restUrl: emulator.restUrl,
    fetch: emulator.fetch,
    clock,
  });
  const template = await runpod.templates.create({
    name: "captioner",
    image: "me/captioner:1",
    serverless: true,
    env: { MODEL: "small" },
  });
  const created = await runpod.endpoints.create({
    name: "captioner",
    type: "QUEUE",
    templateId: template.id,
    env: { LOG: "debug" },
    gpu: { pools: ["ADA_24"] },
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
  });
  assert.deepEqual(created.env, { MODEL: "small", LOG: "debug" });
  const job = await runpod.endpoint(created.id).runSync({ input: "a horse" });
  assert.equal(job.status, "COMPLETED");
  assert.deepEqual(job.output, { caption: "a picture of a horse" });

  const scaled = await runpod.endpoints.update(created.id, { workers: { max: 5 } });
  assert.equal(scaled.workers.max, 5);
  const { workers } = await runpod.endpoints.workers(created.id);
  assert.deepEqual(workers.map((w) => w.status), ["IDLE"]);

  const lines: string[] = [];
  for await (
    const log of runpod.endpoints.logs(created.id, workers[0]!.id, { source: "container" })
  ) {
    lines.push(log.line);
  }
  assert.deepEqual(lines, [`Job ${job.id} started`, `Job ${job.id} ended COMPLETED after 2000 ms`]);

  assert.deepEqual((await runpod.endpoints.list()).map((e) => e.id), ["test-endpoint", created.id]);
  await runpod.endpoints.delete(created.id);
  const gone = await assertRejects(
    runpod.endpoint(created.id).run({ input: "too late" }),
    RunpodApiError,
  );
  assert.equal(gone.status, 404);
  const deleted = await assertRejects(runpod.endpoints.get(created.id), RunpodApiError);
  assert.equal(deleted.status, 404);
});

Deno.test("the management client follows a pod's logs live and stops at break", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch, clock });
  const pod = await runpod.pods.create({
    name: "dev",
    image: "me/dev:1",
    gpu: { id: "NVIDIA GeForce RTX 4090" },
  });
  const seen: string[] = [];
  for await (const log of runpod.pods.logs(pod.id, { follow: true, source: "system" })) {
    seen.push(log.line);
    if (log.line.endsWith("RUNNING")) break;
  }
  assert.deepEqual(seen, [
    `Pod ${pod.id} is PROVISIONING`,
    `Pod ${pod.id} is STARTING`,
    `Pod ${pod.id} is RUNNING`,
  ]);
  assert.equal((await runpod.pods.get(pod.id)).status, "RUNNING");
});

Deno.test("the management client lists every page when the emulator is asked to page", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, rest: { requestsPerMinute: 1000 } });
  const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch, clock });
  for (let i = 0; i < 5; i++) {
    await runpod.networkVolumes.create({ name: `v${i}`, size: 10, dataCenter: "EU-RO-1" });
  }
  const pages: string[][] = [];
  for await (const page of runpod.networkVolumes.pages({ limit: 2 })) {
    pages.push(page.map((v) => v.name));
  }
  assert.deepEqual(pages, [["v0", "v1"], ["v2", "v3"], ["v4"]]);
});
