import assert from "node:assert/strict";
import { createEmulator } from "../../../testing.ts";

Deno.test("served on a port, one handler answers the job API at /v2 and the management API at /rest/v2", async () => {
  await using emulator = createEmulator();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const headers = { authorization: "Bearer test-key", "content-type": "application/json" };
    const created = await fetch(`${origin}/rest/v2/serverless`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        name: "served",
        type: "QUEUE",
        image: "me/worker:1",
        cpu: [{ id: "cpu3c", vcpuCount: 2 }],
        scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
      }),
    });
    assert.equal(created.status, 201);
    const endpoint = await created.json();
    assert.equal(endpoint.requestUrls.runSync, `${origin}/v2/${endpoint.id}/runsync`);
    assert.deepEqual(endpoint.cpu, [{ id: "cpu3c", vcpuCount: 2, memory: 4 }]);
    const job = await fetch(endpoint.requestUrls.runSync, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: "over HTTP" }),
    });
    assert.equal((await job.json()).output, "over HTTP");
    const deleted = await fetch(`${origin}/rest/v2/serverless/${endpoint.id}`, {
      method: "DELETE",
      headers,
    });
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), "");
  } finally {
    await server.shutdown();
  }
});

Deno.test("served, a client can drop a log stream mid-way and the server shuts down cleanly", async () => {
  await using emulator = createEmulator({ rest: { requestsPerMinute: 1000 } });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const origin = `http://127.0.0.1:${server.addr.port}`;
    const headers = { authorization: "Bearer test-key", "content-type": "application/json" };
    const created = await fetch(`${origin}/rest/v2/pods`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "p", image: "me/p:1", cpu: { id: "cpu3c", vcpuCount: 2 } }),
    });
    const pod = await created.json();
    const controller = new AbortController();
    const logs = await fetch(`${origin}/rest/v2/pods/${pod.id}/logs`, {
      headers,
      signal: controller.signal,
    });
    assert.equal(logs.headers.get("content-type"), "text/event-stream");
    const reader = logs.body!.pipeThrough(new TextDecoderStream()).getReader();
    assert.match((await reader.read()).value ?? "", /^id: .*\/\d{12}\ndata: \{"source":"system"/);
    controller.abort();
    await reader.read().catch(() => {});
  } finally {
    await server.shutdown();
  }
});
