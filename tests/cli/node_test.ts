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
jobCases(runner);
manageCases(runner);
