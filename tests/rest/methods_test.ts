// Every method of the management client sends the route of its operation in
// the spec, with its body and query, and every operation of the spec has a method.
import assert from "node:assert/strict";
import { type OperationId, OPERATIONS } from "../../src/rest/_operations.gen.ts";
import type { RunpodSdk } from "../../mod.ts";
import { json, stub } from "./_stub.ts";

const endpointBody = {
  name: "sd",
  type: "QUEUE",
  image: "me/sd:1",
  scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
} as const;

/** Each method, the operation it must send, and the answer the stub gives. */
const CASES: [string, OperationId, (r: RunpodSdk) => Promise<unknown>, unknown?][] = [
  ["endpoints.list", "listEndpoints", (r) => r.endpoints.list(), { endpoints: [] }],
  ["endpoints.get", "getEndpoint", (r) => r.endpoints.get("ep1")],
  ["endpoints.create", "createEndpoint", (r) => r.endpoints.create(endpointBody)],
  ["endpoints.update", "updateEndpoint", (r) => r.endpoints.update("ep1", { workers: { max: 5 } })],
  ["endpoints.delete", "deleteEndpoint", (r) => r.endpoints.delete("ep1")],
  ["endpoints.workers", "listEndpointWorkers", (r) => r.endpoints.workers("ep1")],
  ["endpoints.releases", "listEndpointReleases", (r) => r.endpoints.releases("ep1")],
  ["templates.list", "listTemplates", (r) => r.templates.list(), { templates: [] }],
  ["templates.get", "getTemplate", (r) => r.templates.get("t1")],
  ["templates.create", "createTemplate", (r) => r.templates.create({ name: "t", image: "i" })],
  ["templates.update", "updateTemplate", (r) => r.templates.update("t1", { name: "u" })],
  ["templates.delete", "deleteTemplate", (r) => r.templates.delete("t1")],
  ["networkVolumes.list", "listNetworkVolumes", (r) => r.networkVolumes.list(), {
    networkVolumes: [],
  }],
  ["networkVolumes.get", "getNetworkVolume", (r) => r.networkVolumes.get("v1")],
  [
    "networkVolumes.create",
    "createNetworkVolume",
    (r) => r.networkVolumes.create({ name: "v", size: 10, dataCenter: "EU-RO-1" }),
  ],
  [
    "networkVolumes.update",
    "updateNetworkVolume",
    (r) => r.networkVolumes.update("v1", { size: 20 }),
  ],
  ["networkVolumes.delete", "deleteNetworkVolume", (r) => r.networkVolumes.delete("v1")],
  ["registries.list", "listRegistries", (r) => r.registries.list(), { registries: [] }],
  ["registries.get", "getRegistry", (r) => r.registries.get("r1")],
  [
    "registries.create",
    "createRegistry",
    (r) => r.registries.create({ name: "hub", username: "me", password: "secret" }),
  ],
  ["registries.delete", "deleteRegistry", (r) => r.registries.delete("r1")],
  ["registries.delegations", "listDelegations", (r) => r.registries.delegations(), {
    delegations: [],
  }],
  [
    "registries.delegate",
    "createDelegation",
    (r) => r.registries.delegate({ resource: "arn:aws:ecr:us-east-1:1:repository/w" }),
  ],
  ["registries.revokeDelegation", "revokeDelegation", (r) => r.registries.revokeDelegation("d1")],
  ["pods.list", "listPods", (r) => r.pods.list({ includeClusterPods: true }), { pods: [] }],
  ["pods.get", "getPod", (r) => r.pods.get("p1")],
  [
    "pods.create",
    "createPod",
    (r) => r.pods.create({ name: "p", image: "i", gpu: { id: "NVIDIA RTX A5000" } }),
  ],
  ["pods.update", "updatePod", (r) => r.pods.update("p1", { locked: true })],
  ["pods.delete", "deletePod", (r) => r.pods.delete("p1")],
  ["pods.start", "podAction", (r) => r.pods.start("p1")],
  ["pods.stop", "podAction", (r) => r.pods.stop("p1")],
  ["pods.restart", "podAction", (r) => r.pods.restart("p1")],
  ["pods.terminate", "podAction", (r) => r.pods.terminate("p1")],
  ["clusters.list", "listClusters", (r) => r.clusters.list(), { clusters: [] }],
  ["clusters.get", "getCluster", (r) => r.clusters.get("c1")],
  ["clusters.create", "createCluster", (r) =>
    r.clusters.create({
      name: "c",
      type: "TRAINING",
      compute: { gpuTypeId: "H100", gpuCountPerPod: 8, podCount: 2 },
    })],
  ["clusters.update", "updateCluster", (r) => r.clusters.update("c1", { name: "d" })],
  ["clusters.delete", "deleteCluster", (r) => r.clusters.delete("c1")],
  ["clusters.pods", "listClusterPods", (r) => r.clusters.pods("c1"), { pods: [] }],
  ["catalog.gpus", "listGpuTypes", (r) => r.catalog.gpus({ include: ["AVAILABILITY"] }), {
    gpus: [],
  }],
  ["catalog.gpu", "getGpuType", (r) => r.catalog.gpu("NVIDIA RTX 4090")],
  ["catalog.cpus", "listCpuTypes", (r) => r.catalog.cpus(), { cpus: [] }],
  ["catalog.cpu", "getCpuType", (r) => r.catalog.cpu("cpu3c")],
  ["catalog.dataCenters", "listDataCenters", (r) => r.catalog.dataCenters(), { dataCenters: [] }],
  ["catalog.dataCenter", "getDataCenter", (r) => r.catalog.dataCenter("EU-RO-1")],
  ["catalog.templates", "listPublicTemplates", (r) => r.catalog.templates({ source: "official" }), {
    templates: [],
  }],
  ["billing.all", "listBilling", (r) => r.billing.all({ lastN: 7 })],
  ["billing.pods", "listPodBilling", (r) => r.billing.pods({ podId: "p1" })],
  [
    "billing.serverless",
    "listServerlessBilling",
    (r) => r.billing.serverless({ serverlessId: "e" }),
  ],
  ["billing.endpoints", "listEndpointBilling", (r) => r.billing.endpoints()],
  [
    "billing.networkVolumes",
    "listNetworkVolumeBilling",
    (r) => r.billing.networkVolumes({ networkVolumeId: "v1" }),
  ],
  ["billing.clusters", "listClusterBilling", (r) => r.billing.clusters({ clusterId: "c1" })],
  ["sshKeys.list", "getSshKeys", (r) => r.sshKeys.list(), { keys: [] }],
  ["sshKeys.set", "updateSshKeys", (r) => r.sshKeys.set(["ssh-ed25519 AAAA me@x"]), { keys: [] }],
];
const STREAMS: [string, OperationId, (r: RunpodSdk) => AsyncGenerator<unknown>][] = [
  ["endpoints.logs", "getWorkerLogs", (r) => r.endpoints.logs("ep1", "w1")],
  ["pods.logs", "getPodLogs", (r) => r.pods.logs("p1")],
];

function pathOf(op: OperationId): RegExp {
  return new RegExp(`^${OPERATIONS[op].path.replace(/\{\w+\}/g, "[^/]+")}$`);
}

Deno.test("every operation of the spec has a method of the management client", () => {
  const covered = new Set([...CASES, ...STREAMS].map(([, op]) => op));
  assert.deepEqual(Object.keys(OPERATIONS).filter((op) => !covered.has(op as OperationId)), []);
});

for (const [name, op, call, answer] of CASES) {
  Deno.test(`${name}() sends ${OPERATIONS[op].method} ${OPERATIONS[op].path} with the key`, async () => {
    const ok: readonly number[] = OPERATIONS[op].ok;
    using s = stub(() =>
      ok.includes(204) && !ok.includes(200)
        ? new Response(null, { status: 204 })
        : json(answer ?? { id: "x" }, ok[0])
    );
    await call(s.runpod);
    assert.equal(s.calls.length, 1);
    const [sent] = s.calls;
    assert.equal(sent!.method, OPERATIONS[op].method);
    assert.match(sent!.url.pathname.replace(/^\/v2/, ""), pathOf(op));
    assert.equal(sent!.url.origin, "https://rest.example");
    assert.equal(sent!.headers.get("authorization"), "Bearer test-key");
    assert.equal(sent!.body !== undefined, OPERATIONS[op].body);
    for (const key of sent!.url.searchParams.keys()) {
      assert.ok((OPERATIONS[op] as { query?: readonly string[] }).query?.includes(key), key);
    }
  });
}

for (const [name, op, call] of STREAMS) {
  Deno.test(`${name}() reads ${OPERATIONS[op].path} as an event stream`, async () => {
    using s = stub(() => new Response("", { headers: { "content-type": "text/event-stream" } }));
    for await (const _ of call(s.runpod)) { /* no lines */ }
    assert.match(s.calls[0]!.url.pathname.replace(/^\/v2/, ""), pathOf(op));
    assert.equal(s.calls[0]!.headers.get("accept"), "text/event-stream, application/problem+json");
  });
}

Deno.test("pod actions send their action in the body", async () => {
  using s = stub(() => new Response(null, { status: 204 }));
  await s.runpod.pods.start("p1");
  await s.runpod.pods.stop("p1");
  await s.runpod.pods.restart("p1");
  await s.runpod.pods.terminate("p1");
  assert.deepEqual(s.calls.map((c) => c.body), [
    { action: "start" },
    { action: "stop" },
    { action: "restart" },
    { action: "terminate" },
  ]);
});

Deno.test("query options are sent comma-separated, dates as RFC 3339, call options not at all", async () => {
  using s = stub(() => json({ gpus: [], records: [], metadata: {} }));
  await s.runpod.catalog.gpus({ product: ["POD", "SERVERLESS"], count: 2, timeout: 5000 });
  await s.runpod.billing.pods({
    startTime: new Date(Date.UTC(2026, 4, 1)),
    endTime: "2026-06-01T00:00:00Z",
    bucketSize: "week",
  });
  assert.deepEqual(Object.fromEntries(s.calls[0]!.url.searchParams), {
    count: "2",
    product: "POD,SERVERLESS",
  });
  assert.deepEqual(Object.fromEntries(s.calls[1]!.url.searchParams), {
    startTime: "2026-05-01T00:00:00.000Z",
    endTime: "2026-06-01T00:00:00Z",
    bucketSize: "week",
  });
});

Deno.test("runpod.endpoint() takes an endpoint object from runpod.endpoints", async () => {
  using s = stub(() => json({ endpoints: [{ id: "ep-9", name: "sd" }] }));
  const [first] = await s.runpod.endpoints.list();
  assert.equal(s.runpod.endpoint(first!).id, "ep-9");
});

Deno.test("restUrl defaults to RunPod's REST v2 and refuses plain http off loopback", async () => {
  const { runpodSdk } = await import("../../mod.ts");
  assert.equal(runpodSdk("k").restUrl, "https://api.runpod.io/v2");
  assert.throws(() => runpodSdk("k", { restUrl: "http://example.com/v2" }), /restUrl/);
  assert.equal(
    runpodSdk("k", { restUrl: "http://127.0.0.1:8080/v2/" }).restUrl,
    "http://127.0.0.1:8080/v2",
  );
});

Deno.test("runpod.endpoints is one object per client, and awaiting it does not hang", async () => {
  using s = stub(() => json({ endpoints: [] }));
  assert.equal(s.runpod.endpoints, s.runpod.endpoints);
  assert.equal(s.runpod.endpoints.list, s.runpod.endpoints.list);
  assert.equal(await s.runpod.endpoints, s.runpod.endpoints);
  assert.deepEqual(await s.runpod.endpoints.list(), []);
});
