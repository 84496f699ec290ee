// Keeps docs/load-balancing.md true: its examples type-check, and its
// emulator example passes as written.
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const doc = await Deno.readTextFile(new URL("docs/load-balancing.md", root));

async function deno(args: string[]): Promise<{ ok: boolean; output: string }> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { ok: success, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("docs/load-balancing.md's TypeScript examples type-check", async () => {
  const { ok, output } = await deno(["check", "--doc-only", "docs/load-balancing.md"]);
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
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/load_balancing_example_test.ts`;
    await Deno.writeTextFile(
      file,
      `${imports.join("\n")}\nDeno.test("the example", async () => {\n${body.join("\n")}\n});\n`,
    );
    const { ok, output } = await deno([
      "test",
      "--config",
      "deno.json",
      "--sanitize-ops",
      "--sanitize-resources",
      file,
    ]);
    assert.ok(ok, output);
    assert.match(output, /ok \| 1 passed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
