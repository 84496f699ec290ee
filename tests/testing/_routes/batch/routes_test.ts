import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../../testing.ts";
import { client } from "../../../_helpers/raw_client.ts";

function setup(workers = 2) {
  const clock = new FakeClock();
  const emulator = createEmulator<{ n: number; fail?: boolean }>({
    clock,
    workers,
    worker: async ({ input, sleep }) => {
      await sleep(1_000);
      if (input.fail) throw new Error(`request ${input.n} failed`);
      return { square: input.n ** 2 };
    },
  });
  return { clock, emulator, raw: client(emulator as never) };
}

const requests = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ input: { n: from + i } }));

Deno.test("POST /batch creates a DRAFT batch from a top-level array; GET /batch/{id} reads it", async () => {
  const { clock, emulator, raw } = setup();
  await using _ = emulator;
  using __ = clock;
  const created = await raw.post("/batch", requests(0, 3));
  assert.equal(created.status, 200);
  assert.match(created.body.id, /^batch-/);
  assert.deepEqual(
    { ...created.body, id: undefined },
    {
      id: undefined,
      endpointId: "test-endpoint",
      status: "DRAFT",
      requestTotal: 3,
      requestInProgress: 0,
      requestCompleted: 0,
      requestFailed: 0,
      createdAt: new Date(clock.now()).toISOString(),
    },
  );
  const read = await raw.get(`/batch/${created.body.id}`);
  assert.deepEqual(read.body, created.body);
  assert.equal(emulator.jobs.length, 0, "a draft runs nothing");
});

Deno.test("POST /batch/{id}/requests adds to a draft; finalize queues every request as a job, in order", async () => {
  const { clock, emulator, raw } = setup();
  await using _ = emulator;
  using __ = clock;
  const { body: batch } = await raw.post("/batch", requests(0, 2));
  const added = await raw.post(`/batch/${batch.id}/requests`, { requests: requests(2, 3) });
  assert.equal(added.status, 200);
  assert.equal(added.body.requestTotal, 5);
  const finalized = await raw.post(`/batch/${batch.id}/finalize`);
  assert.equal(finalized.body.status, "FINALIZED");
  assert.equal(finalized.body.requestInProgress, 5);
  assert.deepEqual(emulator.jobs.map((job) => (job.input as { n: number }).n), [0, 1, 2, 3, 4]);
  // Two workers, 1 s per job: done after 3 s of simulated time.
  await clock.advance(0);
  while ((await raw.get(`/batch/${batch.id}`)).body.requestCompleted < 5) {
    await new Promise<void>((resolve) => clock.setTimer(resolve, 100));
  }
  const done = await raw.get(`/batch/${batch.id}`);
  assert.equal(done.body.status, "FINALIZED");
  assert.equal(done.body.requestInProgress, 0);
  assert.equal(done.body.requestCompleted + done.body.requestFailed, done.body.requestTotal);
});

Deno.test("GET /batch/{id}/requests pages by offset and limit, with each request's job and output", async () => {
  const { clock, emulator, raw } = setup(10);
  await using _ = emulator;
  using __ = clock;
  const { body: batch } = await raw.post("/batch", [
    ...requests(0, 4),
    { input: { n: 4, fail: true } },
  ]);
  const draft = await raw.get(`/batch/${batch.id}/requests?limit=2`);
  assert.deepEqual(draft.body, {
    requests: [{ index: 0, status: "PENDING" }, { index: 1, status: "PENDING" }],
    total: 5,
    offset: 0,
    limit: 2,
    hasMore: true,
  });
  await raw.post(`/batch/${batch.id}/finalize`);
  await new Promise<void>((resolve) => clock.setTimer(resolve, 2_000));
  const last = await raw.get(`/batch/${batch.id}/requests?offset=3&limit=2`);
  assert.equal(last.body.hasMore, false);
  assert.equal(last.body.requests.length, 2);
  const [three, four] = last.body.requests;
  assert.equal(three.index, 3);
  assert.equal(three.status, "COMPLETED");
  assert.deepEqual(three.output, { square: 9 });
  assert.equal(three.id, emulator.jobs[3]!.id);
  assert.equal(four.status, "FAILED");
  assert.match(four.error, /request 4 failed/); // as runpod-python reports it
  const counts = (await raw.get(`/batch/${batch.id}`)).body;
  assert.equal(counts.requestCompleted, 4);
  assert.equal(counts.requestFailed, 1);
  const defaults = await raw.get(`/batch/${batch.id}/requests`);
  assert.equal(defaults.body.limit, 100);
  assert.equal(defaults.body.requests.length, 5);
  for (const query of ["offset=-1", "limit=0", "limit=1001", "limit=two"]) {
    assert.equal((await raw.get(`/batch/${batch.id}/requests?${query}`)).status, 400, query);
  }
});

Deno.test("POST /batch/{id}/cancel cancels the jobs not finished and counts them as failed", async () => {
  const { clock, emulator, raw } = setup(1);
  await using _ = emulator;
  using __ = clock;
  const { body: batch } = await raw.post("/batch", requests(0, 3));
  await raw.post(`/batch/${batch.id}/finalize`);
  await new Promise<void>((resolve) => clock.setTimer(resolve, 1_500)); // one done, one running
  const cancelled = await raw.post(`/batch/${batch.id}/cancel`);
  assert.equal(cancelled.body.status, "CANCELLED");
  assert.equal(cancelled.body.requestCompleted, 1);
  assert.equal(cancelled.body.requestFailed, 2);
  assert.deepEqual(emulator.jobs.map((job) => job.status), ["COMPLETED", "CANCELLED", "CANCELLED"]);
  assert.equal((await raw.post(`/batch/${batch.id}/cancel`)).status, 200, "cancel is idempotent");
  const draft = (await raw.post("/batch", requests(0, 2))).body;
  const gone = await raw.post(`/batch/${draft.id}/cancel`);
  assert.equal(gone.body.requestFailed, 2);
  assert.deepEqual(
    (await raw.get(`/batch/${draft.id}/requests`)).body.requests.map((r: { status: string }) =>
      r.status
    ),
    ["CANCELLED", "CANCELLED"],
  );
});

Deno.test("a batch that is not a draft refuses adds (409) and finalize once cancelled (409)", async () => {
  const { clock, emulator, raw } = setup();
  await using _ = emulator;
  using __ = clock;
  const { body: batch } = await raw.post("/batch", requests(0, 1));
  assert.equal((await raw.post(`/batch/${batch.id}/finalize`)).status, 200);
  assert.equal(
    (await raw.post(`/batch/${batch.id}/finalize`)).status,
    200,
    "finalize again: as is",
  );
  const add = await raw.post(`/batch/${batch.id}/requests`, { requests: requests(1, 1) });
  assert.equal(add.status, 409);
  assert.match(add.body.error, /FINALIZED: requests can only be added to a DRAFT batch/);
  const other = (await raw.post("/batch", requests(0, 1))).body;
  await raw.post(`/batch/${other.id}/cancel`);
  assert.equal((await raw.post(`/batch/${other.id}/finalize`)).status, 409);
  const empty = (await raw.post("/batch", [])).body;
  const refused = await raw.post(`/batch/${empty.id}/finalize`);
  assert.equal(refused.status, 400);
  assert.match(refused.body.error, /no requests/);
});

Deno.test("the batch limits: 10 active batches per endpoint, 5,000 requests per batch, 10 MiB a body", async () => {
  const { clock, emulator, raw } = setup();
  await using _ = emulator;
  using __ = clock;
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await raw.post("/batch", requests(0, 1))).body.id);
  const eleventh = await raw.post("/batch", requests(0, 1));
  assert.equal(eleventh.status, 429);
  assert.match(eleventh.body.error, /10 active batches/);
  await raw.post(`/batch/${ids[0]}/cancel`);
  assert.equal(
    (await raw.post("/batch", requests(0, 1))).status,
    200,
    "a cancelled one frees a slot",
  );

  const other = createEmulator({ clock, endpoints: ["big"] });
  await using __other = other;
  const big = client(other, { endpoint: "big" });
  const full = await big.post("/batch", requests(0, 5_000));
  assert.equal(full.status, 200);
  const over = await big.post(`/batch/${full.body.id}/requests`, { requests: requests(0, 1) });
  assert.equal(over.status, 400);
  assert.match(over.body.error, /at most 5000 requests/);
  assert.equal((await big.post("/batch", requests(0, 5_001))).status, 400);
  const huge = [{ input: "x".repeat(10 * 1024 * 1024) }];
  assert.equal((await big.post("/batch", huge)).status, 413);
});

Deno.test("batch routes answer 400 on malformed bodies, 404 on unknown batches and routes, 405 on wrong methods", async () => {
  const { clock, emulator, raw } = setup();
  await using _ = emulator;
  using __ = clock;
  assert.equal((await raw.post("/batch", { input: 1 })).status, 400, "not an array");
  assert.equal((await raw.post("/batch", "[{")).status, 400, "not JSON");
  const noInput = await raw.post("/batch", [{ input: 1 }, { prompt: "x" }]);
  assert.equal(noInput.status, 400);
  assert.match(noInput.body.error, /Request 1 must be a JSON object with an 'input' field/);
  const badPolicy = await raw.post("/batch", [{ input: 1, policy: { ttl: 1 } }]);
  assert.equal(badPolicy.status, 400);
  assert.match(badPolicy.body.error, /Request 0: Invalid policy.ttl/);
  const { body: batch } = await raw.post("/batch", requests(0, 1));
  assert.equal((await raw.post(`/batch/${batch.id}/requests`, requests(0, 1))).status, 400);
  assert.equal((await raw.get("/batch/batch-nope")).status, 404);
  assert.equal((await raw.post("/batch/batch-nope/finalize")).status, 404);
  assert.equal((await raw.get(`/batch/${batch.id}/unknown`)).status, 404);
  assert.equal((await raw.get(`/batch/${batch.id}/requests/x/y`)).status, 404);
  const wrong = await raw.get("/batch");
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "POST");
  assert.equal((await raw.post(`/batch/${batch.id}`)).status, 405);
  assert.equal((await raw.get(`/batch/${batch.id}/finalize`)).status, 405);
  const other = client(emulator as never, { endpoint: "other" });
  assert.equal((await other.get(`/batch/${batch.id}`)).status, 404, "unknown endpoint");
  assert.equal(emulator.countRequests("POST /batch"), 8); // the log names every batch route /batch
});
