// The `runpod` command as npm users get it: the package that
// scripts/build_npm.ts builds into npm/, packed, installed into a scratch
// project, and started through node_modules/.bin/runpod (its `bin`, run by
// Node through the #! line). The package is built first when npm/ is missing
// or older than a source it is built from.
import type { Runner } from "./_cli.ts";

const root = new URL("../../", import.meta.url).pathname;

async function newest(path: string): Promise<number> {
  const info = await Deno.stat(path);
  if (!info.isDirectory) return info.mtime?.getTime() ?? 0;
  let latest = 0;
  for await (const entry of Deno.readDir(path)) {
    latest = Math.max(latest, await newest(`${path}/${entry.name}`));
  }
  return latest;
}

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
  const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  const tarball = `${root}.tmp/runpod-sdk-${config.version}.tgz`;
  const sources = Math.max(
    ...await Promise.all(
      ["mod.ts", "testing.ts", "worker.ts", "deno.json", "src", "cli", "scripts/build_npm.ts"].map((
        p,
      ) => newest(`${root}${p}`)),
    ),
  );
  const built = await Deno.stat(tarball).then((s) => s.mtime?.getTime() ?? 0, () => 0);
  if (built < sources) await run(Deno.execPath(), ["run", "-A", "scripts/build_npm.ts"], root);
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
