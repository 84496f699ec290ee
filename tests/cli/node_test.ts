// The `runpod` command run by Node through the npm package's bin
// (`npx @runpod/sdk ...`, or `runpod` once installed).
import { chatCases } from "./_chat_cases.ts";
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
