// A web-standard handler behind node:http: a Node request as a `Request`, and
// a `Response` written back. Shared by the emulator's `serveNode`
// (src/testing/serve_node.ts) and the worker's `serve` on Node
// (src/worker/_listen.ts). It imports nothing from `node:`: the callers pass
// node:http's objects, typed here by the few members that are read.

/** What is read of node:http's `IncomingMessage`. */
export interface NodeRequest {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/** What is used of node:http's `ServerResponse`. */
export interface NodeResponse {
  readonly writableFinished: boolean;
  once(event: "close" | "drain", listener: () => void): unknown;
  writeHead(
    status: number,
    statusText: string | undefined,
    headers: Record<string, string | string[]>,
  ): unknown;
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  destroy(): unknown;
}

/**
 * `req` as a `Request` whose signal aborts when the client goes away before
 * the answer is written; `body` is its body as a web stream (node:stream's
 * `Readable.toWeb(req)`), read only for a method that has one.
 */
export function webRequest(
  req: NodeRequest,
  res: NodeResponse,
  body: () => ReadableStream<Uint8Array>,
  hostname: string,
): Request {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) {
      controller.abort(new DOMException("The client went away", "AbortError"));
    }
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) { for (const v of value) headers.append(name, v); }
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method ?? "GET",
    headers,
    body: hasBody ? body() : null,
    signal: controller.signal,
  };
  // Node's fetch needs it for a streamed body.
  if (hasBody) init.duplex = "half";
  return new Request(`http://${req.headers.host ?? hostname}${req.url ?? "/"}`, init);
}

/**
 * Writes `response` to `res`: its status, its headers (a repeated one as a
 * list) and its body as it comes, waiting for `drain`. A body that fails
 * midway resets the connection: the answer is cut off, not ended cleanly.
 */
export async function writeResponse(res: NodeResponse, response: Response): Promise<void> {
  const head: Record<string, string | string[]> = {};
  for (const [name, value] of response.headers) {
    const previous = head[name];
    head[name] = previous === undefined ? value : ([] as string[]).concat(previous, value);
  }
  res.writeHead(response.status, response.statusText || undefined, head);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((drain) => res.once("drain", drain));
    }
    res.end();
  } catch {
    res.destroy();
  }
}
