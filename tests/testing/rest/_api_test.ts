import assert from "node:assert/strict";
import { endpointBody, restSetup } from "./_rest.ts";

Deno.test("a wrong or missing key is a 401 problem, without rate-limit headers", async () => {
  await using t = restSetup();
  const wrong = await t.call("listEndpoints", { headers: { authorization: "Bearer nope" } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.detail, "invalid API key");
  assert.equal(wrong.headers.get("ratelimit"), null);
  const none = await t.emulator.fetch(`${t.emulator.restUrl}/serverless`);
  assert.equal(none.status, 401);
  assert.equal((await none.json()).detail, "missing bearer token");
});

Deno.test("a bad body is a 422 problem listing each field, unknown fields included", async () => {
  await using t = restSetup();
  const answer = await t.call("createEndpoint", {
    body: endpointBody({ bogus: 1, workers: { max: -1 }, flashboot: "TURBO" }),
  });
  assert.equal(answer.status, 422);
  assert.equal(answer.headers.get("content-type"), "application/problem+json");
  assert.equal(answer.body.title, "Unprocessable Entity");
  assert.equal(answer.body.detail, "Request validation failed.");
  const errors: string[] = answer.body.errors;
  assert.ok(errors.some((e) => e.includes("bogus")), errors.join("\n"));
  assert.ok(errors.some((e) => e.startsWith("$.workers.max")), errors.join("\n"));
  assert.ok(errors.some((e) => e.startsWith("$.flashboot")), errors.join("\n"));
  const notJson = await t.call("createTemplate", { body: "{not json" });
  assert.equal(notJson.status, 400);
  const missing = await t.call("createTemplate", { body: { name: "x" } });
  assert.equal(missing.status, 422);
  assert.equal((await t.call("listEndpoints")).body.endpoints.length, 1); // nothing created
});

Deno.test("a method the route does not have is a 405 with Allow; an unknown path a 404", async () => {
  await using t = restSetup();
  const put = await t.emulator.fetch(`${t.emulator.restUrl}/serverless`, {
    method: "PUT",
    headers: { authorization: "Bearer test-key" },
  });
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("allow"), "GET, POST");
  assert.equal(put.headers.get("content-type"), "application/problem+json");
  assert.ok(put.headers.get("x-request-id"));
  await put.body?.cancel();
  const unknown = await t.emulator.fetch(`${t.emulator.restUrl}/nothing/here`, {
    headers: { authorization: "Bearer test-key" },
  });
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).status, 404);
});

Deno.test("every answer carries a fresh x-request-id", async () => {
  await using t = restSetup();
  const a = await t.call("listTemplates");
  const b = await t.call("getTemplate", { params: { id: "nope" } });
  assert.notEqual(a.headers.get("x-request-id"), b.headers.get("x-request-id"));
});

Deno.test("the per-minute quota is told in RateLimit headers, and a 429 says when to come back", async () => {
  await using t = restSetup({ rest: { requestsPerMinute: 3 } }, { autoAdvance: false });
  await t.clock.advance(15_000); // 15 s into a minute window
  const first = await t.call("listPods");
  assert.equal(first.headers.get("ratelimit"), '"minute";r=2;t=45');
  assert.equal(first.headers.get("ratelimit-policy"), '"minute";q=3;w=60');
  await t.call("listPods");
  await t.call("listPods");
  const refused = await t.call("listPods");
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "45");
  assert.equal(refused.headers.get("ratelimit"), '"minute";r=0;t=45');
  await t.clock.advance(45_000);
  assert.equal((await t.call("listPods")).status, 200);
  assert.equal(t.emulator.countRequests("GET /pods"), 5);
});

Deno.test("faults are injected on management routes by their spec path", async () => {
  await using t = restSetup();
  t.emulator.inject("POST /serverless", { status: 503 });
  const failed = await t.emulator.fetch(`${t.emulator.restUrl}/serverless`, {
    method: "POST",
    headers: { authorization: "Bearer test-key" },
    body: JSON.stringify(endpointBody()),
  });
  assert.equal(failed.status, 503);
  await failed.body?.cancel();
  assert.equal((await t.call("createEndpoint", { body: endpointBody() })).status, 201);
  assert.deepEqual(
    t.emulator.requests.map((r) => [r.route, r.status, r.fault]),
    [["POST /serverless", 503, "status 503"], ["POST /serverless", 201, undefined]],
  );
});

Deno.test("lists page with limit and cursor only when asked", async () => {
  await using t = restSetup({ rest: { requestsPerMinute: 1000 } });
  for (let i = 0; i < 5; i++) {
    await t.call("createTemplate", { body: { name: `t${i}`, image: "me/x:1" } });
  }
  const whole = await t.call("listTemplates");
  assert.equal(whole.body.templates.length, 5);
  assert.equal(whole.body.pagination, undefined);
  const names: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await t.call("listTemplates", {
      query: { limit: "2", ...(cursor ? { cursor } : {}) },
    });
    names.push(...page.body.templates.map((x: { name: string }) => x.name));
    cursor = page.body.pagination.hasNextPage ? page.body.pagination.nextCursor : undefined;
    pages++;
  } while (cursor);
  assert.deepEqual(names, ["t0", "t1", "t2", "t3", "t4"]);
  assert.equal(pages, 3);
  assert.equal((await t.call("listTemplates", { query: { cursor: "garbage" } })).status, 400);
  assert.equal((await t.call("listTemplates", { query: { limit: "0" } })).status, 422);
});
