// runpod.loadBalancer(id): fetch passes the worker's answer through (streamed,
// closed by an abort), json sends and reads JSON, ready waits for a 200 of
// the health path; arguments are checked before any request, the key goes
// only to the endpoint's origin.
import assert from "node:assert/strict";
import runpodSdk, { LoadBalancer, RunpodError, TimeoutError } from "../../mod.ts";
import { LOAD_BALANCER } from "../../src/_runpod_facts.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { lbSetup, okWorker } from "./_setup.ts";

Deno.test("loadBalancer() makes the URL https://ID.api.runpod.ai, or the client's loadBalancerUrl", () => {
  assert.equal(runpodSdk("k").loadBalancer("abc").url, "https://abc.api.runpod.ai");
  assert.equal(runpodSdk("k").loadBalancer({ id: "abc" }).id, "abc");
  const local = runpodSdk("k", { loadBalancerUrl: "http://127.0.0.1:8080/lb/{endpointId}/" });
  assert.equal(local.loadBalancer("abc").url, "http://127.0.0.1:8080/lb/abc");
  assert.ok(local.loadBalancer("abc") instanceof LoadBalancer);
});

Deno.test("loadBalancer() refuses a bad id, options or loadBalancerUrl with TypeError or RangeError", () => {
  assert.throws(() => runpodSdk("k").loadBalancer("../x"), TypeError);
  assert.throws(() => runpodSdk("k").loadBalancer("a", { timeout: -1 }), RangeError);
  assert.throws(() => runpodSdk("k", { loadBalancerUrl: "https://x.example" }), /\{endpointId\}/);
  assert.throws(
    () => runpodSdk("k", { loadBalancerUrl: "http://{endpointId}.example.com" }),
    /clear text/,
  );
});

Deno.test("lb.fetch() refuses a path that is not a single-slash path, before any request", async () => {
  await using t = lbSetup();
  for (const path of ["generate", "//evil.example/x", "https://evil.example/x", 42]) {
    await assertRejects(t.lb.fetch(path as string), TypeError, /path must be a string/);
  }
  assert.equal(t.emulator.countRequests(), 0);
});

Deno.test("lb.fetch() and lb.json() refuse a GET or HEAD with a body with TypeError, before any request and without retrying", async () => {
  await using t = lbSetup();
  await assertRejects(
    t.lb.fetch("/x", { body: "hi" }),
    TypeError,
    /GET request cannot have a body; give the method, such as method: "POST"/,
  );
  await assertRejects(t.lb.fetch("/x", { method: "head", body: "hi" }), TypeError, /HEAD request/);
  await assertRejects(t.lb.json("/x", { a: 1 }, { method: "GET" }), TypeError, /GET request/);
  assert.equal(t.clock.now(), 0);
  assert.equal(t.emulator.countRequests(), 0);
});

Deno.test("lb.fetch() refuses to follow redirects, which would carry the key, and hands a 3xx on as it is", async () => {
  await using t = lbSetup();
  for (const redirect of ["follow", "error"] as const) {
    await assertRejects(
      t.lb.fetch("/x", { redirect }),
      TypeError,
      new RegExp(`redirect '${redirect}' is not supported: a 3xx answer is handed to you as it is`),
    );
  }
  assert.equal(t.emulator.countRequests(), 0);
});

Deno.test("lb.fetch() refuses a body over RunPod's 30 MB with RangeError, before any request", async () => {
  await using t = lbSetup();
  const body = new Uint8Array(LOAD_BALANCER.bodyLimit + 1);
  await assertRejects(
    t.lb.fetch("/upload", { method: "POST", body }),
    RangeError,
    /over RunPod's limit of 31457280 bytes/,
  );
  const text = "é".repeat(LOAD_BALANCER.bodyLimit / 2 + 1); // 2 bytes each in UTF-8
  await assertRejects(t.lb.json("/upload", text), RangeError);
  assert.equal(t.emulator.countRequests(), 0);
});

Deno.test("lb.fetch() sends the key to the endpoint's origin, and the worker's answer comes back as it is", async () => {
  await using t = lbSetup({
    handler: (request) =>
      new URL(request.url).pathname === "/ping"
        ? new Response(null, { status: 200 })
        : new Response("plain text", {
          status: 201,
          headers: { "content-type": "text/plain", "x-worker": "w1" },
        }),
  });
  const response = await t.lb.fetch("/items?page=2", { headers: { "x-trace": "t1" } });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get("x-worker"), "w1");
  assert.equal(await response.text(), "plain text");
  const [request] = t.emulator.requests;
  assert.equal(request?.path, "/items?page=2");
  assert.equal(request?.headers.authorization, "Bearer [redacted]");
  assert.equal(request?.headers["x-trace"], "t1");
  assert.equal(request?.headers["content-type"], undefined); // the client's JSON type is not forced
});

Deno.test("lb.fetch() does not follow a redirect, so the key stays with the endpoint", async () => {
  await using t = lbSetup();
  t.emulator.inject("LB GET /items", { redirect: "https://elsewhere.example/steal" });
  const response = await t.lb.fetch("/items");
  assert.equal(response.status, 302);
  assert.equal(t.emulator.countRequests(), 1);
});

Deno.test("lb.fetch() streams an answer as the worker writes it", async () => {
  const encoder = new TextEncoder();
  let push: ((text: string | null) => void) | undefined;
  await using t = lbSetup({
    handler: (request) => {
      if (new URL(request.url).pathname === "/ping") return new Response(null, { status: 200 });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) =>
            text === null ? controller.close() : controller.enqueue(encoder.encode(text));
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    },
  });
  const response = await t.lb.fetch("/v1/chat", { method: "POST", body: "{}" });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  push!("data: one\n\n");
  assert.equal((await reader.read()).value, "data: one\n\n"); // before the worker finished
  push!("data: two\n\n");
  assert.equal((await reader.read()).value, "data: two\n\n");
  push!(null);
  assert.equal((await reader.read()).done, true);
});

Deno.test("lb.fetch() closes a streamed answer when its signal aborts, and frees the worker", async () => {
  let cancelled: unknown;
  await using t = lbSetup({
    handler: (request) => {
      if (new URL(request.url).pathname === "/ping") return new Response(null, { status: 200 });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("data: first\n\n"));
        },
        cancel(reason) {
          cancelled = reason ?? "cancelled";
        },
      });
      return new Response(body);
    },
    endpoint: { scaling: { requestCount: 1 }, workers: { max: 1 } },
  });
  const controller = new AbortController();
  const response = await t.lb.fetch("/stream", { signal: controller.signal });
  const reader = response.body!.getReader();
  assert.ok((await reader.read()).value);
  controller.abort(new Error("user went away"));
  await assert.rejects(reader.read(), /user went away/);
  assert.ok(cancelled !== undefined);
  // The worker's one slot is free again: the next request is answered.
  const next = await t.lb.fetch("/after");
  assert.equal(next.status, 200);
  await next.body?.cancel();
});

Deno.test("lb.fetch() rejects with the signal's reason when aborted while RunPod holds the request", async () => {
  await using t = lbSetup({ emulator: { coldStart: 60_000 } });
  const controller = new AbortController();
  t.clock.setTimer(() => controller.abort(new Error("stop")), 5_000);
  await assertRejects(t.lb.fetch("/x", { signal: controller.signal }), Error, "stop");
  assert.equal(t.clock.now(), 5_000);
});

Deno.test("lb.json() posts JSON with JSON headers and parses the answer", async () => {
  await using t = lbSetup();
  const echo = await t.lb.json<{ method: string; body: string }>("/generate", { prompt: "Hi" });
  assert.equal(echo.method, "POST");
  assert.deepEqual(JSON.parse(echo.body), { prompt: "Hi" });
  const [request] = t.emulator.requests;
  assert.equal(request?.headers["content-type"], "application/json");
  assert.equal(request?.headers.accept, "application/json");
  const got = await t.lb.json<{ method: string }>("/items");
  assert.equal(got.method, "GET");
  const put = await t.lb.json<{ method: string }>("/items/1", { a: 1 }, { method: "put" });
  assert.equal(put.method, "PUT");
});

Deno.test("lb.json() rejects a 2xx answer that is not JSON with RunpodError saying to use fetch()", async () => {
  await using t = lbSetup({
    handler: (r) =>
      new URL(r.url).pathname === "/ping" ? new Response(null) : new Response("<html>"),
  });
  await assertRejects(t.lb.json("/page"), RunpodError, /not JSON.*lb\.fetch\(\)/);
});

Deno.test("lb.json() resolves undefined for an empty answer", async () => {
  await using t = lbSetup({
    handler: (r) =>
      new URL(r.url).pathname === "/ping"
        ? new Response(null)
        : new Response(null, { status: 204 }),
  });
  assert.equal(await t.lb.json("/fire", { a: 1 }), undefined);
});

Deno.test("lb.json() refuses a body that is not JSON with TypeError, before any request", async () => {
  await using t = lbSetup();
  await assertRejects(t.lb.json("/x", { n: 1n }), TypeError, /JSON/);
  await assertRejects(t.lb.json("/x", () => 1), TypeError, /JSON/);
  assert.equal(t.emulator.countRequests(), 0);
});

Deno.test("lb.json()'s timeout covers reading the answer's body", async () => {
  await using t = lbSetup({
    handler: (r) =>
      new URL(r.url).pathname === "/ping"
        ? new Response(null)
        : new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array([123])) })),
  });
  await assertRejects(t.lb.json("/slow", undefined, { timeout: 4_000 }), TimeoutError);
  assert.equal(t.clock.now(), 4_000);
});

Deno.test("lb.ready() resolves once the health path answers 200, polling through 204", async () => {
  let healthy = false;
  const health: number[] = [];
  await using t = lbSetup({
    handler: (request) => {
      if (new URL(request.url).pathname !== "/ping") return okWorker(request);
      health.push(t.clock.now());
      return new Response(null, { status: healthy ? 200 : 204 });
    },
  });
  t.clock.setTimer(() => (healthy = true), 20_000);
  await t.lb.ready({ timeout: 120_000 });
  assert.ok(t.clock.now() >= 20_000 && t.clock.now() < 30_000, `${t.clock.now()}`);
  assert.ok(health.length > 2);
});

Deno.test("lb.ready() polls the load balancer's healthPath", async () => {
  await using t = lbSetup({ lb: { healthPath: "/health" } });
  await t.lb.ready();
  assert.equal(t.emulator.requests.at(-1)?.path, "/health");
});

Deno.test("lb.ready() rejects with TimeoutError when the worker never becomes healthy", async () => {
  await using t = lbSetup({
    handler: (request) =>
      new URL(request.url).pathname === "/ping"
        ? new Response(null, { status: 204 })
        : okWorker(request),
  });
  const error = await assertRejects(t.lb.ready({ timeout: 30_000 }), TimeoutError);
  assert.match(
    error.message,
    /Wait for load-balancing endpoint 'lb' to be ready timed out after 30000 ms/,
  );
  assert.equal(t.clock.now(), 30_000);
});

Deno.test("lb.ready() refuses bad options, or a healthPath that is not a path, before any request", async () => {
  await using t = lbSetup();
  const bad = runpodSdk("test-key", { fetch: t.emulator.fetch }).loadBalancer("lb", {
    healthPath: "ping",
  });
  await assertRejects(bad.ready(), TypeError, /healthPath must be a path/);
  assert.equal(t.emulator.countRequests(), 0);
  await assertRejects(t.lb.ready({ timeout: 0 }), RangeError);
  await assertRejects(t.lb.ready("soon" as never), TypeError);
});

Deno.test("no error of a load balancer holds the API key, and the worker never receives it", async () => {
  const seen: string[] = [];
  await using t = lbSetup({
    handler: (request) => {
      seen.push(JSON.stringify([...request.headers]) + request.url);
      if (new URL(request.url).pathname === "/hang") return new Promise<Response>(() => {});
      return new URL(request.url).pathname === "/ping"
        ? new Response(null)
        : Response.json({ error: "worker failed" }, { status: 500 });
    },
  });
  const errors: unknown[] = [];
  t.emulator.inject("LB POST /a", { status: 503 }, 5);
  errors.push(await t.lb.fetch("/a", { method: "POST", maxRetries: 1 }).catch((e) => e));
  errors.push(await t.lb.json("/b", { x: 1 }).catch((e) => e));
  t.emulator.inject("LB POST /c", { drop: true });
  errors.push(await t.lb.json("/c", { x: 1 }).catch((e) => e));
  errors.push(await t.lb.fetch("/hang", { timeout: 1_000 }).catch((e) => e));
  for (const error of errors) {
    assert.ok(error instanceof Error, String(error));
    const text = `${error.message} ${JSON.stringify(error)} ${error.stack}`;
    assert.ok(!text.includes("test-key"), text);
  }
  assert.ok(seen.length > 0);
  for (const request of seen) assert.ok(!request.includes("test-key"), request);
});

Deno.test("lb.json() and lb.ready() take a timeout in ms as their options, as the job methods do", async () => {
  await using t = lbSetup({ emulator: { coldStart: 60_000 } });
  await assertRejects(t.lb.ready(5_000), TimeoutError, /after 5000 ms/);
  assert.equal(t.clock.now(), 5_000);
  await assertRejects(t.lb.json("/x", { a: 1 }, 2_000), TimeoutError, /after 2000 ms/);
  assert.equal(t.clock.now(), 7_000);
});

Deno.test("a misspelt option of loadBalancer(), json() or ready() is a TypeError naming the closest, before any request", async () => {
  assert.throws(
    () => runpodSdk("k").loadBalancer("a", { timout: 5 } as never),
    /unknown option 'timout' \(did you mean 'timeout'\?\)/,
  );
  await using t = lbSetup();
  await assertRejects(t.lb.json("/x", {}, { methd: "PUT" } as never), TypeError, /'method'/);
  await assertRejects(t.lb.ready({ timeuot: 5 } as never), TypeError, /'timeout'/);
  assert.equal(t.emulator.countRequests(), 0);
});

Deno.test("lb.fetch() and lb.json() take headers as an object, a Headers or pairs; the call's own win, whatever their case", async () => {
  await using t = lbSetup();
  await (await t.lb.fetch("/a", { headers: new Headers({ "X-One": "1" }) })).body?.cancel();
  await (await t.lb.fetch("/b", { headers: [["X-Two", "2"]] })).body?.cancel();
  await t.lb.json("/c", { a: 1 }, { headers: { "Content-Type": "application/vnd.mine+json" } });
  const [a, b, c] = t.emulator.requests.filter((r) => r.route !== "LB GET /ping");
  assert.equal(a?.headers["x-one"], "1");
  assert.equal(b?.headers["x-two"], "2");
  assert.equal(c?.headers["content-type"], "application/vnd.mine+json");
  assert.equal(c?.headers.accept, "application/json");
  for (const request of [a, b, c]) {
    assert.equal(request?.headers.authorization, "Bearer [redacted]");
  }
});
