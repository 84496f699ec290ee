// `runpod emulator`: serves a web-standard handler over HTTP with node:http
// (in Node, Deno and Bun alike).
import { createServer } from "node:http";
import { Readable } from "node:stream";

/** A running server. */
export interface Served {
  /** The port it listens on. */
  port: number;
  /** Stops it and closes its connections. */
  close(): Promise<void>;
}

/** Serves `handler` on `hostname:port` (0: a free port). */
export function serve(
  handler: (request: Request) => Promise<Response> | Response,
  hostname: string,
  port: number,
): Promise<Served> {
  const server = createServer(async (req, res) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) { for (const v of value) headers.append(name, v); }
      }
      const controller = new AbortController();
      res.once("close", () => controller.abort());
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const response = await handler(
        new Request(`http://${hostname}:${port}${req.url ?? "/"}`, {
          method: req.method,
          headers,
          body: hasBody ? Readable.toWeb(req) as ReadableStream<Uint8Array> : null,
          signal: controller.signal,
          // @ts-ignore: Node's Request needs it for a streamed body; not in every lib's RequestInit
          duplex: "half",
        }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) {
        res.end();
        return;
      }
      // Streamed as it comes: Server-Sent Events (logs) never end on their own.
      const reader = response.body.getReader();
      res.once("close", () => reader.cancel().catch(() => {}));
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) await new Promise((drain) => res.once("drain", drain));
      }
      res.end();
    } catch {
      res.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      const address = server.address();
      port = typeof address === "object" && address ? address.port : port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
