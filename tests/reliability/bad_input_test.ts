// Runs the bad-input matrix (_bad_input.ts): every value against every call
// listed gets a TypeError or RangeError with a clear message, and nothing is
// sent. This extends tests/_validate_test.ts to every call and more values.
import assert from "node:assert/strict";
import { RunpodError } from "../../mod.ts";
import { BAD_INPUTS, badInputCount } from "./_bad_input.ts";
import { harness } from "../_helpers/harness.ts";

const CLASSES = { TypeError, RangeError } as const;
// deno-lint-ignore no-control-regex
const RAW = /[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]/;

for (const c of BAD_INPUTS) {
  Deno.test(`${c.what}: ${c.error}, nothing sent`, async () => {
    await using t = harness();
    for (const [label, value] of c.values) {
      for (const [name, call] of Object.entries(c.calls)) {
        const where = `${name} with ${label}`;
        const error = await (async () => await call(t.endpoint, value))().then(
          () => assert.fail(`${where} was accepted`),
          (e) => e,
        );
        assert.ok(error instanceof CLASSES[c.error], `${where}: ${error}`);
        assert.ok(!(error instanceof RunpodError), where);
        assert.equal(error.constructor, CLASSES[c.error], where);
        assert.match(error.message, c.message, where);
        assert.doesNotMatch(error.message, /\.$/, `${where}: no final period`);
        if (typeof value === "string" && RAW.test(value)) {
          // A caller's id may come from a request: echoed raw, it could forge log lines.
          assert.doesNotMatch(error.message, RAW, `${where}: control characters are escaped`);
        }
        if (typeof value === "string" && value.trim() !== "" && /API key/.test(c.what)) {
          assert.ok(!error.message.includes(value), `${where}: the key is not repeated`);
        }
      }
    }
    assert.equal(t.log.length, 0, "requests sent");
    assert.equal(t.emulator.requests.length, 0, "requests received");
  });
}

Deno.test("a body of exactly the payload limit is sent", async () => {
  await using t = harness();
  const overhead = JSON.stringify({ input: "" }).length;
  const { id } = await t.endpoint.run({ input: "x".repeat(10 * 1024 * 1024 - overhead) });
  assert.equal(t.emulator.job(id)?.status !== undefined, true);
  assert.equal(t.log.length, 1);
});

Deno.test("inputs JSON encodes lossily are sent as JSON.stringify encodes them", async () => {
  // Not refused: NaN and Infinity become null, undefined members are dropped,
  // as in every JSON client. Documented in docs/reliability.md.
  await using t = harness();
  const { id } = await t.endpoint.run({
    input: { a: NaN, b: Infinity, c: undefined, d: [undefined] },
  });
  assert.deepEqual(t.emulator.job(id)?.input, { a: null, b: null, d: [null] });
});

Deno.test("the bad-input matrix tries over 600 (value, call) pairs", () => {
  assert.ok(badInputCount() > 600, String(badInputCount()));
});
