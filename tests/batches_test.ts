import assert from "node:assert/strict";
import runpodSdk, {
  type Batch,
  BatchJobs,
  isBatchDone,
  RunpodApiError,
  RunpodError,
  TimeoutError,
} from "../mod.ts";
import { createEmulator, FakeClock } from "../testing.ts";

function setup(options: { workers?: number; jobMs?: number } = {}) {
  const clock = new FakeClock();
  const emulator = createEmulator<number>({
    clock,
    workers: options.workers ?? 4,
    worker: async ({ input, sleep }) => {
      await sleep(options.jobMs ?? 1_000);
      return input * 2;
    },
  });
  const sent: { route: string; bytes: number }[] = [];
  const fetch = async (input: Request | URL | string, init?: RequestInit) => {
    const request = new Request(input, init);
    const body = request.method === "POST" ? await request.clone().arrayBuffer() : undefined;
    sent.push({ route: new URL(request.url).pathname, bytes: body?.byteLength ?? 0 });
    return emulator.fetch(request);
  };
  const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch, clock })
    .endpoint<number, number>("test-endpoint");
  return {
    clock,
    emulator,
    endpoint,
    batches: endpoint.batches,
    sent,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}

const inputs = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ input: from + i }));

Deno.test("batches.create() makes a DRAFT batch; get() reads it; the same object serves the endpoint", async () => {
  await using t = setup();
  assert.equal(t.endpoint.batches, t.batches);
  assert.equal(new BatchJobs(t.endpoint).endpointId, "test-endpoint");
  const batch = await t.batches.create(inputs(3));
  assert.equal(batch.status, "DRAFT");
  assert.equal(batch.requestTotal, 3);
  assert.equal(batch.endpointId, "test-endpoint");
  assert.deepEqual(await t.batches.get(batch.id), batch);
  assert.deepEqual(t.sent.map((s) => s.route), [
    "/v2/test-endpoint/batch",
    `/v2/test-endpoint/batch/${batch.id}`,
  ]);
});

Deno.test("create() and add() split requests over bodies of at most 10 MiB", async () => {
  await using t = setup();
  const big = "x".repeat(3 * 1024 * 1024);
  const requests = Array.from({ length: 7 }, (_, i) => ({ input: i, note: big } as never));
  const batch = await t.batches.create(requests);
  assert.equal(batch.requestTotal, 7);
  assert.deepEqual(t.sent.map((s) => s.route.replace(batch.id, "{id}")), [
    "/v2/test-endpoint/batch",
    "/v2/test-endpoint/batch/{id}/requests",
    "/v2/test-endpoint/batch/{id}/requests",
  ]);
  for (const { bytes } of t.sent) assert.ok(bytes <= 10 * 1024 * 1024, `${bytes} bytes`);
  const added = await t.batches.add(batch.id, requests.slice(0, 4));
  assert.equal(added.requestTotal, 11);
  assert.equal(t.sent.length, 5);
});

Deno.test("finalize() runs the batch; waitFor() reports its counts as they change and resolves once done", async () => {
  await using t = setup({ workers: 2 });
  const { id } = await t.batches.create(inputs(4));
  assert.equal((await t.batches.finalize(id)).status, "FINALIZED");
  const seen: string[] = [];
  const start = t.clock.now();
  const done = await t.batches.waitFor(id, {
    onStatus: (b) => seen.push(`${b.requestCompleted}/${b.requestTotal}`),
  });
  assert.ok(isBatchDone(done));
  assert.equal(done.requestCompleted, 4);
  assert.equal(seen.at(-1), "4/4");
  assert.ok(seen.length >= 2 && new Set(seen).size === seen.length, seen.join(" "));
  // Two workers, four 1 s jobs: done at 2 s, seen within the next pause.
  assert.ok(t.clock.now() - start >= 2_000 && t.clock.now() - start <= 4_000);
});

Deno.test("page() reads a page; requests() walks every page in order", async () => {
  await using t = setup({ workers: 10 });
  const { id } = await t.batches.create(inputs(25));
  await t.batches.finalize(id);
  await t.batches.waitFor(id);
  const page = await t.batches.page(id, { offset: 20, limit: 10 });
  assert.equal(page.total, 25);
  assert.equal(page.hasMore, false);
  assert.deepEqual(page.requests.map((r) => r.output), [40, 42, 44, 46, 48]);
  const outputs: unknown[] = [];
  for await (const request of t.batches.requests(id, { pageSize: 10 })) {
    outputs.push(request.output);
  }
  assert.deepEqual(outputs, Array.from({ length: 25 }, (_, i) => i * 2));
  assert.equal(t.emulator.countRequests("GET /batch"), 1 + 3 + t.sent.length - 6);
});

Deno.test("cancel() cancels a batch and its jobs not finished", async () => {
  await using t = setup({ workers: 1, jobMs: 10_000 });
  const { id } = await t.batches.create(inputs(3));
  await t.batches.finalize(id);
  const cancelled = await t.batches.cancel(id);
  assert.equal(cancelled.status, "CANCELLED");
  assert.ok(isBatchDone(cancelled));
  assert.ok(t.emulator.jobs.every((job) => job.status === "CANCELLED"));
});

Deno.test("waitFor() with cancelOnAbort cancels the batch when its timeout runs out", async () => {
  await using t = setup({ workers: 1, jobMs: 60_000 });
  const { id } = await t.batches.create(inputs(3));
  await t.batches.finalize(id);
  const error = await t.batches.waitFor(id, { timeout: 30_000, cancelOnAbort: true }).catch((e) =>
    e
  );
  assert.ok(error instanceof TimeoutError, String(error));
  assert.match(error.message, /Wait for batch '.*' timed out after 30000 ms/);
  assert.equal((await t.batches.get(id)).status, "CANCELLED");
});

Deno.test("add() is not resent after a server error, and says the requests may have been added", async () => {
  await using t = setup();
  const { id } = await t.batches.create(inputs(1));
  t.emulator.inject("POST /batch", { status: 500 });
  const error = await t.batches.add(id, inputs(1)).catch((e) => e);
  assert.ok(error instanceof RunpodApiError);
  assert.match(error.message, /may or may not have been added/);
  assert.equal(t.sent.length, 2, "no second attempt");
  t.emulator.inject("POST /batch", { status: 429 });
  // The injected 500 answered instead of the emulator: nothing was added.
  assert.equal((await t.batches.add(id, inputs(1))).requestTotal, 2, "a 429 is retried");
});

Deno.test("get(), finalize() and cancel() are retried after a 503", async () => {
  await using t = setup();
  const { id } = await t.batches.create(inputs(1));
  for (
    const call of [
      () => t.batches.get(id),
      () => t.batches.finalize(id),
      () => t.batches.cancel(id),
    ]
  ) {
    t.emulator.inject("*", { status: 503 });
    const batch: Batch = await call();
    assert.equal(batch.id, id);
  }
});

Deno.test("batch calls refuse bad arguments before sending anything", async () => {
  await using t = setup();
  await assert.rejects(t.batches.create("x" as never), TypeError);
  await assert.rejects(t.batches.create({} as never), TypeError);
  await assert.rejects(t.batches.create(inputs(5_001)), /at most 5000/);
  await assert.rejects(t.batches.create([{ prompt: 1 } as never]), /has no 'input'/);
  await assert.rejects(t.batches.add("bad id!", inputs(1)), /the batch id must be/);
  await assert.rejects(t.batches.add("b1", []), RangeError);
  await assert.rejects(t.batches.page("b1", { offset: -1 }), RangeError);
  await assert.rejects(t.batches.page("b1", { limit: 0 }), RangeError);
  await assert.rejects(t.batches.get("b1", -5), RangeError);
  await assert.rejects(t.batches.waitFor("b1", { onStatus: 1 as never }), TypeError);
  assert.throws(() => new BatchJobs({ id: "x" }), /pass an endpoint made by runpod.endpoint/);
  assert.equal(t.sent.length, 0);
});

Deno.test("an answer that is not a batch is a RunpodError naming the route", async () => {
  await using t = setup();
  t.emulator.inject("POST /batch", { json: { id: "b" } });
  const error = await t.batches.create(inputs(1)).catch((e) => e);
  assert.ok(error instanceof RunpodError);
  assert.match(error.message, /POST \/batch answered with an unexpected shape: no batch 'status'/);
  t.emulator.inject("GET /batch", { json: { requests: "none" } });
  await assert.rejects(t.batches.page("b1"), /no 'requests' array/);
});
