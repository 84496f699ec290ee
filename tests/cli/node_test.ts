// The `runpod` command run by Node through the npm package's bin
// (`npx @runpod/sdk ...`, or `runpod` once installed).
import { jobCases } from "./_job_cases.ts";
import { manageCases } from "./_manage_cases.ts";
import { nodeRunner } from "./_node.ts";

const runner = await nodeRunner();
addEventListener("unload", () => {
  Deno.removeSync(runner.cmd[0]!.replace(/\/node_modules\/\.bin\/runpod$/, ""), {
    recursive: true,
  });
});
// Parsing and help are the same code in every runtime: Deno's run covers them.
const parsingOnly = /usage errors|--help/;
jobCases(runner, parsingOnly);
manageCases(runner, parsingOnly);
