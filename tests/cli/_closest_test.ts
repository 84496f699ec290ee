import assert from "node:assert/strict";
import { closest, editDistance } from "../../cli/_closest.ts";

Deno.test("editDistance() counts a wrong, missing or extra letter, and two swapped ones, as one slip each", () => {
  assert.equal(editDistance("input", "input"), 0);
  assert.equal(editDistance("inptu", "input"), 1); // swapped
  assert.equal(editDistance("inpt", "input"), 1); // missing
  assert.equal(editDistance("inpuut", "input"), 1); // extra
  assert.equal(editDistance("onput", "input"), 1); // wrong
  assert.equal(editDistance("", "ttl"), 3);
  assert.equal(editDistance("gpu-cont", "gpu-count"), 1);
});

Deno.test("closest() picks the nearest name within two slips, and nothing when none is near", () => {
  assert.equal(closest("inptu", ["policy", "input", "ttl"]), "input");
  assert.equal(closest("wacth", ["watch", "wait"]), "watch");
  assert.equal(closest("nmae", ["name", "image"]), "name");
  assert.equal(closest("zzzzzz", ["input", "name"]), undefined);
  // A slip is allowed for fewer than half the letters: "to" is not taken for "ttl".
  assert.equal(closest("to", ["ttl"]), undefined);
  assert.equal(closest("x", ["y"]), undefined);
});

Deno.test("closest() ignores case and keeps the first of equally near names", () => {
  assert.equal(closest("INPUT", ["input"]), "input");
  assert.equal(closest("tal", ["tail", "ttl"]), "tail");
  assert.equal(closest("tal", ["ttl", "tail"]), "ttl");
});
