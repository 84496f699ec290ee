import assert from "node:assert/strict";
import { delay } from "../../mod.ts";
import { FakeClock } from "../../testing.ts";

Deno.test("auto-advance jumps only once a long chain of promise jobs has finished", async () => {
  using clock = new FakeClock();
  const log: string[] = [];
  const chain = (async () => {
    for (let i = 0; i < 10_000; i++) await null;
    log.push(`chain done at ${clock.now()}`);
  })();
  const start = clock.now();
  await delay(1_000, { clock });
  log.push(`timer at +${clock.now() - start}`);
  await chain;
  assert.deepEqual(log, [`chain done at ${start}`, "timer at +1000"]);
});

Deno.test("auto-advance fires every timer due at the same time in one turn, in order", async () => {
  using clock = new FakeClock();
  const fired: number[] = [];
  const Real = globalThis.MessageChannel;
  let turns = 0;
  globalThis.MessageChannel = class extends Real {
    constructor() {
      super();
      turns++;
    }
  };
  try {
    const waits = Array.from({ length: 1_000 }, (_, i) => delay(60_000, { clock }).then(() => i));
    for (const wait of waits) wait.then((i) => fired.push(i));
    await Promise.all(waits);
  } finally {
    globalThis.MessageChannel = Real;
  }
  assert.ok(turns <= 3, `${turns} turns`); // two idle turns, then one that fires all
  assert.equal(fired.length, 1_000);
  assert.deepEqual(fired, [...fired].sort((a, b) => a - b));
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("a timer a callback sets to 0 ms fires after the promise jobs of the batch", async () => {
  using clock = new FakeClock();
  const log: string[] = [];
  await new Promise<void>((resolve) => {
    clock.setTimer(() => {
      log.push("first");
      clock.setTimer(() => {
        log.push("zero");
        resolve();
      }, 0);
      Promise.resolve().then(() => log.push("promise job of first"));
    }, 10);
  });
  assert.deepEqual(log, ["first", "promise job of first", "zero"]);
});

Deno.test("timers fire in time order, then in the order they were set, across many jumps", async () => {
  using clock = new FakeClock();
  const start = clock.now();
  const order: string[] = [];
  const at = [500, 100, 300, 100, 0, 300, 200];
  await Promise.all(
    at.map((ms, i) => delay(ms, { clock }).then(() => order.push(`${clock.now() - start}:${i}`))),
  );
  assert.deepEqual(order, ["0:4", "100:1", "100:3", "200:6", "300:2", "300:5", "500:0"]);
});

Deno.test("a cancelled timer neither fires nor counts, wherever it sits in the queue", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  const fired: number[] = [];
  const cancels = Array.from({ length: 50 }, (_, i) => clock.setTimer(() => fired.push(i), i * 10));
  for (let i = 0; i < 50; i += 3) cancels[i]!();
  cancels[0]!(); // twice is harmless
  assert.equal(clock.pendingTimers, 50 - 17);
  await clock.advance(1_000);
  assert.deepEqual(fired, Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 3 !== 0));
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("advance() lets each timer's promise jobs run before the next timer fires", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  const log: string[] = [];
  clock.setTimer(() => Promise.resolve().then(() => log.push("after a")), 10);
  clock.setTimer(() => log.push("b"), 10);
  await clock.advance(10);
  assert.deepEqual(log, ["after a", "b"]);
});

Deno.test("dispose() drops the timers and settles an advance() in progress", async () => {
  const clock = new FakeClock({ autoAdvance: false });
  let fired = 0;
  clock.setTimer(() => fired++, 10);
  clock.setTimer(() => fired++, 20);
  const advancing = clock.advance(100);
  clock.dispose();
  await advancing;
  assert.ok(fired <= 1);
  assert.equal(clock.pendingTimers, 0);
  assert.equal(clock.setTimer(() => fired++, 0)(), undefined);
});

Deno.test("an idle clock holds no port open: the test's resource sanitizer stays green", async () => {
  const clock = new FakeClock();
  await delay(5_000, { clock });
  await delay(0, { clock });
  // No dispose: with nothing pending the clock must hold nothing.
  assert.equal(clock.pendingTimers, 0);
});
