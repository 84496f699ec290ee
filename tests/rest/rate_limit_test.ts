// The IETF draft RateLimit / RateLimit-Policy headers of the management API.
import assert from "node:assert/strict";
import { exhaustedFor, parseRateLimit } from "../../src/rest/_rate_limit.ts";

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
