// The dispatch: route families claim requests in order; the shared checks.
import assert from "node:assert/strict";
import { EndpointRegistry } from "../../../../src/testing/_endpoints.ts";
import {
  checkEndpoint,
  checkKey,
  checkMethod,
  dispatch,
  type RouteFamily,
} from "../../../../src/testing/_routes/_dispatch.ts";
import type { EmulatorState } from "../../../../src/testing/_state.ts";
import { createEmulator, FakeClock } from "../../../../testing.ts";
import { client } from "../../../_helpers/raw_client.ts";

const family = (prefix: string, route: string): RouteFamily => ({
  match: (_request, url) =>
    url.pathname.startsWith(prefix) ? { route, answer: () => new Response(route) } : undefined,
});

Deno.test("the first family that claims a request answers it; none claiming answers 404", async () => {
  const families = [family("/v2/e/openai/", "POST /openai"), family("/v2/", "POST /job")];
  const request = (path: string) => new Request(`https://api.runpod.ai${path}`, { method: "POST" });
  const call = (path: string) => {
    const r = request(path);
    return dispatch(families, r, new URL(r.url));
  };
  assert.equal(call("/v2/e/openai/v1/chat/completions").route, "POST /openai");
  assert.equal(call("/v2/e/run").route, "POST /job");
  const none = call("/elsewhere");
  assert.equal(none.route, "POST /elsewhere");
  const answer = await none.answer({
    request: request("/elsewhere"),
    url: new URL("https://api.runpod.ai/elsewhere"),
    signal: new AbortController().signal,
    setJobId() {},
  });
  assert.equal(answer.status, 404);
  await answer.body?.cancel();
});

Deno.test("the shared checks: key (Bearer or bare), endpoint, method", async () => {
  const endpoints = new EndpointRegistry(1);
  endpoints.add("e");
  const state = { endpoints } as EmulatorState;
  const withKey = (authorization?: string) =>
    new Request("https://x/", authorization === undefined ? {} : { headers: { authorization } });
  assert.equal(checkKey(withKey("Bearer k"), "k"), undefined);
  assert.equal(checkKey(withKey("k"), "k"), undefined);
  for (const refused of [checkKey(withKey(), "k"), checkKey(withKey("Bearer j"), "k")]) {
    assert.equal(refused?.status, 401);
    await refused?.body?.cancel();
  }
  assert.equal(checkEndpoint(state, "e"), undefined);
  const missing = checkEndpoint(state, "f");
  assert.equal(missing?.status, 404);
  await missing?.body?.cancel();
  const wrong = checkMethod(new Request("https://x/"), ["POST"], "/run");
  assert.equal(wrong?.status, 405);
  assert.equal(wrong?.headers.get("allow"), "POST");
  await wrong?.body?.cancel();
});

Deno.test("faults, the request log and CORS apply to whatever family answers", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  emulator.inject("GET /nowhere", { status: 503 });
  const answer = await emulator.fetch("https://api.runpod.ai/nowhere", {
    headers: { authorization: "Bearer test-key" },
  });
  assert.equal(answer.status, 503);
  assert.equal(answer.headers.get("access-control-allow-origin"), "*");
  await answer.body?.cancel();
  assert.equal((await client(emulator).get("/health")).status, 200);
  assert.deepEqual(emulator.requests.map((r) => [r.route, r.status, r.fault]), [
    ["GET /nowhere", 503, "status 503"],
    ["GET /health", 200, undefined],
  ]);
});
