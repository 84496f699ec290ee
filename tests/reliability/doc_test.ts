import assert from "node:assert/strict";
import { renderTables, withTables } from "./_doc.ts";

Deno.test("docs/reliability.md's tables are the ones the tests run", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/reliability.md", import.meta.url));
  assert.ok(
    withTables(doc, renderTables()) === doc,
    "docs/reliability.md is out of date: run `deno run --allow-read --allow-write scripts/reliability_table.ts`",
  );
});
