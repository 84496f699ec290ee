// Runs the examples of a Markdown page as a user would: each code block
// preceded by `<!-- example: deno -->` with `deno test`, each preceded by
// `<!-- example: node -->` with `node --test` (the `node` on PATH: Node 20 here,
// the oldest Node the package supports) against the npm package, built from
// this checkout and installed in a scratch project.

import { tarballIsFresh, tarballPath } from "../../scripts/_npm_tarball.ts";
const root = new URL("../../", import.meta.url).pathname;
const text = new TextDecoder();

/** A marked code block: its marker's kind (`deno`, `node`, ...), its code, and its line. */
export interface Example {
  kind: string;
  code: string;
  line: number;
}

/** The code blocks of `markdown` that follow an `<!-- example: KIND -->` line. */
export function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const pattern = /<!-- example: ([^>]+?) -->\n\n```\w+\n([^]*?)```/g;
  for (const match of markdown.matchAll(pattern)) {
    found.push({
      kind: match[1]!,
      code: match[2]!,
      line: markdown.slice(0, match.index).split("\n").length + 3,
    });
  }
  return found;
}

/** The result of a command: whether it succeeded, and its stdout and stderr together. */
export interface Ran {
  ok: boolean;
  output: string;
}

async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Ran> {
  const { success, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd ?? root,
    env: { NO_COLOR: "1", ...options.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { ok: success, output: text.decode(stdout) + text.decode(stderr) };
}

/** Runs `deno ARGS` in this checkout, as the tests' own Deno. */
export function runDeno(args: string[]): Promise<Ran> {
  return run(Deno.execPath(), args);
}

/** Runs a Deno example as a test file of this package (`@runpod/sdk` is this checkout). */
export async function runDenoExample(code: string): Promise<Ran> {
  const dir = await Deno.makeTempDir({ prefix: "runpod-doc-" });
  try {
    const file = `${dir}/example_test.ts`;
    await Deno.writeTextFile(file, code);
    return await run(Deno.execPath(), [
      "test",
      "--config",
      "deno.json",
      "--sanitize-ops",
      "--sanitize-resources",
      "--allow-env",
      "--allow-net=127.0.0.1",
      file,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A scratch Node project with the npm package of this checkout installed. */
export interface NodeProject extends AsyncDisposable {
  dir: string;
  /** `node --version`. */
  version: string;
  /** Writes `code` to `name` in the project and runs it with `node` (`args` before the file). */
  run(name: string, code: string, args?: string[], env?: Record<string, string>): Promise<Ran>;
}

/** Builds the npm package when it is older than its sources, and installs it in a scratch project. */
export async function nodeProject(): Promise<NodeProject> {
  const tarball = await tarballPath();
  if (!await tarballIsFresh()) {
    const build = await run(Deno.execPath(), ["run", "-A", "scripts/build_npm.ts"]);
    if (!build.ok) throw new Error(`the npm build failed:\n${build.output}`);
  }
  const dir = await Deno.makeTempDir({ prefix: "runpod-node-" });
  await Deno.writeTextFile(
    `${dir}/package.json`,
    JSON.stringify({ name: "doc-examples", private: true, type: "module" }),
  );
  const install = await run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--no-package-lock",
    "--offline",
    tarball,
  ], { cwd: dir });
  if (!install.ok) throw new Error(`npm install of the tarball failed:\n${install.output}`);
  const version = (await run("node", ["--version"], { cwd: dir })).output.trim();
  return {
    dir,
    version,
    async run(name, code, args = [], env = {}) {
      await Deno.writeTextFile(`${dir}/${name}`, code);
      return await run("node", [...args, name], { cwd: dir, env });
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}
