import assert from "node:assert/strict";
import runpodSdk, { delay, TimeoutError } from "../mod.ts";
import { createEmulator, type Emulator, FakeClock } from "../testing.ts";

/**
 * An emulator with RunPod's rate limits on (its default) unless `rateLimits:
 * false`, and no deep-queue 429 (the tests queue thousands of jobs on purpose).
 */
function setup(
  options: { workers?: number; autoAdvance?: boolean; rateLimits?: false } = {},
) {
  const clock = new FakeClock({ autoAdvance: options.autoAdvance ?? true });
  const emulator = createEmulator({
    clock,
    workers: options.workers ?? 1,
    endpoints: ["a", "b"],
    deepQueue: false,
    ...(options.rateLimits === false ? { rateLimits: false } : {}),
  });
  const connect = (pacing?: Parameters<typeof runpodSdk>[1]) =>
    runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock, ...pacing });
  return { clock, emulator, connect };
}

/** The most requests to `route` that arrived within any `window` ms, by the emulator's log. */
function busiestWindow(emulator: Emulator, route: string, window = 10_000): number {
  const times = emulator.requests.filter((r) => r.route === route).map((r) => r.at);
  let most = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= window) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

Deno.test("pacing keeps /run within 1,000 per 10 s, shared by every Endpoint object of a client", async () => {
  const { clock, emulator, connect } = setup();
  await using _ = emulator;
  using __ = clock;
  const runpod = connect();
  const start = clock.now();
  const one = runpod.endpoint("a");
  const two = runpod.endpoint("a");
  const handles = await Promise.all(
    Array.from({ length: 2_500 }, (_, i) => (i % 2 ? one : two).run({ input: i })),
  );
  assert.equal(new Set(handles.map((h) => h.id)).size, 2_500);
  assert.equal(emulator.countRequests("POST /run"), 2_500, "every job sent once, none refused");
  assert.equal(emulator.requests.filter((r) => r.status === 429).length, 0);
  assert.equal(busiestWindow(emulator, "POST /run"), 1_000);
  // 2,500 requests: 1,000 at once, 1,000 a window later, 500 two windows later (plus the margin).
  const took = clock.now() - start;
  assert.ok(took >= 20_000 && took < 21_000, `${took} ms`);
});

Deno.test("each endpoint id and each client has its own pace", async () => {
  // Without the emulator's limits: two clients of one key share RunPod's.
  const { clock, emulator, connect } = setup({ rateLimits: false });
  await using _ = emulator;
  using __ = clock;
  const start = clock.now();
  const first = connect();
  const second = connect();
  await Promise.all([
    ...Array.from({ length: 1_000 }, (_, i) => first.endpoint("a").run({ input: i })),
    ...Array.from({ length: 1_000 }, (_, i) => first.endpoint("b").run({ input: i })),
    ...Array.from({ length: 1_000 }, (_, i) => second.endpoint("a").run({ input: i })),
  ]);
  assert.equal(clock.now(), start, "no call waited");
});

Deno.test("a request waiting for its turn aborts with the caller's signal, and sends nothing", async () => {
  const { clock, emulator, connect } = setup();
  await using _ = emulator;
  using __ = clock;
  const endpoint = connect({ pacing: { limits: { run: { rate: 1 } } } }).endpoint("a");
  await endpoint.run({ input: 1 });
  const controller = new AbortController();
  const waiting = endpoint.run({ input: 2 }, { signal: controller.signal });
  await clock.advance(0);
  controller.abort();
  await assert.rejects(waiting, { name: "AbortError" });
  assert.equal(emulator.countRequests("POST /run"), 1);
  const later = await endpoint.run({ input: 3 });
  assert.equal(typeof later.id, "string", "the aborted wait gave its turn away");
});

Deno.test("waiting for a turn counts against the call's timeout", async () => {
  const { clock, emulator, connect } = setup();
  await using _ = emulator;
  using __ = clock;
  const endpoint = connect({ pacing: { limits: { status: { rate: 1 } } } }).endpoint("a");
  const { id } = await endpoint.run({ input: 1 });
  await endpoint.status(id);
  const start = clock.now();
  const error = await endpoint.status(id, 3_000).catch((e) => e);
  assert.ok(error instanceof TimeoutError, String(error));
  assert.equal(error.timeout, 3_000);
  assert.equal(clock.now() - start, 3_000);
  assert.equal(emulator.countRequests("GET /status"), 1);
});

Deno.test("the client's default timeout starts when the request is sent, not while it waits its turn", async () => {
  const { clock, emulator, connect } = setup();
  await using _ = emulator;
  using __ = clock;
  const endpoint = connect({ pacing: { limits: { status: { rate: 1 } } } }).endpoint("a");
  const { id } = await endpoint.run({ input: 1 });
  const start = clock.now();
  const jobs = await Promise.all([1, 2, 3, 4, 5].map(() => endpoint.status(id)));
  assert.equal(jobs.length, 5);
  // One /status per 10 s window (plus its margin): the fifth waited over 40 s, past the 30 s default.
  assert.ok(clock.now() - start > 40_000, `${clock.now() - start} ms`);
  assert.equal(emulator.countRequests("GET /status"), 5);
});

Deno.test("concurrency: at most the route's limit in flight at once", async () => {
  const { clock, emulator, connect } = setup({ workers: 50 });
  await using _ = emulator;
  using __ = clock;
  const endpoint = connect({ pacing: { limits: { runsync: { concurrent: 5 } } } }).endpoint("a");
  emulator.inject("POST /runsync", { delay: 1_000 }, 20);
  const start = clock.now();
  await Promise.all(Array.from({ length: 20 }, (_, i) => endpoint.runSync({ input: i })));
  // 20 requests held 1 s each, 5 at a time: 4 s.
  assert.equal(clock.now() - start, 4_000);
});

Deno.test("a 429 with Retry-After holds every request of the route until then", async () => {
  const { clock, emulator, connect } = setup();
  await using _ = emulator;
  using __ = clock;
  const endpoint = connect().endpoint("a");
  emulator.inject("POST /run", { status: 429, retryAfter: "3" });
  const start = clock.now();
  const first = endpoint.run({ input: 1 });
  // Time moves only once the first call waits out its Retry-After: then a second call starts.
  await delay(1_000, { clock });
  const second = await endpoint.run({ input: 2 });
  assert.equal(second.status, "IN_QUEUE");
  assert.equal((await first).status, "IN_QUEUE");
  assert.deepEqual(
    emulator.requests.map((r) => [r.at - start, r.status]),
    [[0, 429], [3_000, 200], [3_000, 200]],
    "the second call, made at 1 s, was sent only once the Retry-After had passed",
  );
});

Deno.test("a 429 without Retry-After halves the route's rate for a while", async () => {
  const { clock, emulator, connect } = setup();
  await using _ = emulator;
  using __ = clock;
  const endpoint = connect({ pacing: { limits: { run: { rate: 100 } } } }).endpoint("a");
  emulator.inject("POST /run", { status: 429 });
  await Promise.all(Array.from({ length: 200 }, (_, i) => endpoint.run({ input: i })));
  assert.equal(emulator.countRequests("POST /run"), 201);
  assert.ok(busiestWindow(emulator, "POST /run") <= 100);
  // At the full rate the second window would hold 100; halved, it holds fewer.
  const start = emulator.requests[0]!.at;
  const second =
    emulator.requests.filter((r) => r.at >= start + 10_000 && r.at < start + 20_000).length;
  assert.ok(second < 100, `${second} in the second window`);
});

Deno.test("pacing: false sends every request at once", async () => {
  const { clock, emulator, connect } = setup({ rateLimits: false });
  await using _ = emulator;
  using __ = clock;
  const endpoint = connect({ pacing: false }).endpoint("a");
  const start = clock.now();
  await Promise.all(Array.from({ length: 3_000 }, (_, i) => endpoint.run({ input: i })));
  assert.equal(clock.now(), start);
  assert.equal(busiestWindow(emulator, "POST /run"), 3_000);
});

Deno.test("bad pacing options throw before any request", () => {
  const bad: [unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    [true, TypeError, /pacing must be false or an object/],
    [{ limits: [] }, TypeError, /pacing.limits must be an object/],
    [{ limits: { runn: {} } }, TypeError, /unknown route 'runn'/],
    [{ limits: { run: 5 } }, TypeError, /limits.run must be an object/],
    [{ limits: { run: { rate: 0 } } }, RangeError, /limits.run.rate must be a positive integer/],
    [{ limits: { cancel: { concurrent: 1.5 } } }, RangeError, /concurrent must be a positive/],
  ];
  for (const [pacing, ErrorClass, message] of bad) {
    assert.throws(
      () => runpodSdk("test-key", { pacing: pacing as false }),
      (error: Error) => error instanceof ErrorClass && message.test(error.message),
      JSON.stringify(pacing),
    );
  }
});
