// Serves a web-standard handler, such as the emulator's `handler`, with
// Node's `node:http`, for Node.js (it also runs on Deno and Bun). An answer
// that stands for a dropped connection (an injected `drop` fault) destroys
// the socket before anything is sent. Public as `@runpod/sdk/testing/node`
// (testing_node.ts); the only file of src/ that imports `node:*`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { isDropped } from "./_drop.ts";
import { webRequest, writeResponse } from "../_node_http.ts";
import { checkKnownKeys, type KnownKeys } from "../_known_keys.ts";

/**
 * Options of {@linkcode serveNode}.
 *
 * @example Listening on a chosen port
 * ```ts
 * import { createEmulator } from "@runpod/sdk/testing";
 * import { serveNode, type ServeNodeOptions } from "@runpod/sdk/testing/node";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const options: ServeNodeOptions = { hostname: "127.0.0.1", port: 0 }; // 0: any free port
 * await using server = await serveNode(emulator.handler, options);
 * assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
 * ```
 */
export interface ServeNodeOptions {
  /**
   * The address to listen on.
   *
   * @default {"127.0.0.1"}
   */
  hostname?: string;
  /**
   * The port; 0 picks a free one.
   *
   * @default {0}
   */
  port?: number;
}

/**
 * A running server made by {@linkcode serveNode}.
 *
 * @example Closing the server
 * ```ts
 * import { createEmulator } from "@runpod/sdk/testing";
 * import { type NodeServer, serveNode } from "@runpod/sdk/testing/node";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const server: NodeServer = await serveNode(emulator.handler);
 * assert.equal(server.url, `http://127.0.0.1:${server.port}`);
 * await server.close(); // or `await using server = ...`
 * await assert.rejects(fetch(`${server.url}/v2/test-endpoint/health`)); // nobody listens now
 * ```
 */
export interface NodeServer {
  /** The server's origin, such as `http://127.0.0.1:8123`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops accepting connections, closes the open ones and resolves when the server has stopped. */
  close(): Promise<void>;
  /** Same as {@linkcode NodeServer.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves `handler` over HTTP with `node:http`.
 *
 * @param handler What answers each request.
 * @param options The hostname and port.
 * @returns The running server.
 *
 * @example Serving the emulator with node:http
 * ```ts
 * import { createEmulator } from "@runpod/sdk/testing";
 * import { serveNode } from "@runpod/sdk/testing/node";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * await using server = await serveNode(emulator.handler);
 * const response = await fetch(`${server.url}/v2/test-endpoint/health`, {
 *   headers: { authorization: "Bearer test-key" },
 * });
 * assert.equal(response.status, 200);
 * assert.equal((await response.json()).jobs.completed, 0);
 * ```
 */
export function serveNode(
  handler: (request: Request) => Response | Promise<Response>,
  options: ServeNodeOptions = {},
): Promise<NodeServer> {
  checkKnownKeys("serve the emulator", options, SERVE_KEYS);
  const { hostname = "127.0.0.1", port = 0 } = options;
  const server = createServer((req, res) => {
    answer(handler, req, res, hostname).catch(() => res.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      const address = server.address();
      const actualPort = typeof address === "object" && address ? address.port : port;
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      const close = () =>
        new Promise<void>((done, fail) => {
          server.close((error) => (error ? fail(error) : done()));
          server.closeAllConnections();
        });
      resolve({
        url: `http://${host}:${actualPort}`,
        port: actualPort,
        close,
        [Symbol.asyncDispose]: close,
      });
    });
  });
}

async function answer(
  handler: (request: Request) => Response | Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
  hostname: string,
): Promise<void> {
  const response = await handler(
    webRequest(req, res, () => Readable.toWeb(req) as ReadableStream<Uint8Array>, hostname),
  );
  if (isDropped(response)) {
    await response.body?.cancel().catch(() => {});
    req.socket.destroy();
    return;
  }
  await writeResponse(res, response);
}

/** The names of {@linkcode ServeNodeOptions}. */
const SERVE_KEYS: KnownKeys = new Set(["hostname", "port"]);
