// The runtime adapter of `serve`: listening on a port, reading the
// environment and SIGTERM, in Deno (Deno.serve), Bun (Bun.serve) and Node
// (node:http, reached with process.getBuiltinModule so that the module has no
// `node:` import and loads everywhere). Runtime APIs are found by feature
// detection on globalThis; nothing runs at import time.

/** A server listening on a port. */
export interface Listener {
  port: number;
  /** Stops listening and closes its connections. */
  close(): Promise<void>;
}

import { webRequest, writeResponse } from "../_node_http.ts";

type Handler = (request: Request) => Promise<Response>;

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

/** Listens on `hostname:port` with the runtime's own server. */
export async function listen(handler: Handler, hostname: string, port: number): Promise<Listener> {
  if (typeof g.Deno?.serve === "function") {
    const server = g.Deno.serve(
      { hostname, port, onListen() {} },
      (request: Request) => handler(request),
    );
    return {
      port: server.addr.port,
      close: async () => {
        await server.shutdown();
      },
    };
  }
  if (typeof g.Bun?.serve === "function") {
    const server = g.Bun.serve({ hostname, port, fetch: handler });
    return {
      port: server.port,
      close: async () => {
        await server.stop(true);
      },
    };
  }
  if (typeof g.process?.getBuiltinModule === "function") {
    return await listenNode(handler, hostname, port);
  }
  throw new TypeError(
    "Cannot serve: this runtime has no HTTP server the SDK knows (Deno.serve, Bun.serve or Node's node:http)",
  );
}

/** The environment variable `name`, where the runtime lets it be read. */
export function env(name: string): string | undefined {
  try {
    if (typeof g.Deno?.env?.get === "function") return g.Deno.env.get(name) ?? undefined;
    return g.process?.env?.[name] ?? undefined;
  } catch {
    return undefined; // Deno without --allow-env
  }
}

/** Calls `fn` on SIGTERM; returns the function that stops listening. */
export function onSigterm(fn: () => void): () => void {
  try {
    if (typeof g.Deno?.addSignalListener === "function") {
      g.Deno.addSignalListener("SIGTERM", fn);
      return () => g.Deno.removeSignalListener("SIGTERM", fn);
    }
    if (typeof g.process?.on === "function") {
      g.process.on("SIGTERM", fn);
      return () => g.process.off("SIGTERM", fn);
    }
  } catch {
    // No signals here (Windows' Deno has no SIGTERM): nothing to listen to.
  }
  return () => {};
}

/** node:http through src/_node_http.ts (as serveNode), reached without a static `node:` import. */
function listenNode(handler: Handler, hostname: string, port: number): Promise<Listener> {
  const http = g.process.getBuiltinModule("node:http");
  const { Readable } = g.process.getBuiltinModule("node:stream");
  // deno-lint-ignore no-explicit-any
  const server = http.createServer(async (req: any, res: any) => {
    try {
      const request = webRequest(req, res, () => Readable.toWeb(req), hostname);
      await writeResponse(res, await handler(request));
    } catch {
      res.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      resolve({
        port: server.address().port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
