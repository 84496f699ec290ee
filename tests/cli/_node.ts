// The `runpod` command as npm users get it: the package that
// scripts/build_npm.ts builds into npm/, packed, installed into a scratch
// project, and started through node_modules/.bin/runpod (its `bin`, run by
// Node through the #! line). The package is built first when npm/ is missing
// or older than a source it is built from.
import { tarballIsFresh, tarballPath } from "../../scripts/_npm_tarball.ts";
import type { Runner } from "./_cli.ts";

const root = new URL("../../", import.meta.url).pathname;

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const { success, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) {
    const text = new TextDecoder();
    throw new Error(
      `${cmd} ${args.join(" ")} failed:\n${text.decode(stdout)}\n${text.decode(stderr)}`,
    );
  }
}

/** Builds npm/ if needed, installs its tarball in a scratch project; returns the runner. */
export async function nodeRunner(): Promise<Runner & AsyncDisposable> {
  const tarball = await tarballPath();
  if (!await tarballIsFresh()) {
    await run(Deno.execPath(), ["run", "-A", "scripts/build_npm.ts"], root);
  }
  const scratch = await Deno.makeTempDir({ prefix: "runpod-cli-" });
  await Deno.writeTextFile(
    `${scratch}/package.json`,
    JSON.stringify({ name: "cli-check", private: true }),
  );
  await run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--no-package-lock",
    "--offline",
    tarball,
  ], scratch);
  return {
    name: "node (npm bin)",
    cmd: [`${scratch}/node_modules/.bin/runpod`],
    async [Symbol.asyncDispose]() {
      await Deno.remove(scratch, { recursive: true });
    },
  };
}
