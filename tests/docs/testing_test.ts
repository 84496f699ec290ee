// Keeps docs/testing.md true: each of its examples runs as written, the Deno
// ones with `deno test`, the Node ones with `node --test` (Node 20 here) on the
// npm package, and the app it runs against `runpod emulator` against a served one.
import assert from "node:assert/strict";
import {
  examples,
  type NodeProject,
  nodeProject,
  runDenoExample,
} from "../_helpers/doc_examples.ts";

const page = await Deno.readTextFile(new URL("../../docs/testing.md", import.meta.url));
const found = examples(page);

Deno.test("docs/testing.md has a Deno, two Node and a runpod emulator example", () => {
  assert.deepEqual(found.map((example) => example.kind), [
    "deno",
    "node",
    "node",
    "node, against runpod emulator",
  ]);
});

for (const example of found.filter((example) => example.kind === "deno")) {
  Deno.test(`docs/testing.md's Deno example (line ${example.line}) passes with deno test`, async () => {
    const { ok, output } = await runDenoExample(example.code);
    assert.ok(ok, output);
    assert.match(output, /ok \| 1 passed \| 0 failed/);
  });
}

let project: NodeProject | undefined;
const node = async () => project ??= await nodeProject();

for (const example of found.filter((example) => example.kind === "node")) {
  Deno.test(`docs/testing.md's Node example (line ${example.line}) passes with node --test`, async () => {
    const { ok, output, version } = await node().then(async (p) => ({
      ...await p.run(`example_${example.line}.test.mjs`, example.code, ["--test"]),
      version: p.version,
    }));
    assert.ok(ok, `${version}:\n${output}`);
    assert.match(output, /# pass 1\n# fail 0/);
  });
}

Deno.test("docs/testing.md's app runs in Node against `runpod emulator`, with the variables it prints", async () => {
  const example = found.find((example) => example.kind === "node, against runpod emulator");
  assert.ok(example);
  const p = await node();
  try {
    const emulator = new Deno.Command(`${p.dir}/node_modules/.bin/runpod`, {
      args: ["emulator"],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "null",
    }).spawn();
    try {
      const reader = emulator.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let first = "";
      while (!first.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) break;
        first += value;
      }
      // RUNPOD_BASE_URL=... RUNPOD_REST_URL=... RUNPOD_API_KEY=... ENDPOINT_ID=...
      const env = Object.fromEntries(
        first.split("\n")[0]!.trim().split(" ").map((pair) =>
          pair.split("=", 2) as [string, string]
        ),
      );
      assert.deepEqual(Object.keys(env), [
        "RUNPOD_BASE_URL",
        "RUNPOD_REST_URL",
        "RUNPOD_API_KEY",
        "ENDPOINT_ID",
      ]);
      const { ok, output } = await p.run("app.mjs", example.code, [], env);
      assert.ok(ok, output);
      assert.equal(output, "ok COMPLETED 3 items\n");
      await reader.cancel();
    } finally {
      emulator.kill("SIGINT");
      await emulator.status;
    }
  } finally {
    await project?.[Symbol.asyncDispose]();
    project = undefined;
  }
});
