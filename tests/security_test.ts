import assert from "node:assert/strict";
import runpodSdk, { RunpodError } from "../mod.ts";
import { setup } from "./_helpers/setup.ts";

const SECRET = "rp_SECRET_KEY_1234567890";

Deno.test("the API key appears in no error, inspect output or serialized client", async () => {
  await using t = setup({ apiKey: "another-key" }, {});
  const runpod = runpodSdk(SECRET, {
    baseUrl: t.emulator.baseUrl,
    fetch: t.emulator.fetch,
    clock: t.clock,
  });
  const endpoint = runpod.endpoint("test-endpoint");
  const errors: unknown[] = [];
  errors.push(await endpoint.health().catch((e) => e)); // 401
  t.emulator.inject("GET /health", { malformed: true });
  errors.push(await endpoint.health().catch((e) => e));
  t.emulator.inject("GET /health", { drop: true }, 3);
  errors.push(await endpoint.health().catch((e) => e));
  errors.push(await endpoint.health({ signal: AbortSignal.abort() }).catch((e) => e));
  t.emulator.inject("GET /health", { redirect: "https://elsewhere.example/" });
  errors.push(await endpoint.health().catch((e) => e));
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
  await assert.rejects(endpoint.health(), /does not follow redirects/);
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
