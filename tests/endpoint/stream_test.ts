import assert from "node:assert/strict";
import {
  JobError,
  RunpodApiError,
  StreamGapError,
  type StreamItem,
  TimeoutError,
} from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { gaps, setup, times } from "../_helpers/setup.ts";
import { photos } from "../_helpers/workers.ts";

async function collect<T>(stream: AsyncIterable<StreamItem<T>>): Promise<T[]> {
  const outputs: T[] = [];
  for await (const item of stream) outputs.push(item.output);
  return outputs;
}

const SEVEN = Array.from({ length: 7 }, (_, i) => `horse photo ${i + 1}`);

Deno.test("stream() yields every item once and in order, then ends after COMPLETED", async () => {
  await using t = setup<unknown, string>({ worker: photos(7, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  assert.deepEqual(await collect(t.endpoint.stream(id)), SEVEN);
  assert.equal((await t.endpoint.status(id)).status, "COMPLETED");
});

Deno.test("stream() sends one held poll per item when items come slower than polls", async () => {
  await using t = setup<unknown, string>({ worker: photos(7, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  await collect(t.endpoint.stream(id));
  const polls = t.emulator.countRequests("GET /stream");
  assert.ok(polls >= 7 && polls <= 8, `${polls} polls for 7 items`);
});

Deno.test("stream() throws JobError after yielding every item when the job FAILED", async () => {
  await using t = setup<unknown, string>({
    worker: async function* ({ sleep }) {
      yield "one";
      await sleep(500);
      yield "two";
      throw new Error("GPU fell off the bus");
    },
  });
  const { id } = await t.endpoint.run({ input: {} });
  const outputs: string[] = [];
  const error = await assertRejects(async () => {
    for await (const item of t.endpoint.stream(id)) outputs.push(item.output);
  }, JobError);
  assert.deepEqual(outputs, ["one", "two"]);
  assert.equal(error.status, "FAILED");
  assert.equal(error.jobId, id);
  assert.match(String(error.error), /GPU fell off the bus/);
});

Deno.test("stream() throws JobError with CANCELLED when the job is cancelled", async () => {
  await using t = setup<unknown, string>({ worker: photos(100, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  const outputs: string[] = [];
  const error = await assertRejects(async () => {
    for await (const item of t.endpoint.stream(id)) {
      outputs.push(item.output);
      if (outputs.length === 2) await t.endpoint.cancel(id);
    }
  }, JobError);
  assert.equal(error.status, "CANCELLED");
  assert.deepEqual(outputs.slice(0, 2), ["horse photo 1", "horse photo 2"]);
});

Deno.test("stream() pauses with a growing backoff after empty polls that come back at once", async () => {
  await using t = setup<unknown, string>({ worker: photos(1, 30_000) });
  const { id } = await t.endpoint.run({ input: {} });
  t.emulator.inject("GET /stream", { json: { status: "IN_PROGRESS", stream: [] } }, 4);
  assert.deepEqual(await collect(t.endpoint.stream(id)), ["horse photo 1"]);
  const pauses = gaps(times(t.emulator, "GET /stream")).slice(0, 4);
  assert.deepEqual(pauses, [250, 500, 1000, 2000]);
});

Deno.test("stream() sends no request after the consumer breaks", async () => {
  await using t = setup<unknown, string>({ worker: photos(7, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  const outputs: string[] = [];
  for await (const item of t.endpoint.stream(id)) {
    outputs.push(item.output);
    if (outputs.length === 3) break;
  }
  const polls = t.emulator.countRequests("GET /stream");
  await t.clock.advance(60_000);
  assert.deepEqual(outputs, SEVEN.slice(0, 3));
  assert.equal(t.emulator.countRequests("GET /stream"), polls);
  assert.equal(t.emulator.countRequests("POST /cancel"), 0);
});

Deno.test("stream() with cancelOnAbort cancels the job when the consumer breaks", async () => {
  await using t = setup<unknown, string>({ worker: photos(7, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  for await (const _ of t.endpoint.stream(id, { cancelOnAbort: true })) break;
  assert.equal(t.emulator.job(id)?.status, "CANCELLED");
});

Deno.test("stream() retries a 429 without losing or duplicating items", async () => {
  await using t = setup<unknown, string>({ worker: photos(7, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  t.emulator.inject("GET /stream", { status: 429, retryAfter: "1" }, 2);
  assert.deepEqual(await collect(t.endpoint.stream(id)), SEVEN);
});

Deno.test("stream() throws StreamGapError when a drained answer is lost", async () => {
  await using t = setup<unknown, string>({ worker: photos(7, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  const outputs: string[] = [];
  const error = await assertRejects(async () => {
    for await (const item of t.endpoint.stream(id)) {
      outputs.push(item.output);
      if (outputs.length === 2) t.emulator.inject("GET /stream", { drop: true, when: "after" });
    }
  }, StreamGapError);
  assert.equal(error.received, 2);
  assert.equal(error.jobId, id);
  assert.deepEqual(outputs, SEVEN.slice(0, 2));
});

Deno.test("stream() with allowGaps goes on after a lost answer, missing only the lost items", async () => {
  await using t = setup<unknown, string>({ worker: photos(7, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  const outputs: string[] = [];
  for await (const item of t.endpoint.stream(id, { allowGaps: true })) {
    outputs.push(item.output);
    if (outputs.length === 2) t.emulator.inject("GET /stream", { drop: true, when: "after" });
  }
  assert.deepEqual(outputs.slice(0, 2), SEVEN.slice(0, 2));
  assert.ok(outputs.length < 7, "the lost poll's item is gone");
  assert.deepEqual(outputs, SEVEN.filter((item) => outputs.includes(item)), "in order, once");
});

Deno.test("stream() passes a 404 for an unknown job on as RunpodApiError", async () => {
  await using t = setup();
  const error = await assertRejects(collect(t.endpoint.stream("nope")), RunpodApiError);
  assert.equal(error.status, 404);
});

Deno.test("stream() rejects with TimeoutError when its timeout runs out", async () => {
  await using t = setup<unknown, string>({ worker: photos(100, 1000) });
  const { id } = await t.endpoint.run({ input: {} });
  const outputs: string[] = [];
  const error = await assertRejects(async () => {
    for await (const item of t.endpoint.stream(id, 5500)) outputs.push(item.output);
  }, TimeoutError);

  assert.equal(error.jobId, id);
  assert.deepEqual(outputs, Array.from({ length: 5 }, (_, i) => `horse photo ${i + 1}`));
});
