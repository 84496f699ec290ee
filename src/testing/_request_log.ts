/**
 * One request the emulator received, as recorded in `emulator.requests`.
 *
 * @example Checking what the client sent
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type RecordedRequest } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const { id } = await endpoint.run({ input: 1 });
 * const [request]: RecordedRequest[] = emulator.requests;
 * assert.ok(request);
 * assert.equal(request.route, "POST /run");
 * assert.equal(request.jobId, id);
 * assert.equal(request.status, 200);
 * assert.equal(request.headers.authorization, "Bearer [redacted]");
 * ```
 */
export interface RecordedRequest {
  /** The HTTP method. */
  method: string;
  /** The path with its query, such as `/v2/test-endpoint/stream/abc?wait=2000`. */
  path: string;
  /**
   * The route, such as `"POST /run"` or `"GET /status"`; a worker process's
   * requests are `"GET /job-take"`, `"GET /job-take-batch"`, `"GET /job-stop"`,
   * `"POST /job-done"`, `"POST /job-stream"` and `"GET /ping"`.
   */
  route: string;
  /** The endpoint id in the path, when there is one. */
  endpointId?: string;
  /** The job id in the path, or the id of the job the request created. */
  jobId?: string;
  /** The request's headers, names in lower case, `authorization` redacted as `"Bearer [redacted]"`. */
  headers: Record<string, string>;
  /** The answer's status; 0 for a dropped connection, `undefined` while the request is held. */
  status?: number;
  /** The clock time at which the request arrived, in ms. */
  at: number;
  /** The injected fault applied to it, such as `"status 503"` or `"drop after"`. */
  fault?: string;
}

/** Whether `route` (such as `"POST /run"`) matches `pattern`: the same route, `"*"`, or a path such as `"/run"` for any method. */
export function routeMatches(pattern: string, route: string): boolean {
  if (pattern === "*" || pattern === route) return true;
  return pattern.startsWith("/") && route.endsWith(` ${pattern}`);
}

/** The request's headers with the API key redacted. */
export function redactedHeaders(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of headers) {
    record[name] = name === "authorization"
      ? (/^bearer\s/i.test(value) ? "Bearer [redacted]" : "[redacted]")
      : value;
  }
  return record;
}
