// The fault table of a load-balancing endpoint's cold-start answers: the
// answers that mean no worker took the request are retried for every method,
// any other answer is the caller's; the invariant under every row: a POST
// reaches the worker at most once.
import assert from "node:assert/strict";
import {
  RunpodApiError,
  RunpodConnectionError,
  TimeoutError,
  WorkerUnavailableError,
} from "../../mod.ts";
import type { Fault } from "../../testing.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { lbSetup } from "./_setup.ts";

/** RunPod's answers when no worker took a request (../shared/runpod-load-balancing.md). */
const NO_WORKER: { name: string; fault: Fault; reason: string }[] = [
  {
    name: '"no workers available" (HTTP 503)',
    fault: { json: { error: "no workers available" }, status: 503 },
    reason: "no-workers",
  },
  {
    name: '"no workers available" (HTTP 400: its status is not documented)',
    fault: { json: { error: "no workers available" }, status: 400 },
    reason: "no-workers",
  },
  {
    name: '400 "timed out waiting for worker"',
    fault: {
      json: { status: 400, title: "Bad Request", detail: "timed out waiting for worker" },
      status: 400,
    },
    reason: "worker-timeout",
  },
  {
    name: "400 worker_timeout (worker pinning)",
    fault: { json: { error: "worker_timeout" }, status: 400 },
    reason: "worker-timeout",
  },
  { name: "502 of the proxy", fault: { status: 502 }, reason: "bad-gateway" },
  { name: "503 of the proxy", fault: { status: 503 }, reason: "unavailable" },
];

const METHODS = ["GET", "POST", "PUT", "DELETE"];

for (const row of NO_WORKER) {
  for (const method of METHODS) {
    Deno.test(`lb.fetch() ${method} retries ${row.name} and reaches the worker once`, async () => {
      await using t = lbSetup();
      t.emulator.inject(`LB ${method} /generate`, row.fault, 2);
      const response = await t.lb.fetch("/generate", {
        method,
        ...(method === "GET" ? {} : { body: '{"prompt":"Hi"}' }),
      });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).method, method);
      assert.equal(t.emulator.countRequests(`LB ${method} /generate`), 3);
      assert.deepEqual(t.reached, [`${method} /generate`]);
    });
  }

  Deno.test(`lb.fetch() rejects with WorkerUnavailableError (${row.reason}) when every try met ${row.name}`, async () => {
    await using t = lbSetup();
    t.emulator.inject("LB POST /generate", row.fault, 10);
    const error = await assertRejects(
      t.lb.fetch("/generate", { method: "POST", body: "{}", maxRetries: 2 }),
      WorkerUnavailableError,
    );
    assert.equal(error.reason, row.reason);
    assert.equal(error.attempts, 3);
    assert.equal(error.endpointId, "lb");
    assert.match(error.message, /reached no worker in 3 tries/);
    assert.match(error.message, /sending it again is safe/);
    assert.match(error.message, row.reason === "bad-gateway" ? /PORT/ : /workers\.(min|max)/);
    assert.deepEqual(t.reached, []);
  });
}

for (const row of NO_WORKER) {
  Deno.test(`lb.json() POST retries ${row.name} and reaches the worker once`, async () => {
    await using t = lbSetup();
    t.emulator.inject("LB POST /generate", row.fault, 2);
    const answer = await t.lb.json<{ method: string; body: string }>("/generate", { prompt: "Hi" });
    assert.deepEqual([answer.method, JSON.parse(answer.body)], ["POST", { prompt: "Hi" }]);
    assert.equal(t.emulator.countRequests("LB POST /generate"), 3);
    assert.deepEqual(t.reached, ["POST /generate"]);
  });
}

/** A worker's own answers: the caller's, never retried for a POST. */
for (const status of [400, 404, 429, 500, 504, 524]) {
  Deno.test(`lb.fetch() hands a worker's own HTTP ${status} to the caller without retrying a POST`, async () => {
    await using t = lbSetup({
      handler: (request) =>
        new URL(request.url).pathname === "/ping"
          ? new Response(null, { status: 200 })
          : Response.json({ error: `worker says ${status}` }, { status }),
    });
    const response = await t.lb.fetch("/generate", { method: "POST", body: "{}" });
    assert.equal(response.status, status);
    assert.deepEqual(await response.json(), { error: `worker says ${status}` });
    assert.deepEqual(t.reached, ["POST /generate"]);
  });

  Deno.test(`lb.json() rejects a worker's own HTTP ${status} with RunpodApiError, sent once`, async () => {
    await using t = lbSetup({
      handler: (request) =>
        new URL(request.url).pathname === "/ping"
          ? new Response(null, { status: 200 })
          : Response.json({ error: `worker says ${status}` }, { status }),
    });
    const error = await assertRejects(t.lb.json("/generate", { prompt: "Hi" }), RunpodApiError);
    assert.equal(error.status, status);
    assert.ok(!(error instanceof WorkerUnavailableError));
    assert.match(error.message, new RegExp(`^POST /generate failed with HTTP ${status}`));
    assert.deepEqual(t.reached, ["POST /generate"]);
  });
}

Deno.test("lb.fetch() does not resend a POST whose connection dropped before an answer", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB POST /generate", { drop: true });
  const error = await assertRejects(
    t.lb.fetch("/generate", { method: "POST", body: "{}" }),
    RunpodConnectionError,
    /may or may not have processed it/,
  );
  assert.ok(error);
  assert.equal(t.emulator.countRequests("LB POST /generate"), 1);
  assert.deepEqual(t.reached, []);
});

Deno.test("lb.fetch() does not resend a POST whose answer was lost after the worker processed it", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB POST /generate", { drop: true, when: "after" });
  await assertRejects(
    t.lb.fetch("/generate", { method: "POST", body: "{}" }),
    RunpodConnectionError,
  );
  assert.deepEqual(t.reached, ["POST /generate"]);
});

Deno.test("lb.fetch() resends a GET whose connection dropped", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB GET /items", { drop: true });
  const response = await t.lb.fetch("/items");
  assert.equal(response.status, 200);
  await response.body?.cancel();
  assert.equal(t.emulator.countRequests("LB GET /items"), 2);
});

Deno.test("lb.fetch() backs off between cold-start retries, growing, within the call's deadline", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB POST /generate", { status: 503 }, 4);
  const response = await t.lb.fetch("/generate", { method: "POST", body: "{}" });
  await response.body?.cancel();
  const at = t.emulator.requests.map((r) => r.at);
  const gaps = at.slice(1).map((v, i) => v - at[i]!);
  assert.equal(gaps.length, 4);
  for (const [i, gap] of gaps.entries()) {
    const ceiling = Math.min(8_000, 500 * 2 ** i);
    assert.ok(gap >= ceiling / 2 && gap <= ceiling, `gap ${i} was ${gap} ms`);
  }
});

Deno.test("lb.fetch() gives up with WorkerUnavailableError when the next backoff would pass its timeout", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB POST /generate", { status: 503 }, 100);
  const error = await assertRejects(
    t.lb.fetch("/generate", { method: "POST", body: "{}", timeout: 3_000 }),
    WorkerUnavailableError,
  );
  assert.equal(error.reason, "unavailable");
  assert.ok(t.clock.now() <= 3_000);
});

Deno.test("lb.fetch() honours a Retry-After on a no-worker answer", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB POST /generate", { status: 503, retryAfter: "7" });
  const response = await t.lb.fetch("/generate", { method: "POST", body: "{}" });
  await response.body?.cancel();
  const [first, second] = t.emulator.requests.map((r) => r.at);
  assert.equal(second! - first!, 7_000);
});

Deno.test("lb.fetch() waits its own backoff, not a Retry-After over 60 s, before resending a no-worker answer", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB POST /generate", { status: 503, retryAfter: "120" });
  const response = await t.lb.fetch("/generate", { method: "POST", body: "{}" });
  assert.equal(response.status, 200);
  await response.body?.cancel();
  const [first, second] = t.emulator.requests.map((r) => r.at);
  const gap = second! - first!;
  assert.ok(gap >= 250 && gap <= 500, `the first backoff is 250 to 500 ms, was ${gap} ms`);
  assert.deepEqual(t.reached, ["POST /generate"]);
});

Deno.test("lb.fetch() with maxRetries: 0 sends once", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB GET /items", { status: 502 });
  const error = await assertRejects(
    t.lb.fetch("/items", { maxRetries: 0 }),
    WorkerUnavailableError,
  );
  assert.equal(error.attempts, 1);
  assert.match(error.message, /in 1 try:/);
  assert.equal(t.emulator.countRequests("LB GET /items"), 1);
});

Deno.test("lb.fetch() sends a stream body once: it cannot be read twice", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB POST /upload", { status: 503 });
  const body = new Blob(["chunk"]).stream();
  await assertRejects(
    t.lb.fetch("/upload", { method: "POST", body }),
    WorkerUnavailableError,
  );
  assert.equal(t.emulator.countRequests("LB POST /upload"), 1);
});

Deno.test("lb.fetch() rejects with TimeoutError naming the cold start when the worker is slower than its timeout", async () => {
  await using t = lbSetup({ emulator: { coldStart: 60_000 } });
  const error = await assertRejects(
    t.lb.fetch("/generate", { method: "POST", body: "{}", timeout: 10_000 }),
    TimeoutError,
  );
  assert.equal(error.timeout, 10_000);
  assert.match(error.message, /load-balancing endpoint 'lb' timed out after 10000 ms/);
  assert.match(error.message, /workers\.min/);
  assert.doesNotMatch(error.message, /status\(\)/);
  assert.equal(t.clock.now(), 10_000);
  assert.deepEqual(t.reached, []);
});

Deno.test("lb.fetch() rides out a real cold start: RunPod holds the request until the worker is healthy", async () => {
  let healthy = false;
  await using t = lbSetup({
    emulator: { coldStart: 30_000 },
    handler: (request) => {
      if (new URL(request.url).pathname === "/ping") {
        return new Response(null, { status: healthy ? 200 : 204 });
      }
      return Response.json({ ok: true });
    },
  });
  t.clock.setTimer(() => (healthy = true), 45_000);
  const response = await t.lb.fetch("/generate", { method: "POST", body: "{}" });
  assert.deepEqual(await response.json(), { ok: true });
  assert.equal(t.emulator.countRequests("LB POST /generate"), 1);
  assert.ok(t.clock.now() >= 45_000 && t.clock.now() <= 46_000, `${t.clock.now()}`);
});

Deno.test("lb.fetch() retries RunPod's 400 after 2 minutes of cold start, then reaches the worker once", async () => {
  await using t = lbSetup({ emulator: { coldStart: 150_000 } });
  const response = await t.lb.fetch("/generate", { method: "POST", body: "{}" });
  assert.equal(response.status, 200);
  await response.body?.cancel();
  assert.deepEqual(t.emulator.requests.map((r) => r.status), [400, 200]);
  assert.deepEqual(t.reached, ["POST /generate"]);
});

Deno.test("lb.fetch() hands on a worker's streamed error answer (text/event-stream) at once, unread", async () => {
  let push: ((text: string | null) => void) | undefined;
  await using t = lbSetup({
    handler: (request) => {
      if (new URL(request.url).pathname === "/ping") return new Response(null);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) =>
            text === null ? controller.close() : controller.enqueue(new TextEncoder().encode(text));
        },
      });
      return new Response(body, { status: 503, headers: { "content-type": "text/event-stream" } });
    },
  });
  const response = await t.lb.fetch("/events", { method: "POST", body: "{}" });
  assert.equal(response.status, 503); // the worker's own stream: not taken for the proxy's 503
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  push!("data: no workers available here\n\n");
  assert.equal((await reader.read()).value, "data: no workers available here\n\n");
  push!(null);
  assert.equal((await reader.read()).done, true);
  assert.deepEqual(t.reached, ["POST /events"]);
});

Deno.test("lb.fetch() rejects with RunpodConnectionError when an error answer is cut off, without resending a POST", async () => {
  await using t = lbSetup({
    handler: (request) =>
      new URL(request.url).pathname === "/ping"
        ? new Response(null)
        : Response.json({ error: "x".repeat(100) }, { status: 500 }),
  });
  t.emulator.inject("LB POST /generate", { truncate: true });
  await assertRejects(
    t.lb.fetch("/generate", { method: "POST", body: "{}" }),
    RunpodConnectionError,
    /cut off.*may or may not have processed it/,
  );
  assert.deepEqual(t.reached, ["POST /generate"]);
});
