// What RunPod accepts, the emulator accepts: the bare API key, a body without
// `input`, a webhook that is not a URL. It refuses only what RunPod documents
// as out of range (policy, wait) or what cannot be decoded as RunPod's types.
import assert from "node:assert/strict";
import { RunpodApiError } from "../../../mod.ts";
import { MISSING_INPUT_ERROR } from "../../../src/testing/_jobs.ts";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { assertRejects } from "../../_helpers/assert_rejects.ts";
import { client } from "../../_helpers/raw_client.ts";
import { setup } from "../../_helpers/setup.ts";

Deno.test("the bare API key is accepted, as RunPod's own cURL examples send it", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const url = `${emulator.baseUrl}/test-endpoint/health`;
  for (const authorization of ["test-key", "Bearer test-key", "bearer test-key"]) {
    const answer = await emulator.fetch(url, { headers: { authorization } });
    assert.equal(answer.status, 200, authorization);
    await answer.body?.cancel();
  }
  for (const authorization of ["wrong-key", "Bearer wrong-key", "Basic test-key", ""]) {
    const answer = await emulator.fetch(url, { headers: { authorization } });
    assert.equal(answer.status, 401, authorization);
    await answer.body?.cancel();
  }
  assert.equal(emulator.requests[0]!.headers.authorization, "[redacted]");
});

Deno.test("served over HTTP, the bare key is accepted too", async () => {
  await using emulator = createEmulator();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const base = `http://127.0.0.1:${server.addr.port}/v2/test-endpoint`;
    const answer = await fetch(`${base}/runsync`, {
      method: "POST",
      headers: { authorization: "test-key", "content-type": "application/json" },
      body: JSON.stringify({ input: "bare" }),
    });
    assert.equal(answer.status, 200);
    assert.equal((await answer.json()).output, "bare");
  } finally {
    await emulator.close();
    await server.shutdown();
  }
});

Deno.test("the client, which sends Bearer, is accepted; a wrong key gets a RunpodApiError 401", async () => {
  await using s = setup();
  assert.equal((await s.endpoint.runSync({ input: 1 })).status, "COMPLETED");
  await using wrong = setup({ apiKey: "another-key" });
  const error = await assertRejects(wrong.endpoint.health(), RunpodApiError);
  assert.equal(error.status, 401);
});

Deno.test("a body without input is queued, then FAILED by the worker as RunPod reports it", async () => {
  using clock = new FakeClock();
  let ran = 0;
  await using emulator = createEmulator({ clock, worker: () => ran++ });
  const api = client(emulator);
  const queued = await api.post("/run", { policy: { ttl: 60_000 } });
  assert.equal(queued.status, 200);
  assert.deepEqual(queued.body, { id: queued.body.id, status: "IN_QUEUE" });
  await clock.advance(0);
  const job = (await api.get(`/status/${queued.body.id}`)).body;
  assert.equal(job.status, "FAILED");
  assert.equal(job.error, MISSING_INPUT_ERROR);
  assert.equal(ran, 0); // the handler never sees it
  const sync = (await api.post("/runsync", {})).body;
  assert.deepEqual([sync.status, sync.error], ["FAILED", MISSING_INPUT_ERROR]);
});

Deno.test("a webhook that is not a URL is accepted; its delivery fails and is retried as any other", async () => {
  using clock = new FakeClock();
  const tried: string[] = [];
  await using emulator = createEmulator({
    clock,
    webhookFetch: (input) => {
      tried.push(String(input));
      return Promise.reject(new TypeError("Invalid URL"));
    },
  });
  const api = client(emulator);
  const job = (await api.post("/runsync", { input: 1, webhook: "not a url" })).body;
  assert.equal(job.status, "COMPLETED");
  await clock.advance(30_000);
  assert.deepEqual(tried, ["not a url", "not a url", "not a url"]);
  assert.equal(emulator.webhooks[0]!.error, "Invalid URL");
});

Deno.test("only what RunPod documents as out of range, or cannot decode, answers 400", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  const refused: [string, unknown][] = [
    ["/run", { input: 1, policy: { executionTimeout: 4_999 } }], // documented: 5 s to 7 days
    ["/run", { input: 1, policy: { ttl: 9_999 } }], // documented: 10 s to 7 days
    ["/run", { input: 1, policy: { ttl: 7 * 86_400_000 + 1 } }],
    ["/run", { input: 1, policy: { executionTimeout: "10s" } }], // not a number
    ["/run", { input: 1, policy: { lowPriority: "yes" } }], // not a boolean
    ["/run", { input: 1, webhook: 42 }], // not a string
    ["/runsync?wait=999", { input: 1 }], // documented: 1000 to 300000 ms
    ["/runsync?wait=300001", { input: 1 }],
  ];
  for (const [path, body] of refused) {
    assert.equal((await api.post(path, body)).status, 400, `${path} ${JSON.stringify(body)}`);
  }
  assert.equal(emulator.jobs.length, 0);
  const accepted: [string, unknown][] = [
    ["/run", { input: 1, policy: { executionTimeout: 5_000, ttl: 10_000, lowPriority: true } }],
    ["/run", { input: 1, webhook: "ftp://somewhere" }],
    ["/run", { input: 1, s3Config: { bucketName: "b" }, extra: "ignored" }],
    ["/runsync?wait=1000", { input: 1 }],
  ];
  for (const [path, body] of accepted) {
    assert.equal((await api.post(path, body)).status, 200, `${path} ${JSON.stringify(body)}`);
  }
});
