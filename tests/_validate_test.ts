import assert from "node:assert/strict";
import runpodSdk from "../mod.ts";
import { assertRejects } from "./_helpers/assert_rejects.ts";
import { setup } from "./_helpers/setup.ts";

const BAD_IDS = ["", "a/b", "..", "a?b", "a#b", "a b", "é", "abc/../def", "%2e%2e"];

Deno.test("bad endpoint ids are refused before any request", () => {
  for (const id of BAD_IDS) assert.throws(() => runpodSdk("k").endpoint(id), TypeError, id);
});

Deno.test("bad job ids are refused by every job method and send nothing", async () => {
  await using t = setup();
  const e = t.endpoint;
  for (const id of BAD_IDS) {
    await assertRejects(e.status(id), TypeError);
    await assertRejects(e.waitFor(id), TypeError);
    await assertRejects(e.cancel(id), TypeError);
    await assertRejects(e.retry(id), TypeError);
    await assertRejects(e.stream(id).next(), TypeError);
  }
  assert.equal(t.sent.length, 0);
});

Deno.test("a request without input, or with input JSON cannot encode, is refused", async () => {
  await using t = setup();
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const bad = [
    undefined,
    null,
    "text",
    [1],
    {},
    { input: undefined },
    { input: 10n },
    { input: cyclic },
    { input: () => 1 },
  ];
  for (const request of bad) {
    await assertRejects(t.endpoint.run(request as never), TypeError, undefined, String(request));
    await assertRejects(
      t.endpoint.runSync(request as never),
      TypeError,
      undefined,
      String(request),
    );
  }
  assert.equal(t.sent.length, 0);
});

Deno.test("an input over the route's payload limit is refused with the limit in the message", async () => {
  await using t = setup();
  const big = "x".repeat(10 * 1024 * 1024 + 1);
  await assertRejects(t.endpoint.run({ input: big }), RangeError, /limit of 10485760 bytes/);
  const huge = "x".repeat(20 * 1024 * 1024 + 1);
  await assertRejects(t.endpoint.runSync({ input: huge }), RangeError, /limit of 20971520 bytes/);
  assert.equal(t.sent.length, 0);
});

Deno.test("bad timeouts, retry counts and options are refused before any request", async () => {
  await using t = setup();
  const e = t.endpoint;
  for (const timeout of [-1, 0, NaN, 1.5, Infinity, 2 ** 31]) {
    await assertRejects(e.health(timeout), RangeError, undefined, String(timeout));
    await assertRejects(
      e.runSync({ input: 1 }, { timeout }),
      RangeError,
      undefined,
      String(timeout),
    );
  }
  await assertRejects(e.health("5000" as never), TypeError);
  await assertRejects(e.health({ timeout: "5000" } as never), TypeError);
  for (const maxRetries of [-1, 1.5, 11, NaN]) {
    await assertRejects(e.health({ maxRetries }), RangeError);
  }
  await assertRejects(e.health({ maxRetries: "2" } as never), TypeError);
  await assertRejects(e.health({ signal: "x" } as never), TypeError);
  await assertRejects(e.runSync({ input: 1 }, { onStatus: "x" } as never), TypeError);
  await assertRejects(e.stream("x", { allowGaps: "yes" } as never).next(), TypeError);
  await assertRejects(e.health(null as never), TypeError);
  assert.equal(t.sent.length, 0);
});

Deno.test("the timeout message names the call and the bad value", async () => {
  await using t = setup();
  const error = await assertRejects(t.endpoint.status("abc", NaN), RangeError);
  assert.equal(
    error.message,
    "Cannot read the status of job 'abc': timeout must be a whole number of milliseconds from 1 to 2147483647, received NaN",
  );
});
