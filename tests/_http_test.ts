// A connection error names the host the request went to (a client pointed at
// the wrong place says where), never the API key.
import assert from "node:assert/strict";
import runpodSdk, { RunpodConnectionError } from "../mod.ts";
import { assertRejects } from "./_helpers/assert_rejects.ts";

const refused = () => Promise.reject(new TypeError("connection refused"));

Deno.test("a RunpodConnectionError names the host the request went to, not the key", async () => {
  const runpod = runpodSdk("secret-key-123", { fetch: refused, maxRetries: 0 });
  const jobs = await assertRejects(
    runpod.endpoint("abc").health(),
    RunpodConnectionError,
    "GET /health got no complete answer from api.runpod.ai: connection refused",
  );
  assert.doesNotMatch(jobs.message, /secret-key-123/);
  const rest = await assertRejects(runpod.endpoints.list(), RunpodConnectionError);
  assert.match(rest.message, /got no complete answer from api\.runpod\.io:/);
  const local = runpodSdk("secret-key-123", {
    baseUrl: "http://127.0.0.1:8080/v2",
    fetch: refused,
    maxRetries: 0,
  });
  await assertRejects(
    local.endpoint("abc").run({ input: 1 }),
    RunpodConnectionError,
    /from 127\.0\.0\.1:8080:/,
  );
});
