/**
 * Answer with this HTTP status instead of handling the request (the request
 * is not processed: no job is created, nothing is drained).
 *
 * @example Answering 503 with a body of your own
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type StatusFault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const fault: StatusFault = { status: 503, body: '{"error":"overloaded"}' };
 * emulator.inject("GET /health", fault);
 * await assert.rejects(endpoint.health({ maxRetries: 0 }), {
 *   name: "RunpodApiError",
 *   status: 503,
 *   body: { error: "overloaded" },
 * });
 * assert.equal(emulator.requests[0]?.fault, "status 503");
 * ```
 */
export interface StatusFault {
  /** The HTTP status, such as 429 or 503. */
  status: number;
  /** A `Retry-After` header value: seconds or an HTTP date. */
  retryAfter?: string;
  /** The body, sent as given. Default: `{"error":"Injected fault: HTTP <status>"}`. */
  body?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/**
 * Answer normally, but only after `delay` ms on the emulator's clock. The
 * wait ends early (and the request fails) when the request's signal aborts.
 *
 * @example Making an answer too slow for the client's timeout
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type DelayFault, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({ clock });
 * const { baseUrl, fetch } = emulator;
 * const endpoint = runpodSdk("test-key", { baseUrl, fetch, clock }).endpoint("test-endpoint");
 * const fault: DelayFault = { delay: 20_000 };
 * emulator.inject("GET /health", fault);
 * await assert.rejects(endpoint.health({ timeout: 5_000 }), { name: "TimeoutError" });
 * assert.equal(emulator.requests[0]?.fault, "delay 20000");
 * ```
 */
export interface DelayFault {
  /** The delay in milliseconds. */
  delay: number;
}

/**
 * Lose the connection. In fetch mode `emulator.fetch` rejects with a
 * `TypeError` ("fetch failed"), as `fetch` does on a reset connection.
 * Served with `Deno.serve`, the answer's head is sent and the connection is
 * reset before any body byte (Deno.serve cannot close a connection before
 * the head); served with `serveNode` (node:http), the socket is destroyed
 * before anything is sent.
 *
 * @example Losing the answer to a job submission
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type DropFault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const fault: DropFault = { drop: true, when: "after" };
 * emulator.inject("POST /run", fault);
 * await assert.rejects(endpoint.run({ input: 1 }), { name: "RunpodConnectionError" });
 * assert.equal(emulator.jobs.length, 1); // the job was enqueued; only its answer was lost
 * assert.equal(emulator.countRequests("POST /run"), 1); // and run() did not send it again
 * ```
 */
export interface DropFault {
  /** Always `true`. */
  drop: true;
  /**
   * `"before"`: the request is lost before the emulator handles it.
   * `"after"`: the request is handled (a job is enqueued, a stream is
   * drained) and the answer is lost.
   *
   * @default {"before"}
   */
  when?: "before" | "after";
}

/**
 * Handle the request, then cut the answer's body after half its bytes (the body stream errors).
 *
 * @example Cutting an answer off halfway
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type TruncateFault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const fault: TruncateFault = { truncate: true };
 * emulator.inject("GET /health", fault);
 * await assert.rejects(endpoint.health({ maxRetries: 0 }), { name: "RunpodConnectionError" });
 * assert.equal(emulator.requests[0]?.fault, "truncate");
 * ```
 */
export interface TruncateFault {
  /** Always `true`. */
  truncate: true;
}

/**
 * Answer 200 with a body that is not valid JSON (the request is not processed).
 *
 * @example Answering a body that is not JSON
 * ```ts
 * import { createEmulator, type MalformedFault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const fault: MalformedFault = { malformed: true };
 * emulator.inject("GET /health", fault);
 * const response = await emulator.fetch(`${emulator.baseUrl}/test-endpoint/health`, {
 *   headers: { authorization: "Bearer test-key" },
 * });
 * assert.equal(response.status, 200);
 * await assert.rejects(response.json(), SyntaxError);
 * ```
 */
export interface MalformedFault {
  /** Always `true`. */
  malformed: true;
}

/**
 * Answer with an HTML error page, as a proxy or load balancer does (the request is not processed).
 *
 * @example Answering a proxy's error page
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type HtmlFault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const fault: HtmlFault = { html: 502 };
 * emulator.inject("GET /health", fault);
 * const error = await endpoint.health({ maxRetries: 0 }).catch((error) => error);
 * assert.equal(error.status, 502);
 * assert.match(error.body, /<html>/);
 * ```
 */
export interface HtmlFault {
  /** The HTTP status of the page, such as 502. */
  html: number;
}

/**
 * Answer with the given JSON value, such as an answer of the wrong shape (the request is not
 * processed).
 *
 * @example Answering a job that does not exist
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type JsonFault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const fault: JsonFault = { json: { id: "made-up", status: "IN_QUEUE" } };
 * emulator.inject("POST /run", fault);
 * const handle = await endpoint.run({ input: 1 });
 * assert.equal(handle.id, "made-up");
 * assert.equal(emulator.jobs.length, 0); // the request was not processed
 * ```
 */
export interface JsonFault {
  /** The JSON value to answer. */
  json: unknown;
  /**
   * The HTTP status.
   *
   * @default {200}
   */
  status?: number;
}

/**
 * Answer with a redirect to `redirect` (the request is not processed).
 *
 * @example Redirecting a request elsewhere
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type RedirectFault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const fault: RedirectFault = { redirect: "https://elsewhere.example/v2/test-endpoint/health" };
 * emulator.inject("GET /health", fault);
 * // The SDK never follows a redirect, so the API key stays with the API.
 * await assert.rejects(endpoint.health({ maxRetries: 0 }), {
 *   name: "RunpodApiError",
 *   status: 302,
 * });
 * assert.equal(emulator.countRequests("GET /health"), 1);
 * ```
 */
export interface RedirectFault {
  /** The `Location`, absolute or relative to the request's URL. */
  redirect: string;
  /**
   * The redirect status: 301, 302, 303, 307 or 308.
   *
   * @default {302}
   */
  status?: number;
}

/**
 * A fault to inject with {@linkcode Emulator.inject}: a failure the network
 * or the API may produce, answered instead of (or on top of) the normal
 * answer of a route.
 *
 * @example Making the next `/run` answer 429, then succeed
 * ```ts
 * import { createEmulator, type Fault } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const fault: Fault = { status: 429, retryAfter: "2" };
 * emulator.inject("POST /run", fault);
 * const send = () =>
 *   emulator.fetch(`${emulator.baseUrl}/test-endpoint/run`, {
 *     method: "POST",
 *     headers: { authorization: "Bearer test-key" },
 *     body: JSON.stringify({ input: 1 }),
 *   });
 * const first = await send();
 * assert.equal(first.status, 429);
 * assert.equal(first.headers.get("retry-after"), "2");
 * await first.body?.cancel();
 * const second = await send();
 * assert.equal(second.status, 200);
 * assert.equal(emulator.jobs.length, 1);
 * await second.body?.cancel();
 * ```
 */
export type Fault =
  | StatusFault
  | DelayFault
  | DropFault
  | TruncateFault
  | MalformedFault
  | HtmlFault
  | JsonFault
  | RedirectFault;
