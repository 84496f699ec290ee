// Load-balancing endpoints created with the management API are served; the
// emulator served over real loopback HTTP answers them at /lb/ID, streaming,
// and forwards to an external worker's server given as a URL.
import assert from "node:assert/strict";
import runpodSdk, { WorkerUnavailableError } from "../../../../mod.ts";
import type { CreateEndpointRequest } from "../../../../rest.ts";
import { createEmulator, FakeClock } from "../../../../testing.ts";
import { assertRejects } from "../../../_helpers/assert_rejects.ts";

const LB_BODY: CreateEndpointRequest = {
  name: "llm",
  type: "LOAD_BALANCER",
  image: "me/llm:1",
  gpu: { pools: ["ADA_24"] },
  workers: { min: 0, max: 2, idleTimeout: 5 },
  scaling: { type: "REQUEST_COUNT", requestCount: 2 },
};

Deno.test("an endpoint created with type LOAD_BALANCER is served at its requestUrls.base, until deleted", async () => {
  using clock = new FakeClock({ start: 0 });
  await using emulator = createEmulator({ clock, endpoints: [] });
  const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch, clock });
  const endpoint = await runpod.endpoints.create(LB_BODY);
  assert.equal(endpoint.type, "LOAD_BALANCER");
  assert.deepEqual(endpoint.requestUrls, {
    base: `https://${endpoint.id}.api.runpod.ai`,
    health: `https://${endpoint.id}.api.runpod.ai/ping`,
  });
  const lb = runpod.loadBalancer(endpoint);
  assert.equal(lb.url, endpoint.requestUrls?.base);
  const echo = await lb.json<{ body: unknown }>("/generate", { prompt: "Hi" });
  assert.deepEqual(echo.body, { prompt: "Hi" });
  await runpod.endpoints.update(endpoint.id, { workers: { max: 0 } });
  const error = await assertRejects(
    lb.fetch("/generate", { maxRetries: 1 }),
    WorkerUnavailableError,
  );
  assert.equal(error.reason, "no-workers");
  await runpod.endpoints.delete(endpoint.id);
  assert.equal((await lb.fetch("/generate")).status, 404);
});

Deno.test("a LOAD_BALANCER endpoint given to createEmulator shows in the management API with its scaling", async () => {
  await using emulator = createEmulator({
    endpoints: [{
      id: "llm",
      type: "LOAD_BALANCER",
      workers: { max: 4, min: 1, idleTimeout: 30 },
      scaling: { requestCount: 8 },
    }],
  });
  const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
  const endpoint = await runpod.endpoints.get("llm");
  assert.equal(endpoint.type, "LOAD_BALANCER");
  assert.deepEqual(endpoint.workers, { min: 1, max: 4, idleTimeout: 30 });
  assert.deepEqual(endpoint.scaling, { type: "REQUEST_COUNT", requestCount: 8 });
});

Deno.test("the management API refuses a LOAD_BALANCER endpoint that does not scale by REQUEST_COUNT", async () => {
  await using emulator = createEmulator({ endpoints: [] });
  const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
  await assertRejects(
    runpod.endpoints.create({ ...LB_BODY, scaling: { type: "QUEUE_DELAY", queueDelay: 4 } }),
    Error,
    /REQUEST_COUNT/,
  );
});

Deno.test("the emulator served on loopback answers a load-balancing endpoint at /lb/ID, streaming as the worker writes", async () => {
  let push: ((text: string | null) => void) | undefined;
  const encoder = new TextEncoder();
  await using emulator = createEmulator({
    endpoints: [{ id: "llm", type: "LOAD_BALANCER" }],
    loadBalancer: {
      handler: (request) => {
        if (new URL(request.url).pathname === "/ping") return new Response(null);
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            push = (text) =>
              text === null ? controller.close() : controller.enqueue(encoder.encode(text));
          },
        });
        return new Response(body, { headers: { "content-type": "text/event-stream" } });
      },
    },
  });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    emulator.handler,
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const lb = runpodSdk("test-key", { loadBalancerUrl: `${origin}/lb/{endpointId}` })
    .loadBalancer("llm");
  const response = await lb.fetch("/v1/chat/completions", { method: "POST", body: "{}" });
  assert.equal(response.headers.get("content-type"), "text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  push!("data: one\n\n");
  assert.equal((await reader.read()).value, "data: one\n\n");
  push!("data: two\n\n");
  assert.equal((await reader.read()).value, "data: two\n\n");
  push!(null);
  assert.equal((await reader.read()).done, true);
});

Deno.test("the emulator forwards a load-balancing endpoint's requests to a worker's server at a URL, health included", async () => {
  const seen: string[] = [];
  await using worker = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      const path = new URL(request.url).pathname;
      seen.push(`${request.method} ${path}`);
      return path === "/ping" ? new Response(null) : Response.json({ path });
    },
  );
  await using emulator = createEmulator({
    endpoints: [{ id: "llm", type: "LOAD_BALANCER" }],
    loadBalancer: { url: `http://127.0.0.1:${worker.addr.port}` },
  });
  const lb = runpodSdk("test-key", { fetch: emulator.fetch }).loadBalancer("llm");
  assert.deepEqual(await lb.json("/generate", { a: 1 }), { path: "/generate" });
  assert.deepEqual(seen, ["GET /ping", "POST /generate"]);
});
