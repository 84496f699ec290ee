// The IETF draft RateLimit / RateLimit-Policy headers of the management API, and
// how the client waits on a 429.
import assert from "node:assert/strict";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { RunpodApiError } from "../../mod.ts";
import { exhaustedFor, parseRateLimit } from "../../src/rest/_rate_limit.ts";
import { json, problem, stub } from "./_stub.ts";

Deno.test("parseRateLimit() merges RateLimit and RateLimit-Policy by window, in ms", () => {
  const windows = parseRateLimit(
    new Headers({
      RateLimit: '"minute";r=0;t=12, "hour";r=2800;t=1812, "day";r=49500;t=45012',
      "RateLimit-Policy": '"minute";q=60;w=60, "hour";q=3000;w=3600, "day";q=50000;w=86400',
    }),
  );
  assert.deepEqual(windows, [
    { name: "minute", remaining: 0, resetIn: 12_000, quota: 60, window: 60_000 },
    { name: "hour", remaining: 2800, resetIn: 1_812_000, quota: 3000, window: 3_600_000 },
    { name: "day", remaining: 49500, resetIn: 45_012_000, quota: 50000, window: 86_400_000 },
  ]);
  assert.equal(exhaustedFor(windows), 12_000);
});

Deno.test("parseRateLimit() is undefined without the headers and skips what it cannot read", () => {
  assert.equal(parseRateLimit(new Headers()), undefined);
  assert.deepEqual(parseRateLimit(new Headers({ RateLimit: 'minute;r=5;t=x;z, "a,b";r=1' })), [
    { name: "minute", remaining: 5 },
    { name: "a,b", remaining: 1 },
  ]);
});

Deno.test("exhaustedFor() waits for the latest reset among exhausted windows only", () => {
  assert.equal(
    exhaustedFor([
      { name: "minute", remaining: 0, resetIn: 5_000 },
      { name: "hour", remaining: 0, resetIn: 90_000 },
      { name: "day", remaining: 3, resetIn: 999_000 },
    ]),
    90_000,
  );
  assert.equal(exhaustedFor([{ name: "minute", remaining: 4, resetIn: 5_000 }]), undefined);
  assert.equal(exhaustedFor(undefined), undefined);
});

const LIMITED = {
  RateLimit: '"minute";r=0;t=7, "hour";r=2800;t=1812',
  "RateLimit-Policy": '"minute";q=60;w=60, "hour";q=3000;w=3600',
};

Deno.test("a 429 waits as Retry-After says, then retries", async () => {
  using s = stub((_call, i) =>
    i === 0
      ? problem(429, "Too Many Requests", "minute window", undefined, { "retry-after": "3" })
      : json({ endpoints: [] })
  );
  const start = s.clock.now();
  await s.runpod.endpoints.list();
  assert.equal(s.clock.now() - start, 3000);
});

Deno.test("a 429 without Retry-After waits for the exhausted window's reset", async () => {
  using s = stub((_call, i) =>
    i === 0
      ? problem(429, "Too Many Requests", "minute window", undefined, LIMITED)
      : json({ endpoints: [] })
  );
  const start = s.clock.now();
  await s.runpod.endpoints.list();
  assert.equal(s.clock.now() - start, 7000);
});

Deno.test("a 429 whose wait ends past the call's deadline fails at once and says when to come back", async () => {
  using s = stub(() =>
    problem(429, "Too Many Requests", "hour window", undefined, { "retry-after": "1812" })
  );
  const start = s.clock.now();
  const error = await assertRejects(s.runpod.pods.list(), RunpodApiError, "retry after 1812 s");
  assert.equal(error.status, 429);
  assert.equal(s.clock.now(), start);
  assert.equal(s.calls.length, 1);
});

Deno.test("runpod.rateLimit holds the quota of the latest answer", async () => {
  using s = stub((_call, i) =>
    json({ pods: [] }, 200, {
      RateLimit: `"minute";r=${59 - i};t=60`,
      "RateLimit-Policy": '"minute";q=60;w=60',
    })
  );
  assert.equal(s.runpod.rateLimit, undefined);
  await s.runpod.pods.list();
  await s.runpod.pods.list();
  assert.deepEqual(s.runpod.rateLimit, {
    observedAt: s.clock.now(),
    windows: [{ name: "minute", remaining: 58, resetIn: 60_000, quota: 60, window: 60_000 }],
  });
});
