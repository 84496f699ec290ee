// Keeps the README true: its examples type-check, and its testing examples
// (marked `<!-- example: KIND -->`) pass as written, the Node one on Node 20.
import assert from "node:assert/strict";
import { examples, nodeProject, runDeno, runDenoExample } from "../_helpers/doc_examples.ts";

const root = new URL("../../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

Deno.test("the README's TypeScript examples type-check", async () => {
  const { ok, output } = await runDeno(["check", "--doc-only", "README.md"]);
  assert.ok(ok, output);
});

const marked = examples(readme);

Deno.test("the README marks its testing examples: one for Deno, one for Node, one with openai", () => {
  assert.deepEqual(marked.map((example) => example.kind), ["deno", "node", "deno, openai"]);
});

Deno.test("the README's Deno testing example passes as written", async () => {
  const example = marked.find((example) => example.kind === "deno")!;
  const { ok, output } = await runDenoExample(example.code);
  assert.ok(ok, output);
  assert.match(output, /ok \| 1 passed/);
});

Deno.test("the README's Node testing example passes with node --test (Node 20 here)", async () => {
  const example = marked.find((example) => example.kind === "node")!;
  await using project = await nodeProject();
  const { ok, output } = await project.run("readme.test.mjs", example.code, ["--test"]);
  assert.ok(ok, `${project.version}:\n${output}`);
  assert.match(output, /# pass 1\n# fail 0/);
});

Deno.test("the README's first lines give the demo and test commands", () => {
  const lines = readme.split("\n").slice(0, 6).join("\n");
  assert.match(lines, /npm ci && npm run demo/);
  assert.match(lines, /npm ci && npm test/);
});

Deno.test("the README's OpenAI example passes as written", async () => {
  const block = marked.find((example) => example.kind === "deno, openai")?.code;
  assert.ok(block, "the README has an OpenAI testing example");
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/readme_openai_test.ts`;
    await Deno.writeTextFile(file, block);
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
    const { ok, output } = await runDeno([
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
