import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../testing.ts";
import { client } from "../_helpers/raw_client.ts";
import runpodSdk, { RunpodApiError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";

Deno.test("endpoints are independent: their own jobs, workers and health", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, endpoints: ["a", "b"] });
  const a = client(emulator, { endpoint: "a" });
  const b = client(emulator, { endpoint: "b" });
  const id = (await a.post("/runsync", { input: 1 })).body.id;
  assert.equal((await b.get(`/status/${id}`)).status, 404);
  assert.equal((await a.get("/health")).body.jobs.completed, 1);
  assert.equal((await b.get("/health")).body.jobs.completed, 0);
  assert.equal(emulator.job(id)!.endpointId, "a");
});

Deno.test("close() cancels running jobs, answers held requests, and later requests answer 503", async () => {
  using clock = new FakeClock();
  let aborted = false;
  const emulator = createEmulator({
    clock,
    worker: async (job) => {
      job.signal.addEventListener("abort", () => (aborted = true));
      await job.sleep(60_000);
    },
  });
  const api = client(emulator);
  clock.setTimer(() => emulator.close(), 1000);
  const held = await api.post("/runsync", { input: 1 });
  assert.equal(held.status, 200);
  assert.equal(held.body.status, "CANCELLED");
  await emulator.close();
  assert.equal(aborted, true);
  assert.equal(clock.pendingTimers, 0);
  assert.equal((await api.get("/health")).status, 503);
});

Deno.test("emulator.client() runs jobs and management calls on the emulator, on its clock", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({
    clock,
    apiKey: "my-test-key",
    worker: async (job) => {
      await job.sleep(5 * 60_000); // five minutes of simulated time
      return job.input;
    },
  });
  const runpod = emulator.client();
  const started = clock.now();
  const job = await runpod.endpoint("test-endpoint").runSync({ input: "a horse" });
  assert.equal(job.status, "COMPLETED");
  assert.equal(clock.now() - started >= 5 * 60_000, true); // the client waited on the fake clock
  const endpoints = await runpod.endpoints.list();
  assert.deepEqual(endpoints.map((endpoint) => endpoint.id), ["test-endpoint"]);
  assert.equal(emulator.countRequests("POST /runsync"), 1);
  assert.equal(emulator.countRequests("GET /serverless"), 1);
});

Deno.test("emulator.client() takes the other client options", async () => {
  await using emulator = createEmulator({ worker: (job) => job.sleep(60_000) });
  const runpod = emulator.client({ timeout: 50, maxRetries: 0 });
  await assertRejects(runpod.endpoint("test-endpoint").runSync({ input: 1 }, 50), Error);
  assert.throws(() => emulator.client({ timout: 5 } as never), /did you mean 'timeout'\?/);
});

Deno.test("emulator.client() refuses baseUrl, restUrl and fetch: it sets them itself", async () => {
  await using emulator = createEmulator();
  for (const name of ["baseUrl", "restUrl", "fetch"]) {
    assert.throws(
      () => emulator.client({ [name]: undefined } as never),
      { name: "TypeError", message: new RegExp(`it sets ${name} itself`) },
    );
  }
});

Deno.test("a management call sent to the job API's /v2 says to set restUrl", async () => {
  await using emulator = createEmulator();
  // The README's old set-up: baseUrl and fetch, no restUrl.
  const runpod = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch });
  const error = await assertRejects(runpod.endpoints.list(), RunpodApiError);
  assert.equal(error.status, 404);
  assert.equal(
    error.message,
    "GET /serverless failed with HTTP 404: '/v2/serverless' is a management API route, served at emulator.restUrl (/rest/v2), not on the job API: set restUrl: emulator.restUrl, or use emulator.client() (check restUrl: RunPod's management API is https://api.runpod.io/v2)",
  );
  assert.doesNotMatch(error.message, /check the id/);
  await assertRejects(runpod.endpoints.get("abc"), RunpodApiError, /restUrl: emulator\.restUrl/);
});
