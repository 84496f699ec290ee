import { isDropped } from "./_drop.ts";

/** Answers one request (the emulator's dispatch), as a server would. */
export type Handle = (request: Request) => Promise<Response>;

/**
 * A `fetch` that hands each request to `handle` in process, with what `fetch`
 * itself does around a server: it rejects with the signal's reason when the
 * request is aborted, with a `TypeError` when the answer stands for a dropped
 * connection, and follows redirects (unless `redirect` says otherwise),
 * leaving the `Authorization` header behind on another origin.
 */
export function inProcessFetch(
  handle: Handle,
): (input: Request | URL | string, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const original = new Request(input, init);
    const signal = original.signal;
    if (signal.aborted) throw signal.reason;
    let url = original.url;
    let method = original.method;
    const headers = new Headers(original.headers);
    let body: ArrayBuffer | null = original.body === null ? null : await original.arrayBuffer();
    for (let redirects = 0;; redirects++) {
      if (signal.aborted) throw signal.reason;
      const request = new Request(url, { method, headers, body, signal });
      const response = await abortable(handle(request), signal);
      if (isDropped(response)) {
        await response.body?.cancel().catch(() => {});
        throw new TypeError("fetch failed", {
          cause: new Error("The connection was dropped (injected fault)"),
        });
      }
      const location = response.headers.get("location");
      if (!isRedirect(response.status) || location === null || original.redirect === "manual") {
        return response;
      }
      await response.body?.cancel().catch(() => {});
      if (original.redirect === "error" || redirects >= 20) {
        throw new TypeError("fetch failed", {
          cause: new Error(`Redirected to '${location}' (redirect: ${original.redirect})`),
        });
      }
      const next = new URL(location, url);
      // As fetch does: the Authorization header is not sent to another origin.
      if (next.origin !== new URL(url).origin) headers.delete("authorization");
      if (
        (response.status === 303 && method !== "GET" && method !== "HEAD") ||
        ((response.status === 301 || response.status === 302) && method === "POST")
      ) {
        method = "GET";
        body = null;
        headers.delete("content-type");
        headers.delete("content-length");
      }
      url = next.href;
    }
  };
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Rejects with the signal's reason as soon as it aborts; an answer that comes later is discarded (its body cancelled). */
export function abortable(promise: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then((response) => {
      signal.removeEventListener("abort", onAbort);
      if (signal.aborted) {
        response.body?.cancel().catch(() => {});
        reject(signal.reason);
      } else resolve(response);
    }, (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(error);
    });
  });
}
