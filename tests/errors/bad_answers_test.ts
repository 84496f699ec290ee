import assert from "node:assert/strict";
import { RunpodApiError, RunpodConnectionError, RunpodError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { setup } from "../_helpers/setup.ts";

Deno.test("a 200 answer that is not JSON rejects with RunpodError naming the route", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { malformed: true });
  const error = await assertRejects(t.endpoint.health(), RunpodError, /not JSON/);
  assert.equal(error.route, "GET /health");
  assert.ok(error.cause instanceof SyntaxError);
});

for (
  const [route, json, call] of [
    ["POST /run", { status: "IN_QUEUE" }, "run"],
    ["GET /status", { id: "x", status: 5 }, "status"],
    ["GET /stream", { status: "IN_PROGRESS", stream: "nope" }, "stream"],
    ["GET /health", { jobs: {} }, "health"],
    ["POST /purge-queue", { status: "completed" }, "purgeQueue"],
  ] as const
) {
  Deno.test(`an answer of the wrong shape on ${route} rejects with RunpodError`, async () => {
    await using t = setup();
    t.emulator.inject(route, { json });
    const e = t.endpoint;
    const attempt = call === "run"
      ? e.run({ input: 1 })
      : call === "status"
      ? e.status("x")
      : call === "stream"
      ? e.stream("x").next()
      : call === "health"
      ? e.health()
      : e.purgeQueue();
    const error = await assertRejects(attempt, RunpodError, /unexpected shape/);
    assert.equal(error.route, route);
  });
}

Deno.test("an HTML 502 page rejects with RunpodApiError keeping the page as text", async () => {
  await using t = setup();
  t.emulator.inject("POST /run", { html: 502 });
  const error = await assertRejects(t.endpoint.run({ input: 1 }), RunpodApiError);
  assert.equal(error.status, 502);
  assert.match(String(error.body), /<html/i);
  assert.doesNotMatch(error.message, /<html/i);
});

Deno.test("401 rejects with RunpodApiError that says to check the key", async () => {
  await using t = setup({ apiKey: "the-right-key" });
  const error = await assertRejects(t.endpoint.health(), RunpodApiError, /check the API key/);
  assert.equal(error.status, 401);
});

Deno.test("a body cut off midway on /run is a connection error and is not resent", async () => {
  await using t = setup();
  t.emulator.inject("POST /run", { truncate: true });
  const error = await assertRejects(t.endpoint.run({ input: 1 }), RunpodConnectionError, /cut off/);
  assert.equal(error.name, "RunpodConnectionError");

  assert.equal(t.emulator.jobs.length, 1);
  assert.equal(t.emulator.countRequests("POST /run"), 1);
});
