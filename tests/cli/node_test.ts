// The `runpod` command run by Node through the npm package's bin
// (`npx @runpod/sdk ...`, or `runpod` once installed).
import assert from "node:assert/strict";
import { chatCases } from "./_chat_cases.ts";
import { cli } from "./_cli.ts";
import { devCases } from "./_dev_cases.ts";
import { jobCases } from "./_job_cases.ts";
import { manageCases } from "./_manage_cases.ts";
import { nodeRunner } from "./_node.ts";

const runner = await nodeRunner();
addEventListener("unload", () => {
  Deno.removeSync(runner.cmd[0]!.replace(/\/node_modules\/\.bin\/runpod$/, ""), {
    recursive: true,
  });
});
// The cases where the runtime matters (stdout and exit flushing, stdin, signals, fetch
// and streamed bodies, a server): the rest is the same code, which Deno's run covers.
const runtimeBound =
  /^(run submits|run reads the input|Ctrl-C while run waits|SIGTERM|run --stream|health --watch|API errors|runpod emulator serves|endpoints: create|endpoints logs|chat streams|Ctrl-C during chat)/;
jobCases(runner, runtimeBound);
manageCases(runner, runtimeBound);
chatCases(runner, runtimeBound);
// runpod dev starts the worker on Node: a .mjs file beside the installed package.
const scratch = runner.cmd[0]!.replace(/\/node_modules\/\.bin\/runpod$/, "");
devCases(runner, {
  dir: () => Deno.makeTempDir({ dir: scratch, prefix: "dev-" }),
  worker: "@runpod/sdk/worker",
  ext: ".mjs",
});
const nodeVersion = new TextDecoder().decode(
  (await new Deno.Command("node", { args: ["--version"], stdout: "piped" }).output()).stdout,
).trim();
Deno.test({
  name: `node (npm bin): runpod dev on Node ${nodeVersion} refuses a .ts file, saying what to do`,
  ignore: !/^v(?:1\d|20|21|22\.[0-5])\./.test(nodeVersion), // Node 22.6+ strips types
  async fn() {
    const dir = await Deno.makeTempDir({ dir: scratch, prefix: "dev-" });
    try {
      await Deno.writeTextFile(`${dir}/handler.ts`, "");
      const result = await cli(runner, ["dev", `${dir}/handler.ts`]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /cannot run TypeScript .*give it a JavaScript file/);
      assert.equal(result.stdout, "");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
