// Every route of the management API through raw HTTP, each answer checked
// against the spec's response schema for its status (see _rest.ts).
import assert from "node:assert/strict";
import { type OperationId, OPERATIONS } from "../../../src/rest/_operations.gen.ts";
import { endpointBody, readEvents, restSetup } from "./_rest.ts";

Deno.test("every route of the spec answers as the spec says, with 201 for creates and 204 for deletes", async () => {
  await using t = restSetup({ rest: { requestsPerMinute: 1000 } });
  const seen = new Set<OperationId>();
  const call: typeof t.call = async (operationId, init) => {
    seen.add(operationId);
    return await t.call(operationId, init);
  };
  const expect = async (
    operationId: OperationId,
    status: number,
    init?: Parameters<typeof t.call>[1],
  ) => {
    const answer = await call(operationId, init);
    assert.equal(answer.status, status, `${operationId}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  // Account and registries.
  const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample me@laptop";
  assert.deepEqual(await expect("getSshKeys", 200), { keys: [] });
  assert.deepEqual(await expect("updateSshKeys", 200, { body: { keys: [key] } }), { keys: [key] });
  const registry = await expect("createRegistry", 201, {
    body: { name: "ghcr", username: "me", password: "secret" },
  });
  assert.deepEqual(Object.keys(registry).sort(), ["id", "name"]); // credentials are write-only
  assert.equal((await expect("getRegistry", 200, { params: { id: registry.id } })).name, "ghcr");
  assert.equal((await expect("listRegistries", 200)).registries.length, 1);
  const delegation = await expect("createDelegation", 201, {
    body: { resource: "arn:aws:ecr:us-east-1:123456789012:repository/team/model" },
  });
  assert.deepEqual(
    [delegation.awsRegion, delegation.repository, delegation.tag, delegation.dockerRegistryUri],
    ["us-east-1", "team/model", "latest", "123456789012.dkr.ecr.us-east-1.amazonaws.com"],
  );
  // RunPod's OpenAPI document asks for the repository's ARN: an image reference is refused.
  await expect("createDelegation", 400, {
    body: { resource: "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/model:v1" },
  });
  assert.equal((await expect("listDelegations", 200)).delegations.length, 1);
  await expect("revokeDelegation", 204, { params: { id: delegation.id } });

  // Templates and volumes.
  const template = await expect("createTemplate", 201, {
    body: { name: "worker", image: "me/worker:1", serverless: true, registry: registry.id },
  });
  assert.equal(template.category, "NVIDIA");
  assert.equal((await expect("getTemplate", 200, { params: { id: template.id } })).id, template.id);
  await expect("updateTemplate", 200, { params: { id: template.id }, body: { name: "worker 2" } });
  assert.equal((await expect("listTemplates", 200)).templates[0].name, "worker 2");
  const volume = await expect("createNetworkVolume", 201, {
    body: { name: "models", size: 50, dataCenter: "EU-RO-1" },
  });
  assert.equal(volume.type, "STANDARD");
  await expect("getNetworkVolume", 200, { params: { id: volume.id } });
  await expect("updateNetworkVolume", 200, { params: { id: volume.id }, body: { size: 100 } });
  assert.equal((await expect("listNetworkVolumes", 200)).networkVolumes[0].size, 100);

  // Serverless endpoints.
  const endpoint = await expect("createEndpoint", 201, {
    body: endpointBody({ templateId: template.id, image: undefined, networkVolumes: [volume.id] }),
  });
  await expect("getEndpoint", 200, { params: { id: endpoint.id } });
  await expect("updateEndpoint", 200, {
    params: { id: endpoint.id },
    body: { workers: { max: 5 } },
  });
  await expect("listEndpoints", 200);
  const run = await t.emulator.fetch(endpoint.requestUrls.runSync, {
    method: "POST",
    headers: { authorization: "Bearer test-key" },
    body: JSON.stringify({ input: 1 }),
  });
  assert.equal((await run.json()).status, "COMPLETED");
  const workers = await expect("listEndpointWorkers", 200, { params: { id: endpoint.id } });
  assert.equal(workers.workers[0].status, "IDLE");
  await expect("listEndpointReleases", 200, { params: { id: endpoint.id } });
  const logs = await call("getWorkerLogs", {
    params: { id: endpoint.id, workerId: workers.workers[0].id },
  });
  assert.equal(logs.status, 200);
  assert.equal(logs.headers.get("content-type"), "text/event-stream");
  assert.equal((await readEvents(logs.body, 3)).length, 3);

  // Pods and clusters.
  const pod = await expect("createPod", 201, {
    body: { name: "dev", image: "me/dev:1", gpu: { id: "NVIDIA GeForce RTX 4090" } },
  });
  assert.equal(pod.status, "PROVISIONING");
  await t.clock.advance(10_000);
  assert.equal((await expect("getPod", 200, { params: { id: pod.id } })).status, "RUNNING");
  await expect("updatePod", 200, { params: { id: pod.id }, body: { locked: true } });
  assert.equal(
    (await expect("podAction", 200, { params: { id: pod.id }, body: { action: "stop" } })).status,
    "EXITED",
  );
  const podLogs = await call("getPodLogs", { params: { id: pod.id } });
  assert.equal(podLogs.status, 200);
  assert.ok((await readEvents(podLogs.body, 2)).length === 2);
  assert.equal((await expect("listPods", 200)).pods.length, 1);
  const cluster = await expect("createCluster", 201, {
    body: {
      name: "train",
      type: "SLURM",
      image: "me/train:1",
      compute: { gpuTypeId: "NVIDIA A100 80GB PCIe", gpuCountPerPod: 8, podCount: 2 },
    },
  });
  assert.equal(cluster.pods.total, 2);
  await expect("getCluster", 200, { params: { id: cluster.id } });
  await expect("updateCluster", 200, { params: { id: cluster.id }, body: { name: "train-2" } });
  await expect("listClusters", 200);
  const members = await expect("listClusterPods", 200, { params: { id: cluster.id } });
  assert.equal(members.pods[0].cluster.role, "SLURM_CONTROLLER");
  assert.equal((await expect("listPods", 200)).pods.length, 1); // members are left out by default
  assert.equal(
    (await expect("listPods", 200, { query: { includeClusterPods: "true" } })).pods.length,
    3,
  );

  // Catalog.
  const gpus = await expect("listGpuTypes", 200);
  assert.ok(gpus.gpus.some((gpu: { pool: string }) => gpu.pool === "ADA_24"));
  const gpu = await expect("getGpuType", 200, {
    params: { id: "NVIDIA L4" },
    query: { include: "AVAILABILITY", product: "SERVERLESS" },
  });
  assert.ok(gpu.availability);
  await expect("listCpuTypes", 200);
  await expect("getCpuType", 200, { params: { id: "cpu5c" } });
  await expect("listDataCenters", 200, { query: { include: "GPU_AVAILABILITY,CPU_AVAILABILITY" } });
  await expect("getDataCenter", 200, { params: { id: "EU-RO-1" } });
  assert.ok((await expect("listPublicTemplates", 200)).templates.length > 0);

  // Billing, with each route's filter.
  const range = {
    startTime: "2026-01-01T00:00:00Z",
    endTime: "2026-01-02T00:00:00Z",
    bucketSize: "hour",
  };
  const all = await expect("listBilling", 200, { query: range });
  assert.equal(all.records.length, 24);
  assert.ok(all.metadata.totals.podGpuAmount > 0); // the pod ran a little in the first hour
  await expect("listPodBilling", 200, { query: { ...range, podId: pod.id } });
  await expect("listServerlessBilling", 200, { query: { lastN: "3", serverlessId: endpoint.id } });
  await expect("listEndpointBilling", 200, { query: { lastN: "2", bucketSize: "month" } });
  await expect("listNetworkVolumeBilling", 200, { query: { networkVolumeId: volume.id } });
  await expect("listClusterBilling", 200, { query: { clusterId: cluster.id, bucketSize: "week" } });

  // Deletes.
  await expect("deleteCluster", 204, { params: { id: cluster.id } });
  await expect("deletePod", 204, { params: { id: pod.id } });
  await expect("deleteEndpoint", 204, { params: { id: endpoint.id } });
  await expect("deleteTemplate", 204, { params: { id: template.id } });
  await expect("deleteNetworkVolume", 204, { params: { id: volume.id } });
  await expect("deleteRegistry", 204, { params: { id: registry.id } });

  assert.deepEqual(
    Object.keys(OPERATIONS).filter((id) => !seen.has(id as OperationId)),
    [],
    "every operation of the spec was called",
  );
});

Deno.test("every route answers 404 problem+json for an id that names nothing", async () => {
  await using t = restSetup({ rest: { requestsPerMinute: 1000 } });
  const bodies: Partial<Record<OperationId, unknown>> = {
    updateEndpoint: { name: "x" },
    updateTemplate: { name: "x" },
    updateNetworkVolume: { name: "x" },
    updatePod: { name: "x" },
    podAction: { action: "stop" },
    updateCluster: { name: "x" },
  };
  let checked = 0;
  for (const [operationId, operation] of Object.entries(OPERATIONS)) {
    if (!operation.path.includes("{id}")) continue;
    const answer = await t.call(operationId as OperationId, {
      params: { id: "nope", workerId: "worker-1" },
      ...(bodies[operationId as OperationId] ? { body: bodies[operationId as OperationId] } : {}),
    });
    assert.equal(answer.status, 404, `${operationId}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.status, 404);
    assert.match(answer.body.detail, /'nope' not found/);
    checked++;
  }
  assert.equal(checked, 27);
});
