// Keeps docs/load-balancing.md true: its examples type-check, and its
// emulator example passes as written.
import assert from "node:assert/strict";
import { runDeno, runDenoExample } from "../_helpers/doc_examples.ts";

const doc = await Deno.readTextFile(new URL("../../docs/load-balancing.md", import.meta.url));

Deno.test("docs/load-balancing.md's TypeScript examples type-check", async () => {
  const { ok, output } = await runDeno(["check", "--doc-only", "docs/load-balancing.md"]);
  assert.ok(ok, output);
});

Deno.test("docs/load-balancing.md's emulator example passes as written", async () => {
  const block = doc.match(
    /```ts\n(import \{ createEmulator[^]*?)```/,
  );
  assert.ok(block, "the page has an emulator example");
  const lines = block[1]!.split("\n");
  const imports = lines.filter((line) => line.startsWith("import "));
  const body = lines.filter((line) => !line.startsWith("import "));
  const { ok, output } = await runDenoExample(
    `${imports.join("\n")}\nDeno.test("the example", async () => {\n${body.join("\n")}\n});\n`,
  );
  assert.ok(ok, output);
  assert.match(output, /ok \| 1 passed/);
});
