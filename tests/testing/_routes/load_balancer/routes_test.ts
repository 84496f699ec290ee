// The emulator's load-balancing endpoints, over raw requests on a FakeClock:
// routing (ID.api.runpod.ai, /lb/ID, ID.localhost), the key, RunPod's
// limits and answers, request-count scaling, cold starts and idle scale-down.
import assert from "node:assert/strict";
import {
  createEmulator,
  type EmulatorEndpoint,
  FakeClock,
  type LoadBalancerEmulatorOptions,
  type LoadBalancerHandler,
} from "../../../../testing.ts";
import { LOAD_BALANCER } from "../../../../src/_runpod_facts.ts";

const AUTH = { authorization: "Bearer test-key" };

/** An emulator with one load-balancing endpoint "lb"; `health` counts the health checks (one per worker started when they answer 200). */
function make(
  endpoint: Omit<EmulatorEndpoint, "id" | "type"> = {},
  options: LoadBalancerEmulatorOptions = {},
  work: LoadBalancerHandler = () => Response.json({ ok: true }),
  autoAdvance = true,
) {
  const clock = new FakeClock({ start: 0, autoAdvance });
  const counts = { health: 0 };
  const emulator = createEmulator({
    clock,
    endpoints: ["queue", { id: "lb", type: "LOAD_BALANCER", ...endpoint }],
    loadBalancer: {
      handler: (request) => {
        if (new URL(request.url).pathname === "/ping") {
          counts.health++;
          return new Response(null, { status: 200 });
        }
        return work(request);
      },
      ...options,
    },
  });
  const send = (path: string, init: RequestInit = {}) =>
    emulator.fetch(`https://lb.api.runpod.ai${path}`, {
      ...init,
      headers: { ...AUTH, ...init.headers as Record<string, string> },
    });
  return {
    clock,
    emulator,
    counts,
    send,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}

/** A handler whose requests last `ms` on the clock. */
function slow(clock: FakeClock, ms: number): LoadBalancerHandler {
  return () =>
    new Promise((resolve) => clock.setTimer(() => resolve(Response.json({ ok: true })), ms));
}

Deno.test("a load-balancing endpoint answers at https://ID.api.runpod.ai, /lb/ID and ID.localhost", async () => {
  await using t = make();
  for (
    const url of [
      "https://lb.api.runpod.ai/x",
      "http://127.0.0.1:9/lb/lb/x",
      "http://lb.localhost:9/x",
    ]
  ) {
    const answer = await t.emulator.fetch(url, { headers: AUTH });
    assert.equal(answer.status, 200, url);
    assert.deepEqual(await answer.json(), { ok: true });
  }
  assert.deepEqual(t.emulator.requests.map((r) => [r.route, r.endpointId]), [
    ["LB GET /x", "lb"],
    ["LB GET /x", "lb"],
    ["LB GET /x", "lb"],
  ]);
});

Deno.test("a load-balancing endpoint's request without the key answers 401 and reaches no worker", async () => {
  let reached = 0;
  await using t = make({}, {}, () => (reached++, Response.json({})));
  const answer = await t.emulator.fetch("https://lb.api.runpod.ai/x");
  assert.equal(answer.status, 401);
  await answer.body?.cancel();
  assert.equal(reached, 0);
});

Deno.test("an unknown load-balancing endpoint answers 404", async () => {
  await using t = make();
  const answer = await t.emulator.fetch("https://nope.api.runpod.ai/x", { headers: AUTH });
  assert.equal(answer.status, 404);
  assert.match((await answer.json()).error, /'nope' not found/);
});

Deno.test("a job-API path on a load-balancing endpoint answers 400 not allowed for QB API", async () => {
  await using t = make();
  const answer = await t.emulator.fetch("https://api.runpod.ai/v2/lb/run", {
    method: "POST",
    headers: AUTH,
    body: JSON.stringify({ input: 1 }),
  });
  assert.equal(answer.status, 400);
  assert.deepEqual(await answer.json(), { error: "not allowed for QB API" });
  // The queue endpoint beside it is untouched.
  const health = await t.emulator.fetch("https://api.runpod.ai/v2/queue/health", { headers: AUTH });
  assert.equal(health.status, 200);
  await health.body?.cancel();
});

Deno.test("a load-balancing endpoint refuses a body over 30 MB with 413 and reaches no worker", async () => {
  let reached = 0;
  await using t = make({}, {}, () => (reached++, Response.json({})));
  const answer = await t.send("/upload", {
    method: "POST",
    body: new Uint8Array(LOAD_BALANCER.bodyLimit + 1),
  });
  assert.equal(answer.status, 413);
  await answer.body?.cancel();
  assert.equal(reached, 0);
});

Deno.test("a load-balancing endpoint passes a body of exactly 30 MB to the worker", async () => {
  let size = -1;
  await using t = make({}, {}, async (request) => {
    size = (await request.arrayBuffer()).byteLength;
    return Response.json({});
  });
  const answer = await t.send("/upload", {
    method: "POST",
    body: new Uint8Array(LOAD_BALANCER.bodyLimit),
  });
  assert.equal(answer.status, 200);
  await answer.body?.cancel();
  assert.equal(size, LOAD_BALANCER.bodyLimit);
});

Deno.test("a load-balancing endpoint refuses a request whose Content-Length declares over 30 MB with 413, by the header alone", async () => {
  let reached = 0;
  await using t = make({}, {}, () => (reached++, Response.json({})));
  const answer = await t.send("/upload", {
    method: "POST",
    body: "x", // one byte: only the header says it is too large
    headers: { "content-length": String(LOAD_BALANCER.bodyLimit + 1) },
  });
  assert.equal(answer.status, 413);
  await answer.body?.cancel();
  assert.equal(reached, 0);
});

Deno.test("a request waits for a worker's cold start: health 204 until ready, then the worker answers", async () => {
  let ready = false;
  const seen: number[] = [];
  const clock = new FakeClock({ start: 0 });
  await using emulator = createEmulator({
    clock,
    endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
    loadBalancer: {
      coldStart: 10_000,
      healthInterval: 2_000,
      handler: (request) => {
        if (new URL(request.url).pathname !== "/ping") return Response.json({ at: clock.now() });
        seen.push(clock.now());
        return new Response(null, { status: ready ? 200 : 204 });
      },
    },
  });
  clock.setTimer(() => (ready = true), 15_000);
  const answer = await emulator.fetch("https://lb.api.runpod.ai/go", { headers: AUTH });
  assert.deepEqual(await answer.json(), { at: 16_000 });
  assert.deepEqual(seen, [10_000, 12_000, 14_000, 16_000]);
  clock.dispose();
});

Deno.test("a request that waited 2 minutes for a worker answers 400 timed out waiting for worker", async () => {
  await using t = make({}, { coldStart: 200_000 });
  const answer = await t.send("/go", { method: "POST", body: "{}" });
  assert.equal(answer.status, 400);
  assert.deepEqual(await answer.json(), {
    status: 400,
    title: "Bad Request",
    detail: "timed out waiting for worker",
  });
  assert.equal(t.clock.now(), LOAD_BALANCER.workerWait);
});

Deno.test("every worker at capacity and workers.max reached: no workers available, at once", async () => {
  await using t = make(
    { workers: { max: 1 }, scaling: { requestCount: 1 } },
    {},
    (request) => slow(t.clock, 60_000)(request),
    false,
  );
  const first = t.send("/slow");
  while (t.emulator.requests.length < 1 || t.counts.health < 1) await t.clock.advance(0);
  await t.clock.advance(1_000); // the one worker is busy with /slow
  const refused = await t.send("/refused");
  assert.equal(refused.status, 503);
  assert.deepEqual(await refused.json(), { error: "no workers available" });
  assert.equal(t.clock.now(), 1_000);
  await t.clock.advance(60_000);
  assert.equal((await first).status, 200);
});

Deno.test("workers.max of 0: no workers available", async () => {
  await using t = make({ workers: { max: 0 } });
  const answer = await t.send("/x");
  assert.equal(answer.status, 503);
  assert.deepEqual(await answer.json(), { error: "no workers available" });
});

Deno.test("request-count scaling starts ceil(requests / requestCount) workers, within workers.max", async () => {
  const clock = new FakeClock({ start: 0, autoAdvance: false });
  let health = 0;
  const started: number[] = [];
  await using emulator = createEmulator({
    clock,
    endpoints: [{
      id: "lb",
      type: "LOAD_BALANCER",
      workers: { max: 3 },
      scaling: { requestCount: 2 },
    }],
    loadBalancer: {
      coldStart: 5_000,
      handler: (request) => {
        if (new URL(request.url).pathname === "/ping") {
          health++;
          return new Response(null, { status: 200 });
        }
        started.push(clock.now());
        return slow(clock, 60_000)(request);
      },
    },
  });
  // 8 requests at once: ceil(8 / 2) = 4 workers wanted, 3 (workers.max) started;
  // 6 run at once, 2 wait for a worker's room.
  const answers = Array.from(
    { length: 8 },
    () => emulator.fetch("https://lb.api.runpod.ai/x", { headers: AUTH }),
  );
  while (emulator.requests.length < 8) await clock.advance(0);
  await clock.advance(5_000);
  assert.equal(health, 3);
  assert.deepEqual(started, Array(6).fill(5_000));
  await clock.advance(60_000);
  assert.deepEqual(started.slice(6), [65_000, 65_000]);
  await clock.advance(60_000);
  const statuses = await Promise.all(answers.map(async (a) => {
    const answer = await a;
    await answer.body?.cancel();
    return answer.status;
  }));
  assert.deepEqual(statuses, Array(8).fill(200));
  assert.equal(health, 3);
  clock.dispose();
});

Deno.test("request-count scaling keeps workers.min: two start at once, and one request starts no third", async () => {
  await using t = make({ workers: { min: 2, max: 3 } }, { coldStart: 1_000 }, undefined, false);
  await t.clock.advance(1_000);
  assert.equal(t.counts.health, 2);
  await (await t.send("/a")).body?.cancel(); // ceil(1 / 4) = 1 worker wanted, fewer than min
  await t.clock.advance(1_000);
  assert.equal(t.counts.health, 2); // one health check per worker started
});

Deno.test("an idle worker is scaled down after idleTimeout; the next request meets a cold start", async () => {
  await using t = make({ workers: { idleTimeout: 5 } }, { coldStart: 1_000 }, undefined, false);
  const call = async (path: string) => {
    const answer = t.send(path);
    while (t.emulator.requests.length === 0 || t.emulator.requests.at(-1)?.path !== path) {
      await t.clock.advance(0);
    }
    await t.clock.advance(1_000); // a cold start, if there is one, ends within it
    await (await answer).body?.cancel();
  };
  await call("/a"); // a cold start: worker 1
  assert.equal(t.counts.health, 1);
  await t.clock.advance(3_000);
  await call("/b"); // 4 s idle, within the idle timeout: the same worker
  assert.equal(t.counts.health, 1);
  await t.clock.advance(6_000);
  await call("/c"); // scaled down: a new worker, a new cold start
  assert.equal(t.counts.health, 2);
});

Deno.test("workers.min keep a worker warm: no cold start even after the idle timeout", async () => {
  await using t = make(
    { workers: { min: 1, idleTimeout: 1 } },
    { coldStart: 30_000 },
    undefined,
    false,
  );
  await t.clock.advance(60_000);
  await (await t.send("/a")).body?.cancel();
  assert.equal(t.clock.now(), 60_000);
  assert.equal(t.counts.health, 1);
});

Deno.test("a request processed for over 5.5 minutes answers 524", async () => {
  const clock = new FakeClock({ start: 0 });
  let aborted = false;
  await using emulator = createEmulator({
    clock,
    endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
    loadBalancer: {
      handler: (request) => {
        if (new URL(request.url).pathname === "/ping") return new Response(null);
        request.signal.addEventListener("abort", () => (aborted = true));
        return new Promise(() => {});
      },
    },
  });
  const answer = await emulator.fetch("https://lb.api.runpod.ai/long", { headers: AUTH });
  assert.equal(answer.status, 524);
  await answer.body?.cancel();
  assert.equal(clock.now(), LOAD_BALANCER.processing);
  assert.equal(aborted, true);
  clock.dispose();
});

Deno.test("a worker's answer that comes after the 5.5-minute cut is discarded, its body cancelled", async () => {
  const clock = new FakeClock({ start: 0 });
  let cancelled = false;
  await using emulator = createEmulator({
    clock,
    endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
    loadBalancer: {
      handler: (request) => {
        if (new URL(request.url).pathname === "/ping") return new Response(null);
        const body = new ReadableStream<Uint8Array>({ cancel: () => void (cancelled = true) });
        return new Promise((resolve) => clock.setTimer(() => resolve(new Response(body)), 400_000));
      },
    },
  });
  const answer = await emulator.fetch("https://lb.api.runpod.ai/late", { headers: AUTH });
  assert.equal(answer.status, 524);
  await answer.body?.cancel();
  assert.equal(cancelled, false);
  await clock.advance(400_000 - LOAD_BALANCER.processing);
  assert.equal(cancelled, true);
  clock.dispose();
});

Deno.test("a worker's handler that throws answers 500; an unreachable worker URL answers 502", async () => {
  await using thrower = make({}, {}, () => {
    throw new Error("boom");
  });
  const answer = await thrower.send("/x");
  assert.equal(answer.status, 500);
  await answer.body?.cancel();
  const clock = new FakeClock({ start: 0 });
  let calls = 0;
  await using proxied = createEmulator({
    clock,
    endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
    loadBalancer: {
      url: "http://127.0.0.1:1",
      fetch: (input) => {
        const url = new URL(input instanceof Request ? input.url : input);
        if (url.pathname === "/ping") return Promise.resolve(new Response(null));
        calls++;
        return Promise.reject(new TypeError("connection refused"));
      },
    },
  });
  const bad = await proxied.fetch("https://lb.api.runpod.ai/x", { headers: AUTH });
  assert.equal(bad.status, 502);
  await bad.body?.cancel();
  assert.equal(calls, 1);
  clock.dispose();
});

Deno.test("the worker gets the request without the API key", async () => {
  let headers: Headers | undefined;
  await using t = make({}, {}, (request) => {
    headers = request.headers;
    return Response.json({});
  });
  await (await t.send("/x", { headers: { "x-mine": "1" } })).body?.cancel();
  assert.equal(headers?.get("authorization"), null);
  assert.equal(headers?.get("x-mine"), "1");
});

Deno.test("an injected fault applies to a load-balancing route like any other", async () => {
  await using t = make();
  t.emulator.inject("/x", { status: 502 });
  const answer = await t.send("/x");
  assert.equal(answer.status, 502);
  await answer.body?.cancel();
  assert.equal(t.emulator.requests[0]?.fault, "status 502");
});

Deno.test("createEmulator refuses a load-balancing endpoint with workers.min over workers.max, or a duplicate id", () => {
  assert.throws(
    () =>
      createEmulator({
        endpoints: [{ id: "a", type: "LOAD_BALANCER", workers: { min: 2, max: 1 } }],
      }),
    RangeError,
  );
  assert.throws(
    () => createEmulator({ endpoints: ["a", { id: "a", type: "LOAD_BALANCER" }] }),
    /exists/,
  );
  assert.throws(() => createEmulator({ loadBalancer: { coldStart: -1 } }), RangeError);
});

Deno.test("createEmulator refuses a misspelt loadBalancer option with a TypeError naming the closest", () => {
  assert.throws(
    () => createEmulator({ loadBalancer: { coldstart: 5 } as never }),
    /unknown option 'coldstart' \(did you mean 'coldStart'\?\)/,
  );
});

Deno.test("a request waiting for a worker when the emulator closes answers 503, not an emulator error", async () => {
  const clock = new FakeClock({ start: 0, autoAdvance: false });
  const emulator = createEmulator({
    clock,
    endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
    loadBalancer: { coldStart: 60_000 },
  });
  const answer = emulator.fetch("https://lb.api.runpod.ai/x", { headers: AUTH });
  while (emulator.countRequests("LB GET /x") === 0) await clock.advance(0);
  await emulator.close();
  const response = await answer;
  assert.equal(response.status, 503);
  assert.match((await response.json()).error, /waited for a worker/);
  clock.dispose();
});
