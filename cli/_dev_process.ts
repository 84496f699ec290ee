// What `runpod dev` asks of its runtime: the command that runs a worker file
// on the runtime the CLI itself runs on (Deno, Node, Bun), the worker as a
// child process, a watch on the worker's directory, and free ports. Through
// Node's built-in modules, which Deno and Bun provide too.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, statSync, watch } from "node:fs";
import { createServer } from "node:net";
import { basename, dirname, resolve } from "node:path";
import process from "node:process";
import { UsageError } from "./_exit.ts";

/** The runtime the CLI runs on. */
export type RuntimeName = "deno" | "bun" | "node";

/** The runtime this process runs on, by feature detection. */
export function currentRuntime(): RuntimeName {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  if (g.Deno !== undefined) return "deno";
  if (g.Bun !== undefined) return "bun";
  return "node";
}

const TYPESCRIPT = /\.(?:[cm]?ts|tsx)$/;

/**
 * The command line that runs `file` on `runtime` (`deno run -A FILE`, `bun
 * FILE`, `node FILE`). Node runs TypeScript only where it strips types:
 * natively (`process.features.typescript`, Node 22.18+ and 23.6+), or with
 * `--experimental-strip-types` (22.6+); older Node gets a UsageError.
 */
export function workerCommand(
  file: string,
  runtime: RuntimeName = currentRuntime(),
  node: NodeFeatures = nodeFeatures(),
  execPath: string = process.execPath,
): string[] {
  if (runtime === "deno") return [execPath, "run", "-A", file];
  if (runtime === "bun") return [execPath, file];
  return [execPath, ...nodeFlags(file, node), file];
}

/**
 * The command line that runs the module `code` on `runtime` (`deno eval`,
 * `node --input-type=module -e`, `bun -e`), where it imports `file`.
 */
export function evalCommand(
  code: string,
  file: string,
  runtime: RuntimeName = currentRuntime(),
  node: NodeFeatures = nodeFeatures(),
  execPath: string = process.execPath,
): string[] {
  if (runtime === "deno") return [execPath, "eval", code];
  if (runtime === "bun") return [execPath, "-e", code];
  return [execPath, ...nodeFlags(file, node), "--input-type=module", "-e", code];
}

/** What Node can do with TypeScript: its version, and `process.features.typescript`. */
export interface NodeFeatures {
  version: string;
  typescript: unknown;
}

function nodeFeatures(): NodeFeatures {
  return {
    version: process.versions.node ?? "0.0.0",
    typescript: (process.features as { typescript?: unknown } | undefined)?.typescript,
  };
}

/** The flags Node needs to run `file`; a UsageError where it cannot. */
function nodeFlags(file: string, node: NodeFeatures): string[] {
  if (!TYPESCRIPT.test(file) || node.typescript) return [];
  const [major = 0, minor = 0] = node.version.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 6)) return ["--experimental-strip-types"];
  throw new UsageError(
    `Node ${node.version} cannot run TypeScript ('${file}'): give it a JavaScript file (handler.mjs), run 'runpod dev' with Deno (deno run -A jsr:@runpod/sdk/cli dev ${file}) or Bun, or use Node 22.6 or later`,
    "dev",
  );
}

/** A worker started as a child process. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  /** Resolves with its exit code (or the signal that ended it) once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Sends it a signal (SIGTERM: it drains). */
  kill(signal: "SIGTERM" | "SIGKILL"): void;
}

/**
 * Starts `cmd` with `env` added to this process's environment, writing what
 * it prints (stdout and stderr) to `write`. It runs in its own process
 * group, so a terminal's Ctrl-C reaches the CLI only, which then sends it
 * one SIGTERM; it is killed if the CLI exits first.
 */
export function startWorker(
  cmd: string[],
  env: Record<string, string>,
  write: (text: string) => void,
): WorkerProcess {
  const child: ChildProcess = spawn(cmd[0]!, cmd.slice(1), {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32",
  });
  let gone = false;
  const decoder = new TextDecoder();
  const forward = (chunk: Uint8Array | string) =>
    write(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
  child.stdout?.on("data", forward);
  child.stderr?.on("data", forward);
  // process.kill, not child.kill: Deno's node:child_process sends one signal per child only.
  const signal = (name: "SIGTERM" | "SIGKILL") => {
    if (gone || child.pid === undefined) return;
    try {
      process.kill(child.pid, name);
    } catch {
      // Gone already.
    }
  };
  const killOnExit = () => signal("SIGKILL");
  process.on("exit", killOnExit);
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) => {
    child.once("error", (error) => {
      write(`Cannot start ${cmd[0]}: ${error.message}\n`);
      process.off("exit", killOnExit);
      done({ code: 127, signal: null });
    });
    child.once("close", (code, signal) => {
      gone = true; // (not child.signalCode: Deno's sets it as soon as kill() is called)
      process.off("exit", killOnExit);
      done({ code, signal });
    });
  });
  return {
    pid: child.pid,
    exited,
    kill: signal,
  };
}

/** Files whose change restarts the worker: sources and JSON, not editors' temporary files. */
const WATCHED = /^[^.].*\.(?:[cm]?[jt]s|[jt]sx|json)$/;

/**
 * Watches the directory of `file` (not its subdirectories) and calls
 * `changed` once its source files have not changed for `quiet` ms, and only
 * if one of them is not as it was (size, modification time): a late or
 * repeated event restarts nothing. Returns the function that stops watching.
 */
export function watchDirectory(file: string, changed: () => void, quiet = 150): () => void {
  const dir = dirname(resolve(file));
  let last = fingerprint(dir);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = () => {
    const now = fingerprint(dir);
    if (now === last) return;
    last = now;
    changed();
  };
  const watcher = watch(dir, (_event, name) => {
    const text = name === null || name === undefined ? basename(file) : String(name);
    if (!WATCHED.test(basename(text))) return;
    clearTimeout(timer);
    timer = setTimeout(settled, quiet);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

/** The names, sizes and modification times of the watched files in `dir`. */
function fingerprint(dir: string): string {
  const parts: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!WATCHED.test(name)) continue;
    try {
      const info = statSync(`${dir}/${name}`);
      if (info.isFile()) parts.push(`${name}:${info.size}:${info.mtimeMs}`);
    } catch {
      // Removed meanwhile: left out.
    }
  }
  return parts.join("\n");
}

/** A port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
