import assert from "node:assert/strict";
import { parseWorkerError } from "../../mod.ts";
import type { Handler } from "../../worker.ts";
import { advanceUntil, FakeRunpod, startOn } from "./_fake_runpod.ts";

/** Runs `handler` on one job and returns its final body. */
async function runOne(handler: Handler, options: { aggregate?: boolean } = {}) {
  const fake = new FakeRunpod();
  fake.push({ id: "j", input: { n: 2 } });
  await using w = startOn(fake, { handler, returnAggregateStream: options.aggregate ?? false });
  await advanceUntil(fake.clock, () => fake.finals.has("j"));
  await w.handle.stop();
  return {
    final: fake.finals.get("j")![0] as Record<string, unknown>,
    streamed: fake.streamed.get("j") ?? [],
    isStream: fake.finalIsStream.get("j"),
    fake,
  };
}

Deno.test("a sync handler's return value is posted as {output}", async () => {
  const { final, isStream } = await runOne((job) => job.input.n * 2);
  assert.deepEqual(final, { output: 4 });
  assert.equal(isStream, false);
});

Deno.test("an async handler's resolved value is posted as {output}; undefined as null", async () => {
  assert.deepEqual((await runOne(() => Promise.resolve({ a: 1 }))).final, { output: { a: 1 } });
  assert.deepEqual((await runOne(async () => {})).final, { output: null });
});

Deno.test("a returned object's error becomes the body's error, the rest its output, an empty rest left out", async () => {
  assert.deepEqual((await runOne(() => ({ error: "bad input" }))).final, { error: "bad input" });
  assert.deepEqual((await runOne(() => ({ error: "half", partial: 1 }))).final, {
    output: { partial: 1 },
    error: "half",
  });
  assert.deepEqual((await runOne(() => ({ error: null, x: 1 }))).final, { output: { x: 1 } });
});

Deno.test("a thrown Error becomes {error: JSON text} that parseWorkerError reads, with the JS error's name", async () => {
  const { final } = await runOne(() => {
    throw new RangeError("n is too big");
  });
  const report = parseWorkerError(final.error);
  assert.equal(report?.type, "RangeError");
  assert.equal(report?.error_type, "RangeError");
  assert.equal(report?.error_message, "n is too big");
  assert.match(String(report?.error_traceback), /RangeError: n is too big/);
  assert.equal(report?.worker_id, "worker-1");
  assert.equal(typeof report?.hostname, "string");
  assert.equal(typeof report?.runpod_version, "string");
  assert.deepEqual(Object.keys(final), ["error"]);
});

Deno.test("a rejection and a thrown non-Error fail the job with a clear message", async () => {
  const rejected = parseWorkerError(
    (await runOne(() => Promise.reject(new TypeError("no")))).final.error,
  );
  assert.equal(rejected?.type, "TypeError");
  const odd = parseWorkerError(
    (await runOne(() => {
      throw { code: 7 };
    })).final.error,
  );
  assert.equal(odd?.type, "Error");
  assert.match(String(odd?.error_message), /threw a value that is not an Error: \{"code":7\}/);
});

Deno.test("a result that is not JSON (BigInt, a cycle) fails the job instead of crashing the worker", async () => {
  const big = parseWorkerError((await runOne(() => ({ n: 1n }))).final.error);
  assert.equal(big?.type, "TypeError");
  assert.match(String(big?.error_message), /cannot be sent as JSON/);
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const cyclic = parseWorkerError((await runOne(() => cycle)).final.error);
  assert.match(String(cyclic?.error_message), /cannot be sent as JSON/);
});

Deno.test("an async generator's items are posted one by one to the stream URL, then {output: []} with isStream=true", async () => {
  const { final, streamed, isStream, fake } = await runOne(async function* (job) {
    for (let i = 0; i < job.input.n; i++) yield { token: i };
  });
  assert.deepEqual(streamed, [{ token: 0 }, { token: 1 }]);
  assert.deepEqual(final, { output: [] });
  assert.equal(isStream, true);
  const stream = fake.of("stream")[0]!;
  assert.equal(
    stream.url,
    "http://runpod.test/v2/ep/job-stream/worker-1/j?gpu=NVIDIA+L4&isStream=false",
  );
  assert.equal(stream.headers.get("authorization"), "worker-secret-key");
  assert.deepEqual(JSON.parse(stream.body!), { output: { token: 0 } });
  assert.match(
    fake.of("done").at(-1)!.url,
    /\/job-done\/worker-1\/j\?gpu=NVIDIA\+L4&isStream=true$/,
  );
});

Deno.test("a sync generator streams too; returnAggregateStream puts every item in the final output", async () => {
  const { final, streamed } = await runOne(function* () {
    yield "a";
    yield "b";
  }, { aggregate: true });
  assert.deepEqual(streamed, ["a", "b"]);
  assert.deepEqual(final, { output: ["a", "b"] });
});

Deno.test("a generator that throws ends the stream with the error report as the final post", async () => {
  const { final, streamed, isStream } = await runOne(async function* () {
    yield 1;
    throw new Error("model crashed");
  });
  assert.deepEqual(streamed, [1]);
  assert.equal(parseWorkerError(final.error)?.error_message, "model crashed");
  assert.equal(isStream, true);
});

Deno.test("a yielded object with an error ends the stream with that error", async () => {
  let closed = false;
  const { final, streamed } = await runOne(async function* () {
    try {
      yield "a";
      yield { error: "out of memory" };
      yield "never";
    } finally {
      closed = true;
    }
  });
  assert.deepEqual(streamed, ["a"]);
  assert.deepEqual(final, { error: "out of memory" });
  assert.equal(closed, true);
});

Deno.test("with returnAggregateStream, a yielded error's final post is the error alone, not the items before it (as runpod-python)", async () => {
  const { final, streamed, isStream } = await runOne(async function* () {
    yield "a";
    yield { error: "out of memory" };
  }, { aggregate: true });
  assert.deepEqual(streamed, ["a"]);
  assert.deepEqual(final, { error: "out of memory" });
  assert.equal(isStream, true);
});

Deno.test("an array return value is an output, not a stream", async () => {
  const { final, streamed } = await runOne(() => [1, 2]);
  assert.deepEqual(final, { output: [1, 2] });
  assert.deepEqual(streamed, []);
});
