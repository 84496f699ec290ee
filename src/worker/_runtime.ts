// The start-up adapter's one contact with the runtime: environment, arguments,
// signals, exit and reading test_input.json, found by feature detection on
// globalThis (Deno, then Node's and Bun's `process`), so the module loads anywhere.

interface DenoServer {
  addr: { port: number };
  shutdown(): Promise<void>;
}

interface DenoLike {
  serve?(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: FetchHandler,
  ): DenoServer;
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

interface BunLike {
  serve(options: { hostname: string; port: number; fetch: FetchHandler }): {
    port: number;
    stop(force?: boolean): Promise<void> | void;
  };
}

const SIGNALS = ["SIGTERM", "SIGINT"];

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
      serve(handler, hostname, port) {
        if (!deno.serve) return Promise.reject(new Error("Deno.serve is not available"));
        const server = deno.serve({ hostname, port, onListen: () => {} }, handler);
        return Promise.resolve({
          url: `http://${hostname}:${server.addr.port}`,
          close: () => server.shutdown(),
        });
      },
    };
  }
  const process = g.process;
  const bun = (globalThis as { Bun?: BunLike }).Bun;
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
      async serve(handler, hostname, port) {
        if (bun) {
          const server = bun.serve({ hostname, port, fetch: handler });
          return {
            url: `http://${hostname}:${server.port}`,
            close: async () => void await server.stop(true),
          };
        }
        // Node: the project's node:http adapter, loaded only here. Its URL is built at run time
        // so that the web-only entries neither type-check nor bundle it (on npm it is a .js file).
        const url = new URL("../testing/serve_node.js", import.meta.url).href;
        const { serveNode } = await import(url) as {
          serveNode(h: FetchHandler, o: { hostname: string; port: number }): Promise<Served>;
        };
        return await serveNode(handler, { hostname, port });
      },
    };
  }
  return {
    env: () => ({}),
    args: () => [],
    exit: () => {},
    onSignals: () => () => {},
    readText: () => undefined,
    serve: () => Promise.reject(new Error("no HTTP server in this runtime")),
  };
}
