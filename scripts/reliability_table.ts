// Writes docs/reliability.md's generated tables (the fault matrix and the bad
// inputs) from the tables the reliability tests run, so the doc and the tests
// cannot drift: `deno run --allow-read --allow-write scripts/reliability_table.ts`.
// tests/reliability/doc_test.ts fails when the doc is out of date.
import { renderTables, withTables } from "../tests/reliability/_doc.ts";

const path = new URL("../docs/reliability.md", import.meta.url);
const doc = await Deno.readTextFile(path);
const next = withTables(doc, renderTables());
if (next === doc) console.log("docs/reliability.md is up to date");
else {
  await Deno.writeTextFile(path, next);
  console.log("docs/reliability.md: tables rewritten");
}
