import assert from "node:assert/strict";
import runpodSdk, { RunpodApiError, TimeoutError } from "../../mod.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { bounded } from "../_helpers/harness.ts";
import { setup } from "../_helpers/setup.ts";
import { sleeper } from "../_helpers/workers.ts";

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

Deno.test("a call that starts right after another one settles times out at its own deadline", async () => {
  await using t = setup();
  await t.endpoint.health(1000);
  t.emulator.inject("GET /health", { delay: 60_000 });
  const started = t.clock.now();
  await assertRejects(t.endpoint.health(5000), TimeoutError, /timed out after 5000 ms/);
  assert.equal(t.clock.now() - started, 5000);
});

/** Resolves after one real macrotask turn: every microtask queued before it has run. */
const drained = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("a sequential loop sets the client's deadline timer once, and none is left once the microtask queue drains", async () => {
  let live = 0;
  let sets = 0;
  const clock = {
    now: () => Date.now(),
    setTimer(fn: () => void, ms: number) {
      live++;
      sets++;
      let done = false;
      const id = setTimeout(() => {
        done = true;
        live--;
        fn();
      }, ms);
      return () => {
        if (!done) live--;
        done = true;
        clearTimeout(id);
      };
    },
  };
  const body = JSON.stringify({ id: "job-1", status: "COMPLETED" });
  // Answers at once, or (once `hold` is set) when `release()` is called.
  let hold = false;
  const held: (() => void)[] = [];
  const release = () => held.splice(0).forEach((answer) => answer());
  const endpoint = runpodSdk("test-key", {
    clock,
    fetch: () =>
      hold
        ? new Promise<Response>((resolve) => held.push(() => resolve(new Response(body))))
        : Promise.resolve(new Response(body)),
  }).endpoint("e");
  // Each call starts a few microtask turns after the last one settled, and takes its timer over.
  for (let i = 0; i < 5; i++) await endpoint.status("job-1");
  assert.equal(sets, 1, "one timer for the whole loop");
  await drained();
  assert.equal(live, 0, "no timer once the microtask queue drained");
  // The same through an async function of the caller's own.
  const read = async (id: string) => (await endpoint.status(id)).status;
  for (let i = 0; i < 5; i++) assert.equal(await read("job-1"), "COMPLETED");
  assert.equal(sets, 2, "one timer for the second loop");
  await drained();
  assert.equal(live, 0);

  hold = true;
  const both = [endpoint.status("job-1"), endpoint.status("job-1")];
  // The default timeout starts when a request is sent (after its pacing turn): wait for both sends.
  for (let turn = 0; held.length < 2 && turn < 1_000; turn++) await Promise.resolve();
  assert.equal(held.length, 2, "both requests were sent");
  assert.equal(live, 1, "concurrent calls share one timer");
  release();
  await Promise.all(both);
  await drained();
  assert.equal(live, 0);
});

/** A client on the test's fake clock that counts the timers it sets. */
function countingSetup() {
  // The fake clock is made inside setup(): the client reaches it through `made`.
  const made: { t?: ReturnType<typeof setup> } = {};
  const counts = { sets: 0 };
  const clock = {
    now: () => made.t!.clock.now(),
    setTimer(fn: () => void, ms: number) {
      counts.sets++;
      return made.t!.clock.setTimer(fn, ms);
    },
  };
  made.t = setup({}, { clock });
  return Object.assign(made.t, { counts });
}

Deno.test("a call that takes over the timer of a call with an earlier deadline times out exactly at its own", async () => {
  await using t = countingSetup();
  await t.endpoint.health(10_000);
  assert.equal(t.counts.sets, 1);
  t.emulator.inject("GET /health", { delay: 60_000 });
  const started = t.clock.now();
  await assertRejects(t.endpoint.health(20_000), TimeoutError, /timed out after 20000 ms/);
  assert.equal(t.clock.now() - started, 20_000);
  // The first call's timer, taken over, fired at its deadline and was set again for the second's.
  assert.equal(t.counts.sets, 2);
});

Deno.test("a call with an earlier deadline than the timer it finds sets it sooner and times out at its own", async () => {
  await using t = countingSetup();
  await t.endpoint.health(30_000);
  t.emulator.inject("GET /health", { delay: 60_000 });
  const started = t.clock.now();
  await assertRejects(t.endpoint.health(5000), TimeoutError, /timed out after 5000 ms/);
  assert.equal(t.clock.now() - started, 5000);
  assert.equal(t.counts.sets, 2);
});

Deno.test("an answer whose body stalls past the timeout rejects with TimeoutError through the runtime's own fetch", async () => {
  // A real server on loopback: the head and the first bytes of the body, then nothing.
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":"job-1",'));
      },
    });
    return new Response(body, { headers: { "content-type": "application/json" } });
  });
  const endpoint = runpodSdk("test-key", {
    baseUrl: `http://127.0.0.1:${server.addr.port}/v2`,
    maxRetries: 0,
  }).endpoint("e");
  // Bounded, so that a body which never errors fails the test instead of hanging it.
  const settled = await bounded(endpoint.status("job-1", 300), "status()", 10_000);
  assert.ok(
    !settled.ok && settled.error instanceof TimeoutError,
    String(!settled.ok && settled.error),
  );
  assert.match(settled.error.message, /timed out after 300 ms/);
});
