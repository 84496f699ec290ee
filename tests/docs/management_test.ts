// docs/management.md's coverage table names every route of the spec.
import assert from "node:assert/strict";
import { OPERATIONS } from "../../src/rest/_operations.gen.ts";

Deno.test("docs/management.md's coverage table names every route of the spec with its operationId", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/management.md", import.meta.url));
  const missing = Object.entries(OPERATIONS).filter(([id, op]) =>
    !doc.includes(`| \`${op.method} ${op.path}\``) || !doc.includes(`\`${id}\``)
  ).map(([id]) => id);
  assert.deepEqual(missing, []);
});
