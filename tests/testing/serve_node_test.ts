import assert from "node:assert/strict";
import { realClock } from "../../src/clock.ts";
import { serveNode } from "../../src/testing/serve_node.ts";
import { createEmulator } from "../../testing.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";

Deno.test("the emulator served with Deno.serve answers over real HTTP on 127.0.0.1", async () => {
  await using emulator = createEmulator({
    clock: realClock,
    returnAggregateStream: true,
    worker: async function* (job) {
      yield "first";
      await job.sleep(5);
      yield "second";
    },
  });
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    // Deno.serve reports an answer body that fails (the drop and truncate faults) here.
    onError: () => new Response(null, { status: 500 }),
  }, emulator.handler);
  try {
    const base = `http://127.0.0.1:${server.addr.port}/v2/test-endpoint`;
    const headers = { authorization: "Bearer test-key", "content-type": "application/json" };
    const sync = await fetch(`${base}/runsync?wait=5000`, {
      method: "POST",
      headers,
      body: JSON.stringify({ input: 1 }),
    });
    assert.equal(sync.status, 200);
    assert.equal(sync.headers.get("access-control-allow-origin"), "*");
    const job = await sync.json();
    assert.equal(job.status, "COMPLETED");
    assert.deepEqual(job.output, ["first", "second"]);
    assert.deepEqual(await (await fetch(`${base}/stream/${job.id}`, { headers })).json(), {
      id: job.id,
      delayTime: job.delayTime,
      status: "COMPLETED",
      stream: [{ output: "first" }, { output: "second" }],
    });
    const unauthorized = await fetch(`${base}/health`);
    assert.equal(unauthorized.status, 401);
    await unauthorized.body?.cancel();

    // Deno.serve cannot close a connection before the head: the body fails instead.
    emulator.inject("GET /health", { drop: true });
    const dropped = await fetch(`${base}/health`, { headers });
    await assertRejects(dropped.text(), TypeError);
    emulator.inject("GET /health", { truncate: true });
    const truncated = await fetch(`${base}/health`, { headers });
    await assertRejects(truncated.text(), TypeError);
    assert.equal(emulator.requests.at(-2)!.status, 0);
  } finally {
    await server.shutdown();
  }
});

Deno.test("the emulator served with node:http destroys the socket for a drop fault", async () => {
  await using emulator = createEmulator({ clock: realClock });
  await using server = await serveNode(emulator.handler);
  const base = `${server.url}/v2/test-endpoint`;
  const headers = { authorization: "Bearer test-key" };
  const run = () =>
    fetch(`${base}/run`, { method: "POST", headers, body: JSON.stringify({ input: "node" }) });
  // First, on a fresh connection: a client may resend a request lost on a reused one.
  emulator.inject("POST /run", { drop: true });
  await assertRejects(run(), TypeError);
  assert.equal(emulator.jobs.length, 0);
  const answer = await run();
  assert.equal(answer.status, 200);
  const { id } = await answer.json();
  const status = await fetch(`${base}/status/${id}`, { headers });
  assert.equal(status.status, 200);
  assert.equal((await status.json()).id, id);
});
