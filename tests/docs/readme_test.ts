// Keeps the README true: its examples type-check, and its testing example
// passes as written.
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

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

Deno.test("the README's TypeScript examples type-check", async () => {
  const { ok, output } = await deno(["check", "--doc-only", "README.md"]);
  assert.ok(ok, output);
});

Deno.test("the README's testing example passes as written", async () => {
  const block = readme.match(
    /```ts\n(import runpodSdk from "@runpod\/sdk";\nimport \{ createEmulator[^]*?)```/,
  );
  assert.ok(block, "the README has a testing example");
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/readme_example_test.ts`;
    await Deno.writeTextFile(file, block[1]!);
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

Deno.test("the README's first lines give the demo and test commands", () => {
  const lines = readme.split("\n").slice(0, 6).join("\n");
  assert.match(lines, /npm ci && npm run demo/);
  assert.match(lines, /npm ci && npm test/);
});

Deno.test("the README's OpenAI example passes as written", async () => {
  const block = readme.match(
    /```ts\n(import OpenAI from "openai";\nimport runpodSdk from "@runpod\/sdk";\nimport \{ createEmulator[^]*?)```/,
  );
  assert.ok(block, "the README has an OpenAI testing example");
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/readme_openai_test.ts`;
    await Deno.writeTextFile(file, block[1]!);
    // As in a user's Deno project: "openai" is the npm package (here, the one in node_modules).
    const packageJson = JSON.parse(await Deno.readTextFile(new URL("package.json", root)));
    const importMap = `${dir}/import_map.json`;
    await Deno.writeTextFile(
      importMap,
      JSON.stringify({
        imports: {
          "openai": `npm:openai@${packageJson.devDependencies.openai}`,
          "@runpod/sdk": new URL("mod.ts", root).href,
          "@runpod/sdk/testing": new URL("testing.ts", root).href,
        },
      }),
    );
    const { ok, output } = await deno([
      "test",
      "--config",
      "deno.json",
      "--import-map",
      importMap,
      "--no-check", // "the README's TypeScript examples type-check" checks it
      "--sanitize-ops",
      "--sanitize-resources",
      "--allow-env",
      file,
    ]);
    assert.ok(ok, output);
    assert.match(output, /ok \| 1 passed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
