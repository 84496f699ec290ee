// The runtime matrix: the shared checks of tests/runtimes/checks.ts, run in
// every runtime the SDK supports, each against a fresh emulator served on
// loopback (127.0.0.1, an ephemeral port) by this process:
//   deno          mod.ts and testing.ts directly
//   node-import   the packed tarball, installed by name, `import`
//   node-require  the same, `require()`
//   bun           the same tarball, `import`, with bun from node_modules
//   workerd       a worker bundled by esbuild with the package, run by miniflare
//   chromium      Debian's chromium (installed if missing), the ESM build on a
//                 loopback page, calling the emulator through CORS
//
// Each runtime prints its own `N passed, N failed`; this prints one line per
// runtime and then the total as its last count line. Name runtimes to run only
// those: `deno`, `node` (node-import and node-require), `bun`, `workerd`,
// `browser` (chromium), or a row's own name; the deno.json tasks `test:deno`,
// `test:node`, `test:bun`, `test:workerd` and `test:browser` do that. The
// tarball is built by scripts/build_npm.ts unless it is newer than every file it
// is built from (so consecutive runtime tasks build it once), or with --no-build;
// only Deno needs no tarball. A runtime that cannot
// start counts as a failure. Every child runs in its own process group, which
// is killed when it ends or outlives RUNTIME_TIMEOUT; the scratch directory is
// removed at the end.
//
//   deno run -A scripts/runtime_matrix.ts [--no-build] [runtime ...]
//   deno run -A scripts/runtime_matrix.ts node bun
import { createEmulator, openaiWorker } from "../testing.ts";
import { tarballIsFresh, tarballPath } from "./_npm_tarball.ts";
import { matrixWorker, OPENAI_REPLY } from "../tests/runtimes/checks.ts";

const RUNTIME_TIMEOUT = 60_000;
const root = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
const runtimesDir = `${root}/tests/runtimes`;
const bin = (name: string) => `${root}/node_modules/.bin/${name}`;

interface Outcome {
  passed: number;
  failed: number;
  note?: string;
}

interface Runtime {
  name: string;
  /** The command, given the emulator's base and control URLs. */
  cmd(baseUrl: string, controlUrl: string): string[];
}

/** The runtime names a filter argument stands for. */
const GROUPS: Record<string, string[]> = {
  deno: ["deno"],
  node: ["node-import", "node-require"],
  "node-import": ["node-import"],
  "node-require": ["node-require"],
  bun: ["bun"],
  workerd: ["workerd"],
  browser: ["chromium"],
  chromium: ["chromium"],
};
const filters = Deno.args.filter((a) => !a.startsWith("--"));
const unknownFilters = filters.filter((name) => !(name in GROUPS));
if (unknownFilters.length > 0) {
  console.log(
    `Unknown runtime: ${unknownFilters.join(", ")} (known: ${Object.keys(GROUPS).join(", ")})`,
  );
  console.log("0 passed, 1 failed");
  Deno.exit(1);
}
/** The runtimes to run; every one when no filter is given. */
const selected = filters.length === 0 ? undefined : new Set(filters.flatMap((f) => GROUPS[f]));
const wants = (name: string) => selected === undefined || selected.has(name);
const build = !Deno.args.includes("--no-build");

/** Runs a command to completion, output piped; for setup steps. */
async function setup([command, ...args]: [string, ...string[]], cwd = root): Promise<void> {
  const cmd = [command, ...args];
  const { success, stdout, stderr } = await new Deno.Command(command, {
    args,

    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!success) {
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    throw new Error(`Setup step failed: ${cmd.join(" ")}\n${text}`);
  }
}

/** Serves a fresh emulator on loopback, with a control route to inject faults. */
function serveEmulator() {
  const openai = openaiWorker({ reply: OPENAI_REPLY });
  const emulator = createEmulator({
    // Jobs of the OpenAI-compatible routes go to the OpenAI worker, the others to matrixWorker.
    worker: (job) =>
      (job.input as { openai_route?: unknown } | null)?.openai_route === undefined
        ? matrixWorker(job)
        : openai(job as Parameters<typeof openai>[0]),
    workers: 8,
    streamHold: 2_000,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const url = new URL(request.url);
      if (url.pathname === "/__control/inject") {
        const cors = {
          "access-control-allow-origin": "*",
          "access-control-allow-headers": "content-type",
          "access-control-allow-methods": "POST, OPTIONS",
        };
        if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
        try {
          const { route, fault, times } = await request.json();
          emulator.inject(route, fault, times);
          return Response.json({ ok: true }, { headers: cors });
        } catch (error) {
          return Response.json({ error: String(error) }, { status: 400, headers: cors });
        }
      }
      return await emulator.handler(request);
    },
  );
  const origin = `http://127.0.0.1:${server.addr.port}`;
  return {
    baseUrl: `${origin}/v2`,
    controlUrl: `${origin}/__control`,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      await server.shutdown();
    },
  };
}

/** Runs one runtime in its own process group, echoes its output, reads its count line. */
async function runRuntime(runtime: Runtime, cwd: string): Promise<Outcome> {
  await using emulator = serveEmulator();
  const cmd = runtime.cmd(emulator.baseUrl, emulator.controlUrl);
  let child: Deno.ChildProcess;
  try {
    // setsid: the child leads a new process group, so its own children
    // (workerd, chromium) are killed with it.
    child = new Deno.Command("setsid", {
      args: cmd,
      cwd,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1", FORCE_COLOR: "0" },
    }).spawn();
  } catch (error) {
    return { passed: 0, failed: 1, note: `cannot start: ${error}` };
  }
  const killGroup = (signal: Deno.Signal) => {
    try {
      Deno.kill(-child.pid, signal);
    } catch { /* the group is gone */ }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup("SIGKILL");
  }, RUNTIME_TIMEOUT);
  const prefix = `[${runtime.name}] `;
  const [out, err, status] = await Promise.all([
    echo(child.stdout, prefix),
    echo(child.stderr, prefix),
    child.status,
  ]);
  clearTimeout(timer);
  killGroup("SIGKILL");
  const counts = readCounts(out);
  if (timedOut) {
    return { passed: counts?.passed ?? 0, failed: (counts?.failed ?? 0) + 1, note: "timed out" };
  }
  if (!counts) return { passed: 0, failed: 1, note: `no count line (exit code ${status.code})` };
  if (!status.success && counts.failed === 0) {
    return { ...counts, failed: 1, note: `exit code ${status.code}` };
  }
  if (err.trim() !== "" && counts.failed === 0) console.log(`${prefix}(wrote to stderr, above)`);
  return counts;
}

async function echo(stream: ReadableStream<Uint8Array>, prefix: string): Promise<string> {
  let text = "";
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const part = decoder.decode(chunk, { stream: true });
    text += part;
    pending += part;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) console.log(prefix + line);
  }
  if (pending) console.log(prefix + pending);
  return text;
}

function readCounts(text: string): { passed: number; failed: number } | undefined {
  let found: { passed: number; failed: number } | undefined;
  for (const line of text.split("\n")) {
    const m = /^\S+: (\d+) passed, (\d+) failed$/.exec(line.trim());
    if (m) found = { passed: Number(m[1]), failed: Number(m[2]) };
  }
  return found;
}

// --- setup: the tarball, a scratch project with it installed, the bundles ---

/** Thrown to skip the setup when only Deno runs (it imports mod.ts directly). */
class SkipSetup extends Error {}

const tarball = await tarballPath();
const scratch = await Deno.makeTempDir({ prefix: "runpod-matrix-" });
const results: [string, Outcome][] = [];
try {
  let ready = true;
  try {
    if (
      !wants("node-import") && !wants("node-require") && !wants("bun") &&
      !wants("workerd") && !wants("chromium")
    ) {
      throw new SkipSetup();
    }
    if (build && await tarballIsFresh()) {
      console.log(`Using ${tarball}: newer than the files it is built from`);
    } else if (build) {
      await setup([Deno.execPath(), "run", "-A", `${root}/scripts/build_npm.ts`]);
    }
    await Deno.writeTextFile(
      `${scratch}/package.json`,
      JSON.stringify({ name: "runtime-matrix", private: true, type: "module" }),
    );
    await setup(
      ["npm", "install", "--no-audit", "--no-fund", "--no-package-lock", "--offline", tarball],
      scratch,
    );
    // The openai package (no dependencies) for the runners' OpenAI checks, linked, not installed.
    await Deno.symlink(`${root}/node_modules/openai`, `${scratch}/node_modules/openai`);
    for (const file of ["esm_runner.mjs", "cjs_runner.cjs", "worker.mjs", "checks.ts"]) {
      await Deno.copyFile(`${runtimesDir}/${file}`, `${scratch}/${file}`);
    }
    for (const file of ["workerd_runner.mjs", "browser_runner.mjs"]) {
      await Deno.copyFile(`${runtimesDir}/${file}`, `${scratch}/${file}`);
    }
    const esbuild = bin("esbuild");
    const checks = `${runtimesDir}/checks.ts`;
    await setup([
      esbuild,
      checks,
      "--format=esm",
      `--outfile=${scratch}/checks.mjs`,
      "--log-level=warning",
    ]);
    await setup([
      esbuild,
      checks,
      "--format=cjs",
      `--outfile=${scratch}/checks.cjs`,
      "--log-level=warning",
    ]);
    await setup([
      esbuild,
      `${scratch}/worker.mjs`,
      "--bundle",
      "--format=esm",
      "--platform=neutral",
      "--conditions=workerd,worker,browser",
      `--outfile=${scratch}/worker.bundle.mjs`,
      "--log-level=warning",
    ], scratch);
  } catch (error) {
    ready = false;
    if (!(error instanceof SkipSetup)) {
      console.log(`FAIL setup: ${error instanceof Error ? error.message : error}`);
    }
  }

  const runtimes: Runtime[] = [
    {
      name: "deno",
      cmd: (base, control) => [
        Deno.execPath(),
        "run",
        "--allow-net=127.0.0.1",
        "--allow-env", // the openai package reads its OPENAI_* variables
        `${runtimesDir}/deno_runner.ts`,
        base,
        control,
      ],
    },
    {
      name: "node-import",
      cmd: (base, control) => ["node", "esm_runner.mjs", "import", base, control],
    },
    {
      name: "node-require",
      cmd: (base, control) => ["node", "cjs_runner.cjs", "require", base, control],
    },
    {
      name: "bun",
      cmd: (base, control) => [bin("bun"), "esm_runner.mjs", "import", base, control],
    },
    {
      name: "workerd",
      cmd: (base, control) => [
        "node",
        "workerd_runner.mjs",
        root,
        `${scratch}/worker.bundle.mjs`,
        base,
        control,
      ],
    },
    {
      name: "chromium",
      cmd: (base, control) => ["node", "browser_runner.mjs", root, scratch, base, control],
    },
  ];
  for (const runtime of runtimes) {
    if (!wants(runtime.name)) continue;
    console.log(`\n--- ${runtime.name}`);
    if (!ready && runtime.name !== "deno") {
      results.push([runtime.name, { passed: 0, failed: 1, note: "setup failed" }]);
      continue;
    }
    if (runtime.name === "chromium") {
      try {
        await setup(["bash", `${root}/scripts/ensure_chromium.sh`]);
      } catch (error) {
        console.log(String(error));
        results.push([runtime.name, { passed: 0, failed: 1, note: "chromium is not installed" }]);
        continue;
      }
    }
    const started = performance.now();
    const outcome = await runRuntime(runtime, scratch);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    outcome.note = [outcome.note, `${seconds} s`].filter(Boolean).join(", ");
    results.push([runtime.name, outcome]);
  }
} finally {
  await Deno.remove(scratch, { recursive: true }).catch(() => {});
}

console.log("");
let passed = 0;
let failed = 0;
for (const [name, outcome] of results) {
  passed += outcome.passed;
  failed += outcome.failed;
  console.log(
    `${
      outcome.failed === 0 ? "ok  " : "FAIL"
    } ${name}: ${outcome.passed} passed, ${outcome.failed} failed (${outcome.note})`,
  );
}
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 && results.length > 0 ? 0 : 1);
