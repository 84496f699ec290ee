// The start-up adapter's one contact with the runtime: environment, arguments,
// signals, exit and reading test_input.json, found by feature detection on
// globalThis (Deno, then Node's and Bun's `process`), so the module loads anywhere.
// An HTTP server (--serve-api) is `serve`'s listener (./_listen.ts).
import { listen } from "./_listen.ts";

interface DenoLike {
  env: { toObject(): Record<string, string> };
  args: string[];
  exit(code: number): never;
  addSignalListener(signal: string, fn: () => void): void;
  removeSignalListener(signal: string, fn: () => void): void;
  readTextFileSync(path: string): string;
}

interface ProcessLike {
  env: Record<string, string | undefined>;
  argv: string[];
  exit(code: number): never;
  on(event: string, fn: () => void): unknown;
  off(event: string, fn: () => void): unknown;
  getBuiltinModule?(name: string): unknown;
}

/** An HTTP server the adapter started. */
export interface Served {
  /** Its origin, such as `http://127.0.0.1:8000`. */
  url: string;
  close(): Promise<void>;
}

type FetchHandler = (request: Request) => Response | Promise<Response>;

/** What the adapter reads from the runtime. */
export interface Runtime {
  env(): Record<string, string | undefined>;
  args(): string[];
  exit(code: number): void;
  /** Calls `fn` on each SIGTERM and SIGINT; returns a function removing the listeners. */
  onSignals(fn: (signal: string) => void): () => void;
  /** A file's text, or undefined where it does not exist or cannot be read. */
  readText(path: string): string | undefined;
  /** Serves `handler` over HTTP (Deno.serve, Bun.serve, or node:http). */
  serve(handler: FetchHandler, hostname: string, port: number): Promise<Served>;
}

const SIGNALS = ["SIGTERM", "SIGINT"];

/** Serves with `serve`'s own listener: Deno.serve, Bun.serve, or node:http. */
async function serve(handler: FetchHandler, hostname: string, port: number): Promise<Served> {
  const listener = await listen(async (request) => await handler(request), hostname, port);
  return { url: `http://${hostname}:${listener.port}`, close: () => listener.close() };
}

/** The runtime this code runs in, by feature detection. */
export function detectRuntime(): Runtime {
  const g = globalThis as { Deno?: DenoLike; process?: ProcessLike };
  const deno = g.Deno;
  if (deno?.env && Array.isArray(deno.args)) {
    return {
      env: () => {
        try {
          return deno.env.toObject();
        } catch {
          return {}; // no --allow-env
        }
      },
      args: () => deno.args,
      exit: (code) => deno.exit(code),
      onSignals(fn) {
        const added: [string, () => void][] = [];
        for (const signal of SIGNALS) {
          const listener = () => fn(signal);
          try {
            deno.addSignalListener(signal, listener);
            added.push([signal, listener]);
          } catch {
            // SIGTERM is not available on Windows.
          }
        }
        return () =>
          added.forEach(([signal, listener]) => deno.removeSignalListener(signal, listener));
      },
      readText(path) {
        try {
          return deno.readTextFileSync(path);
        } catch {
          return undefined;
        }
      },
      serve,
    };
  }
  const process = g.process;
  if (process?.env && Array.isArray(process.argv)) {
    return {
      env: () => process.env,
      args: () => process.argv.slice(2),
      exit: (code) => process.exit(code),
      onSignals(fn) {
        const listeners = SIGNALS.map((signal) => [signal, () => fn(signal)] as const);
        for (const [signal, listener] of listeners) process.on(signal, listener);
        return () => listeners.forEach(([signal, listener]) => process.off(signal, listener));
      },
      readText(path) {
        const fs = process.getBuiltinModule?.("node:fs") as
          | { readFileSync(path: string, encoding: string): string }
          | undefined;
        try {
          return fs?.readFileSync(path, "utf8");
        } catch {
          return undefined;
        }
      },
      serve,
    };
  }
  return {
    env: () => ({}),
    args: () => [],
    exit: () => {},
    onSignals: () => () => {},
    readText: () => undefined,
    serve,
  };
}
