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
// The cases where the runtime matters (stdout and exit flushing, stdin, signals, fetch
// and streamed bodies, a server): the rest is the same code, which Deno's run covers.
const runtimeBound =
  /^(run submits|run reads the input|Ctrl-C while run waits|SIGTERM|run --stream|health --watch|API errors|runpod emulator serves|endpoints: create|endpoints logs)/;
jobCases(runner, runtimeBound);
manageCases(runner, runtimeBound);
