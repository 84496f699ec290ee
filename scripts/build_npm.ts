// Builds the npm package into npm/ from deno.json and the TypeScript sources:
// ESM JavaScript and .d.ts (compiled by the pinned `typescript` from
// node_modules), a package.json generated from deno.json, README.md and
// LICENSE; then packs it with `npm pack` and prints the tarball's size and the
// minified+gzipped size of the client (mod.ts bundled by esbuild).
//
//   deno task build:npm            build and pack
//   deno task build:npm --check    also run publint and attw on the tarball
//
// The last line is `N passed, N failed` over the checks it ran (build, pack,
// and with --check: publint, attw), so scripts/test_all.ts can count it.

const root = new URL("../", import.meta.url);
const rootPath = decodeURIComponent(root.pathname);
const outDir = `${rootPath}npm`;
const tmpDir = `${rootPath}.tmp/build_npm`;
const bin = (name: string) => `${rootPath}node_modules/.bin/${name}`;

/**
 * Package fields deno.json has no place for. No `repository`, `homepage` or `bugs`:
 * the project has no public repository yet, and a field must point at something that exists.
 */
const NPM_META = {
  description:
    "A TypeScript client for RunPod serverless endpoints, built on web standards: Deno, Node, Bun, Cloudflare Workers and browsers, zero dependencies",
  keywords: [
    "runpod",
    "serverless",
    "gpu",
    "inference",
    "sdk",
    "deno",
    "bun",
    "cloudflare-workers",
  ],
  engines: { node: ">=20.19.0" },
};

interface DenoConfig {
  name: string;
  version: string;
  license?: string;
  description?: string;
  exports: Record<string, string>;
}

/** The deno.json export that is the command line: on npm it is the package's `bin`, not an export. */
const CLI_EXPORT = "./cli";
/** The command's name on npm: `npx @runpod/sdk ...` and `runpod` once installed. */
const BIN_NAME = "runpod";

/** The library's exports, without the command line. */
function libraryExports(config: DenoConfig): [string, string][] {
  return Object.entries(config.exports).filter(([key]) => key !== CLI_EXPORT);
}

/** `./cli/main.ts` → `./esm/cli/main.js`. */
function compiled(source: string): string {
  return source.replace(/^\.\//, "./esm/").replace(/\.ts$/, ".js");
}

const check = Deno.args.includes("--check");
let passed = 0;
let failed = 0;

function report(name: string, ok: boolean, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}

async function run(
  cmd: string,
  args: string[],
  options: { cwd?: string; quiet?: boolean } = {},
): Promise<{ ok: boolean; out: string }> {
  const { success, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd: options.cwd ?? rootPath,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", FORCE_COLOR: "0" },
  }).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  if (!options.quiet || !success) console.log(out.trimEnd());
  return { ok: success, out };
}

async function walk(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await walk(path));
    else files.push(path);
  }
  return files;
}

/** `./src/x.ts` → `./src/x.js` in every relative import, export and import() type of a .d.ts. */
export function rewriteDeclarationSpecifiers(text: string): string {
  return text.replace(
    /((?:\bfrom|\bimport)\s*\(?\s*)(["'])(\.\.?\/[^"']*?)\.(m|c)?ts\2/g,
    (_all, head: string, quote: string, path: string, kind = "") =>
      `${head}${quote}${path}.${kind}js${quote}`,
  );
}

/**
 * `Symbol.dispose` and `Symbol.asyncDispose` for TypeScript before 5.2 or a
 * `lib` without `esnext.disposable`, as @types/node declares them: the .d.ts
 * files of classes with `[Symbol.dispose]()` reference it. It merges with
 * TypeScript's own declarations where those exist.
 */
const DISPOSABLE_DTS = "disposable.d.ts";
const DISPOSABLE_TYPES =
  `// Symbol.dispose and Symbol.asyncDispose, for TypeScript < 5.2 or a lib without esnext.disposable.
interface SymbolConstructor {
  readonly dispose: unique symbol;
  readonly asyncDispose: unique symbol;
}
`;

/** Whether a package export is Node-only, such as `./testing/node`. */
function isNodeEntry(key: string): boolean {
  return key.endsWith("/node");
}

function relativeTo(from: string, to: string): string {
  const a = from.split("/").slice(0, -1);
  const b = to.split("/");
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const up = a.length - i;
  return (up === 0 ? "./" : "../".repeat(up)) + b.slice(i).join("/");
}

function packageJson(config: DenoConfig) {
  const exports: Record<string, unknown> = {};
  for (const [key, source] of libraryExports(config)) {
    const base = source.replace(/^\.\//, "./esm/").replace(/\.ts$/, "");
    exports[key] = { types: `${base}.d.ts`, default: `${base}.js` };
  }
  exports["./package.json"] = "./package.json";
  const main = exports["."] as { types: string; default: string };
  const cli = config.exports[CLI_EXPORT];
  return {
    name: config.name,
    version: config.version,
    description: config.description ?? NPM_META.description,
    license: config.license,
    keywords: NPM_META.keywords,
    type: "module",
    sideEffects: false,
    exports,
    main: main.default,
    types: main.types,
    ...(cli === undefined ? {} : { bin: { [BIN_NAME]: compiled(cli) } }),
    files: ["esm", "README.md", "LICENSE"],
    engines: NPM_META.engines,
  };
}

async function build(config: DenoConfig): Promise<boolean> {
  await Deno.remove(outDir, { recursive: true }).catch(() => {});
  await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(tmpDir, { recursive: true });
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "ES2022",
      moduleResolution: "bundler",
      lib: ["ES2022", "DOM", "DOM.Iterable", "ESNext.Disposable", "ESNext.AsyncIterable"],
      types: [],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      declaration: true,
      rewriteRelativeImportExtensions: true,
      isolatedModules: true,
      skipLibCheck: true,
      noEmitOnError: true,
      newLine: "lf",
      rootDir: rootPath,
      outDir: `${outDir}/esm`,
    },
    files: [] as string[],
  };
  const cli = config.exports[CLI_EXPORT];
  // Entries under `./…/node` (such as `./testing/node`) import `node:*` and are
  // compiled with Node's types; every other library entry with web types only.
  const entries = libraryExports(config);
  const groups = [
    { types: [] as string[], keys: entries.filter(([key]) => !isNodeEntry(key)) },
    { types: ["node"], keys: entries.filter(([key]) => isNodeEntry(key)) },
  ].filter((group) => group.keys.length > 0);
  // Two passes: declarations keep their JSDoc (editors show it), JavaScript drops comments.
  // The command line (cli/) is JavaScript only. It runs on Node's built-in modules (which
  // Deno and Bun provide too), whose types (@types/node) clash with the DOM's here, so this
  // pass only transpiles it: `deno check cli/` type-checks it.
  const passes: { name: string; options: Record<string, unknown>; files?: string[] }[] = [
    { name: "tsconfig.types.json", options: { emitDeclarationOnly: true } },
    { name: "tsconfig.js.json", options: { declaration: false, removeComments: true } },
  ];
  if (cli !== undefined) {
    passes.push({
      name: "tsconfig.cli.json",
      options: { declaration: false, removeComments: true, noCheck: true },
      files: [`${rootPath}${cli.replace(/^\.\//, "")}`],
    });
  }
  for (const pass of passes) {
    const runs = pass.files
      ? [{ name: pass.name, types: [] as string[], files: pass.files }]
      : groups.map((group, i) => ({
        name: `${i}.${pass.name}`,
        types: group.types,
        files: group.keys.map(([, path]) => `${rootPath}${path.replace(/^\.\//, "")}`),
      }));
    for (const { name, types, files } of runs) {
      const config = {
        ...tsconfig,
        compilerOptions: { ...tsconfig.compilerOptions, ...pass.options, types },
        files,
      };
      await Deno.writeTextFile(`${tmpDir}/${name}`, JSON.stringify(config, null, 2));
      const tsc = await run("node", [
        `${rootPath}node_modules/typescript/bin/tsc`,
        "-p",
        `${tmpDir}/${name}`,
      ]);
      if (!tsc.ok) return false;
    }
  }

  await Deno.writeTextFile(`${outDir}/esm/${DISPOSABLE_DTS}`, DISPOSABLE_TYPES);
  let leftovers = 0;
  for (const file of await walk(`${outDir}/esm`)) {
    const text = await Deno.readTextFile(file);
    let fixed = file.endsWith(".d.ts") ? rewriteDeclarationSpecifiers(text) : text;
    if (file.endsWith(".d.ts") && /\[Symbol\.(?:async)?[dD]ispose\]/.test(fixed)) {
      fixed = `/// <reference path="${relativeTo(file, `${outDir}/esm/${DISPOSABLE_DTS}`)}" />\n` +
        fixed;
    }
    if (fixed !== text) await Deno.writeTextFile(file, fixed);
    if (/(?:from|import)\s*\(?\s*["']\.\.?\/[^"']*\.ts["']/.test(fixed)) {
      console.log(`A .ts specifier is left in ${file}`);
      leftovers++;
    }
  }
  if (leftovers > 0) return false;
  if (cli !== undefined) {
    const binPath = `${outDir}/${compiled(cli).slice(2)}`;
    const text = await Deno.readTextFile(binPath);
    if (!text.startsWith("#!/usr/bin/env node\n")) {
      console.log(`${binPath} does not start with #!/usr/bin/env node`);
      return false;
    }
    await Deno.chmod(binPath, 0o755);
  }

  await Deno.writeTextFile(
    `${outDir}/package.json`,
    JSON.stringify(packageJson(config), null, 2) + "\n",
  );
  await Deno.copyFile(`${rootPath}LICENSE`, `${outDir}/LICENSE`);
  await Deno.copyFile(`${rootPath}README.md`, `${outDir}/README.md`).catch(async () => {
    await Deno.writeTextFile(`${outDir}/README.md`, `# ${config.name}\n`);
    console.log("README.md is missing: wrote a stub");
  });
  return true;
}

async function pack(): Promise<string | undefined> {
  const dest = `${rootPath}.tmp`;
  const packed = await run("npm", ["pack", "--json", "--pack-destination", dest], {
    cwd: outDir,
    quiet: true,
  });
  if (!packed.ok) return undefined;
  const json = packed.out.slice(packed.out.indexOf("["));
  const [info] = JSON.parse(json) as { filename: string; size: number; unpackedSize: number }[];
  if (!info) return undefined;
  const path = `${dest}/${info.filename}`;
  console.log(
    `packed ${path}: ${formatBytes(info.size)} (${formatBytes(info.unpackedSize)} unpacked)`,
  );
  return path;
}

async function clientSize(): Promise<void> {
  const out = `${tmpDir}/client.min.js`;
  const built = await run(bin("esbuild"), [
    `${rootPath}mod.ts`,
    "--bundle",
    "--minify",
    "--format=esm",
    "--platform=neutral",
    "--target=es2022",
    `--outfile=${out}`,
    "--log-level=warning",
  ]);
  if (!built.ok) throw new Error("esbuild failed to bundle mod.ts");
  const bytes = await Deno.readFile(out);
  const gzipped = await new Response(
    new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  console.log(
    `client (mod.ts, esbuild --minify): ${formatBytes(bytes.length)} minified, ${
      formatBytes(gzipped.byteLength)
    } minified+gzipped`,
  );
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} kB (${n} B)`;
}

const config = JSON.parse(await Deno.readTextFile(`${rootPath}deno.json`)) as DenoConfig;
const built = await build(config);
report("tsc build to npm/", built);
const tarball = built ? await pack() : undefined;
report("npm pack", tarball !== undefined);
if (built) await clientSize();
if (check) {
  const publint = tarball ? await run(bin("publint"), ["run", "--strict", outDir]) : undefined;
  report(
    "publint",
    publint !== undefined && publint.ok && !/\b(warning|error|suggestion)/i.test(publint.out),
  );
  const attw = tarball
    ? await run(bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii"])
    : undefined;
  report("attw", attw?.ok === true);
}
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
