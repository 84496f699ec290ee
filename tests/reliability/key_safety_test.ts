// The API key stays with its origin: it travels only to the configured origin,
// as a Bearer token, over https or loopback, is never replaced by a custom
// header, follows no redirect (real cross-origin redirects over loopback, every
// redirect status), and shows up nowhere else: not in errors, inspect output,
// the serialized client, the emulator's log or the console. The fault matrix
// (tests/reliability/) checks every error it makes as well.
import assert from "node:assert/strict";
import runpodSdk, { RunpodApiError, RunpodError } from "../../mod.ts";
import { createEmulator, FakeClock } from "../../testing.ts";
import { harness, views } from "../_helpers/harness.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";

const SECRET = "rp_LIVE_0123456789abcdefSECRET";

Deno.test("a real cross-origin redirect over loopback: the key never reaches the other origin", async () => {
  const seen: (string | null)[] = [];
  const elsewhere = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    seen.push(request.headers.get("authorization"));
    return Response.json({ jobs: {}, workers: {} });
  });
  await using emulator = createEmulator({ apiKey: SECRET });
  const api = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  try {
    const target = `http://127.0.0.1:${elsewhere.addr.port}/v2/test-endpoint/health`;
    const endpoint = runpodSdk(SECRET, { baseUrl: `http://127.0.0.1:${api.addr.port}/v2` })
      .endpoint("test-endpoint");
    for (const status of [301, 302, 303, 307, 308]) {
      emulator.inject("GET /health", { redirect: target, status });
      const error = await assertRejects(endpoint.health(), RunpodApiError);
      assert.equal(error.status, status);
      for (const view of views(error)) assert.ok(!view.includes(SECRET));
    }
    assert.deepEqual(seen, [], "the other origin got no request at all");
    assert.equal(emulator.countRequests("GET /health"), 5, "and the API got no resend");
  } finally {
    await emulator.close();
    await Promise.all([api.shutdown(), elsewhere.shutdown()]);
  }
});

Deno.test("no redirect is followed, to any Location, on any route", async () => {
  await using t = harness();
  const locations = [
    "https://elsewhere.example/v2/test-endpoint/health",
    "//elsewhere.example/v2/test-endpoint/health",
    "http://api.runpod.ai/v2/test-endpoint/health", // same host, downgraded to http
    "/v2/test-endpoint/health", // same origin
    "https://api.runpod.ai.elsewhere.example/",
  ];
  for (const location of locations) {
    for (const status of [301, 302, 303, 307, 308]) {
      t.emulator.inject("*", { redirect: location, status });
      const before = t.log.length;
      const error = await assertRejects(
        t.endpoint.health(),
        RunpodApiError,
        /does not follow redirects/,
      );
      assert.equal(error.status, status);
      assert.equal(t.log.length, before + 1, `${status} to ${location}: one request only`);
    }
  }
  assert.ok(t.log.every((r) => r.url.origin === "https://api.runpod.ai"));
});

Deno.test("plain http is refused unless the host is loopback or allowInsecureHttp is set", () => {
  const refused = [
    "http://api.example.com/v2",
    "HTTP://API.EXAMPLE.COM/v2",
    "http://0.0.0.0:8000/v2",
    "http://10.0.0.1/v2",
    "http://192.168.1.10:8000/v2",
    "http://[::ffff:127.0.0.1]/v2",
    "http://[::]/v2",
    "http://localhost.evil.example/v2",
    "http://127.0.0.1.nip.io/v2",
    "http://api.runpod.ai/v2",
  ];
  for (const baseUrl of refused) {
    assert.throws(
      () => runpodSdk(SECRET, { baseUrl }),
      (e: Error) =>
        e instanceof TypeError && /clear text/.test(e.message) && !e.message.includes(SECRET),
      baseUrl,
    );
    // The explicit opt-in is the only way through.
    runpodSdk(SECRET, { baseUrl, allowInsecureHttp: true });
  }
  const loopback = [
    "http://localhost/v2",
    "http://LOCALHOST:8000/v2",
    "http://api.localhost/v2",
    "http://127.0.0.1:8000/v2",
    "http://127.255.255.254/v2",
    "http://127.1/v2", // the URL parser writes it 127.0.0.1
    "http://[::1]:8000/v2",
  ];
  for (const baseUrl of loopback) runpodSdk(SECRET, { baseUrl });
  for (const baseUrl of ["https://api.runpod.ai/v2", "https://gateway.example/v2"]) {
    runpodSdk(SECRET, { baseUrl });
  }
});

Deno.test("a refused base URL sends nothing: the client is never made", () => {
  let calls = 0;
  const fetch = () => {
    calls++;
    return Promise.resolve(new Response("{}"));
  };
  assert.throws(() =>
    runpodSdk(SECRET, { baseUrl: "http://api.example.com/v2", fetch }).endpoint("e")
  );
  assert.equal(calls, 0);
});

Deno.test("the SDK writes nothing to the console, whatever fails", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ apiKey: SECRET, clock });
  const endpoint = runpodSdk(SECRET, { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
    .endpoint("test-endpoint");
  const written: unknown[] = [];
  const methods = ["log", "info", "warn", "error", "debug", "trace"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => written.push(args);
  try {
    emulator.inject("GET /health", { html: 502 }, 3);
    await endpoint.health({ maxRetries: 0 }).catch(() => {});
    emulator.inject("POST /run", { drop: true, when: "after" });
    await endpoint.run({ input: 1 }).catch(() => {});
    emulator.inject("GET /health", { redirect: "https://elsewhere.example/" });
    await endpoint.health().catch(() => {});
    await endpoint.health({ signal: AbortSignal.abort() }).catch(() => {});
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i] as never));
    emulator.clearFaults();
  }
  assert.deepEqual(written, []);
});

Deno.test("the API key appears in no error, inspect output or serialized client", async () => {
  await using t = setup({ apiKey: "another-key" }, {});
  const runpod = runpodSdk(SECRET, {
    baseUrl: t.emulator.baseUrl,
    fetch: t.emulator.fetch,
    clock: t.clock,
  });
  const endpoint = runpod.endpoint("test-endpoint");
  const errors: unknown[] = [];
  errors.push(await assertRejects(endpoint.health(), Error)); // 401
  t.emulator.inject("GET /health", { malformed: true });
  errors.push(await assertRejects(endpoint.health(), Error));
  t.emulator.inject("GET /health", { drop: true }, 3);
  errors.push(await assertRejects(endpoint.health(), Error));
  errors.push(await assertRejects(endpoint.health({ signal: AbortSignal.abort() }), Error));
  t.emulator.inject("GET /health", { redirect: "https://elsewhere.example/" });
  errors.push(await assertRejects(endpoint.health(), Error));
  for (const error of errors) {
    const views = [
      String(error),
      (error as Error).stack ?? "",
      JSON.stringify(error),
      Deno.inspect(error, { depth: 10, showHidden: true }),
    ];
    for (const view of views) assert.ok(!view.includes(SECRET), view);
  }
  assert.ok(errors.slice(0, 3).every((e) => e instanceof RunpodError));
  for (
    const view of [
      JSON.stringify(runpod),
      Deno.inspect(runpod, { depth: 10, showHidden: true }),
      Deno.inspect(endpoint),
    ]
  ) {
    assert.ok(!view.includes(SECRET), view);
  }
  for (const logged of t.emulator.requests) {
    assert.ok(!JSON.stringify(logged).includes(SECRET));
  }
});

Deno.test("the API key is sent only as a Bearer token to the configured origin", async () => {
  const seen: { url: string; auth: string | null }[] = [];
  const fetch = (input: Request | URL | string, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({ url: request.url, auth: request.headers.get("authorization") });
    return Promise.resolve(
      new Response(null, {
        status: 307,
        headers: { location: "https://other.example/v2/e/health" },
      }),
    );
  };
  const endpoint = runpodSdk(SECRET, { fetch, maxRetries: 0 }).endpoint("e");
  await assertRejects(endpoint.health(), RunpodApiError, /does not follow redirects/);
  assert.deepEqual(seen, [{ url: "https://api.runpod.ai/v2/e/health", auth: `Bearer ${SECRET}` }]);
});

Deno.test("a custom Authorization header cannot replace the key", async () => {
  let auth: string | null = null;
  const fetch = (input: Request | URL | string, init?: RequestInit) => {
    auth = new Request(input, init).headers.get("authorization");
    return Promise.resolve(Response.json({ jobs: {}, workers: {} }));
  };
  await runpodSdk(SECRET, { fetch, headers: { Authorization: "Bearer other" } }).endpoint("e")
    .health();
  assert.equal(auth, `Bearer ${SECRET}`);
});

Deno.test("a redirect is not followed: the key stays with the API", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { redirect: "https://evil.example/steal" });
  const error = await assertRejects(
    t.endpoint.health(),
    RunpodApiError,
    /does not follow redirects/,
  );
  assert.equal(error.status, 302);

  assert.equal(t.sent.length, 1);
  assert.equal(t.sent[0]!.url.origin, "https://api.runpod.ai");
});
