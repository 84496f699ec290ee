import assert from "node:assert/strict";
import { RunpodApiError, TimeoutError } from "../mod.ts";
import { assertRejects } from "./_helpers/assert_rejects.ts";
import { setup } from "./_helpers/setup.ts";
import { sleeper } from "./_helpers/workers.ts";

Deno.test("a call's timeout covers its retries", async () => {
  await using t = setup({}, { maxRetries: 5 });
  t.emulator.inject("GET /health", { status: 503 }, 10);
  const started = t.clock.now();
  const error = await assertRejects(t.endpoint.health(1200), Error);
  assert.ok(
    error instanceof TimeoutError || (error instanceof RunpodApiError && error.status === 503),
    String(error),
  );
  assert.ok(t.clock.now() - started <= 1200);
});

Deno.test("headers slower than the timeout reject with TimeoutError", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { delay: 60_000 });
  const started = t.clock.now();
  const error = await assertRejects(
    t.endpoint.health(3000),
    TimeoutError,
    /timed out after 3000 ms/,
  );
  assert.equal(error.timeout, 3000);
  assert.equal(t.clock.now() - started, 3000);
});

Deno.test("single-request calls time out after 30 s by default", async () => {
  await using t = setup();
  t.emulator.inject("GET /health", { delay: 600_000 });
  const started = t.clock.now();
  const error = await assertRejects(t.endpoint.health(), TimeoutError);
  assert.equal(error.name, "TimeoutError");
  assert.equal(t.clock.now() - started, 30_000);
});

Deno.test("a caller's signal rejects the call with the signal's reason", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  const controller = new AbortController();
  t.clock.setTimer(() => controller.abort(), 2000);
  const error = await assertRejects(
    t.endpoint.runSync({ input: 1 }, { signal: controller.signal }),
    DOMException,
  );
  assert.equal(error.name, "AbortError");
  const reason = new Error("my reason");
  const again = new AbortController();
  t.clock.setTimer(() => again.abort(reason), 2000);
  assert.equal(
    await assertRejects(t.endpoint.runSync({ input: 1 }, { signal: again.signal }), Error),
    reason,
  );
});

Deno.test("an already aborted signal rejects without sending anything", async () => {
  await using t = setup();
  const error = await assertRejects(
    t.endpoint.run({ input: 1 }, { signal: AbortSignal.abort() }),
    DOMException,
  );
  assert.equal(error.name, "AbortError");
  assert.equal(t.sent.length, 0);
});

Deno.test("a timeout during a stream's held poll rejects the generator with TimeoutError", async () => {
  await using t = setup({ worker: sleeper(60_000) });
  const { id } = await t.endpoint.run({ input: 1 });
  const stream = t.endpoint.stream(id, 2000);
  await assertRejects(stream.next(), TimeoutError);

  assert.deepEqual(await stream.next(), { done: true, value: undefined });
});

Deno.test("every method accepts a number as its timeout", async () => {
  await using t = setup();
  const { id } = await t.endpoint.run({ input: 1 }, 1000);
  await t.endpoint.status(id, 1000);
  await t.endpoint.waitFor(id, 1000);
  await t.endpoint.runSync({ input: 1 }, 3000);
  for await (const _ of t.endpoint.stream(id, 1000)) { /* echo worker: no items */ }
  await t.endpoint.health(1000);
  await t.endpoint.purgeQueue(1000);
  await t.endpoint.cancel(id, 1000);
  const routes = new Set(t.emulator.requests.map((r) => r.route));
  assert.deepEqual([...routes], [
    "POST /run",
    "GET /status",
    "POST /runsync",
    "GET /stream",
    "GET /health",
    "POST /purge-queue",
    "POST /cancel",
  ]);
});
