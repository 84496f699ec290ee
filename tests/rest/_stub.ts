// A scripted stand-in for RunPod's management API, for the client's tests
// until the management emulator lands: records every request and answers
// with what the test's handler returns (or throws, for a network error).
import runpodSdk, { type RunpodSdk } from "../../mod.ts";
import { FakeClock } from "../../testing.ts";

export interface StubCall {
  method: string;
  url: URL;
  /** "METHOD /path" without /v2 and the query. */
  route: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | undefined;
}

export type Handler = (call: StubCall, index: number) => Response | Promise<Response>;

export function stub(handler: Handler, options: { maxRetries?: number; timeout?: number } = {}): {
  runpod: RunpodSdk;
  calls: StubCall[];
  clock: FakeClock;
  [Symbol.dispose](): void;
} {
  const calls: StubCall[] = [];
  const clock = new FakeClock();
  const fetch = async (input: Request | URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    const text = typeof init?.body === "string" ? init.body : undefined;
    const call: StubCall = {
      method: init?.method ?? "GET",
      url,
      route: `${init?.method ?? "GET"} ${url.pathname.replace(/^\/v2/, "")}`,
      headers: new Headers(init?.headers),
      body: text === undefined ? undefined : JSON.parse(text),
      signal: init?.signal ?? undefined,
    };
    calls.push(call);
    return await handler(call, calls.length - 1);
  };
  const runpod = runpodSdk("test-key", {
    fetch,
    clock,
    restUrl: "https://rest.example/v2",
    ...options,
  });
  return { runpod, calls, clock, [Symbol.dispose]: () => clock.dispose() };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers });
}

export function problem(
  status: number,
  title: string,
  detail: string,
  errors?: string[],
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ title, status, detail, ...(errors ? { errors } : {}) }), {
    status,
    headers: { "content-type": "application/problem+json", "x-request-id": "req-42", ...headers },
  });
}

/**
 * A Server-Sent Events body the test writes to: every chunk, the end and the
 * failure are delivered in order, as the client reads.
 */
export function sse(): {
  response(): Response;
  send(id: string, line: string, source?: string): void;
  raw(text: string): void;
  close(): void;
  fail(error?: Error): void;
  readonly cancelled: boolean;
} {
  const queue: (Uint8Array | Error | "end")[] = [];
  let wake: (() => void) | undefined;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (queue.length === 0 && !cancelled) await new Promise<void>((r) => (wake = r));
      const item = queue.shift();
      if (item === undefined) return;
      if (item === "end") controller.close();
      else if (item instanceof Error) controller.error(item);
      else controller.enqueue(item);
    },
    cancel() {
      cancelled = true;
      wake?.();
    },
  }, { highWaterMark: 0 });
  const push = (item: Uint8Array | Error | "end") => {
    queue.push(item);
    wake?.();
    wake = undefined;
  };
  const encoder = new TextEncoder();
  return {
    response: () => new Response(stream, { headers: { "content-type": "text/event-stream" } }),
    send(id, line, source = "container") {
      const data = JSON.stringify({ source, line, ts: `2026-06-01T12:00:${id.padStart(2, "0")}Z` });
      push(encoder.encode(`id: ${id}\ndata: ${data}\n\n`));
    },
    raw: (text) => push(encoder.encode(text)),
    close: () => push("end"),
    fail: (error = new TypeError("connection reset")) => push(error),
    get cancelled() {
      return cancelled;
    },
  };
}
