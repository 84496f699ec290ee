import type { JobStatus } from "./types.ts";

/**
 * Fields shared by the SDK's errors.
 *
 * @example Making an error with its context
 * ```ts
 * import { RunpodError, type RunpodErrorOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: RunpodErrorOptions = {
 *   route: "GET /status",
 *   jobId: "job-1",
 *   cause: new Error("socket hang up"),
 * };
 * const error = new RunpodError("Cannot read job 'job-1': the connection failed", options);
 * assert.equal(error.route, "GET /status");
 * assert.equal(error.jobId, "job-1");
 * assert.equal((error.cause as Error).message, "socket hang up");
 * ```
 */
export interface RunpodErrorOptions {
  /** The route involved, such as `"POST /run"`. */
  route?: string;
  /** The job involved, where one exists. */
  jobId?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The base class of every error the SDK raises about the API, the network or
 * a job. (Bad arguments raise `TypeError` or `RangeError` before anything is sent.)
 *
 * @example Catching any SDK error
 * ```ts
 * import { RunpodError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new RunpodError("Something failed", { route: "GET /health" });
 * assert.ok(error instanceof Error);
 * assert.equal(error.route, "GET /health");
 * ```
 */
export class RunpodError extends Error {
  /** The route involved, such as `"POST /run"`. */
  readonly route?: string;
  /** The job involved, where one exists. */
  readonly jobId?: string;

  /**
   * Makes an error.
   *
   * @param message What went wrong and what to do next.
   * @param options The route, job id and cause.
   */
  constructor(message: string, options: RunpodErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RunpodError";
    if (options.route !== undefined) this.route = options.route;
    if (options.jobId !== undefined) this.jobId = options.jobId;
  }
}

/**
 * The API answered with a status other than 2xx (after any retries).
 *
 * @example Reading an API error
 * ```ts
 * import { RunpodApiError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new RunpodApiError("Unauthorized", {
 *   status: 401,
 *   body: { error: "bad key" },
 *   route: "POST /run",
 *   headers: new Headers(),
 * });
 * assert.equal(error.status, 401);
 * assert.equal(error.name, "RunpodApiError");
 * ```
 */
export class RunpodApiError extends RunpodError {
  /** The HTTP status. */
  readonly status: number;
  /** The parsed JSON body, or its text where it was not JSON. */
  readonly body: unknown;
  /** The answer's headers. */
  readonly headers: Headers;
  /** The management API's problem title (RFC 9457), such as `"Unprocessable Entity"`. */
  readonly title?: string;
  /** The management API's problem detail, such as `"Request validation failed."`. */
  readonly detail?: string;
  /** The management API's list of problems, one a field, such as `"$.name: required"`. */
  readonly errors?: string[];
  /** The answer's `x-request-id`, to quote to RunPod's support. */
  readonly requestId?: string;

  /**
   * Makes an API error.
   *
   * @param message What went wrong and what to do next.
   * @param options The status, body, headers, route and job id; for the
   *   management API, the problem's title, detail and errors, and the request id.
   */
  constructor(
    message: string,
    options: RunpodErrorOptions & {
      status: number;
      body: unknown;
      headers: Headers;
      title?: string;
      detail?: string;
      errors?: string[];
      requestId?: string;
    },
  ) {
    super(message, options);
    this.name = "RunpodApiError";
    this.status = options.status;
    this.body = options.body;
    this.headers = options.headers;
    if (options.title !== undefined) this.title = options.title;
    if (options.detail !== undefined) this.detail = options.detail;
    if (options.errors !== undefined) this.errors = options.errors;
    if (options.requestId !== undefined) this.requestId = options.requestId;
  }
}

/**
 * The request did not get an answer: the connection failed or dropped, or
 * the answer was cut off.
 *
 * @example
 * ```ts
 * import { RunpodConnectionError, RunpodError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new RunpodConnectionError("Connection reset", { route: "GET /health" });
 * assert.ok(error instanceof RunpodError);
 * ```
 */
export class RunpodConnectionError extends RunpodError {
  /**
   * Makes a connection error.
   *
   * @param message What went wrong and what to do next.
   * @param options The route, job id and cause.
   */
  constructor(message: string, options: RunpodErrorOptions = {}) {
    super(message, options);
    this.name = "RunpodConnectionError";
  }
}

/**
 * The call's local timeout ran out. Its `name` is `"TimeoutError"`, like the
 * DOMException that `AbortSignal.timeout()` raises.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new TimeoutError("Timed out", { timeout: 5000, jobId: "abc" });
 * assert.equal(error.name, "TimeoutError");
 * assert.equal(error.timeout, 5000);
 * ```
 */
export class TimeoutError extends RunpodError {
  /** The timeout that ran out, in ms. */
  readonly timeout: number;

  /**
   * Makes a timeout error.
   *
   * @param message What went wrong and what to do next.
   * @param options The timeout, route, job id and cause.
   */
  constructor(message: string, options: RunpodErrorOptions & { timeout: number }) {
    super(message, options);
    this.name = "TimeoutError";
    this.timeout = options.timeout;
  }
}

/**
 * A streamed job ended FAILED, CANCELLED or TIMED_OUT; thrown by
 * `Endpoint.stream()` after every item received was yielded.
 *
 * @example
 * ```ts
 * import { JobError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new JobError({ jobId: "abc", status: "FAILED", error: "out of memory" });
 * assert.equal(error.status, "FAILED");
 * assert.match(error.message, /out of memory/);
 * ```
 */
export class JobError extends RunpodError {
  /** The job's final status. */
  readonly status: JobStatus;
  /** What the job reported as its error, as received. */
  readonly error: unknown;
  /** The job id. */
  override readonly jobId: string;

  /**
   * Makes a job error.
   *
   * @param options The job id, its status and its error.
   */
  constructor(options: { jobId: string; status: JobStatus; error?: unknown; route?: string }) {
    const detail = options.error === undefined ? "" : `: ${describeError(options.error)}`;
    super(`Job '${options.jobId}' ended ${options.status}${detail}`, options);
    this.name = "JobError";
    this.jobId = options.jobId;
    this.status = options.status;
    this.error = options.error;
  }
}

/**
 * A `/stream` poll failed after the server may have drained items from the
 * job's buffer, so those items may be lost. Raised unless the stream was
 * started with `allowGaps: true`.
 *
 * @example
 * ```ts
 * import { StreamGapError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new StreamGapError("Lost", { jobId: "abc", received: 3 });
 * assert.equal(error.received, 3);
 * ```
 */
export class StreamGapError extends RunpodError {
  /** How many items had been yielded before the gap. */
  readonly received: number;

  /**
   * Makes a stream gap error.
   *
   * @param message What went wrong and what to do next.
   * @param options The job id, items yielded so far, route and cause.
   */
  constructor(message: string, options: RunpodErrorOptions & { received: number }) {
    super(message, options);
    this.name = "StreamGapError";
    this.received = options.received;
  }
}

/**
 * The fields of a Python worker's error report, where `error` parses as one.
 *
 * @example Reading a Python worker's exception
 * ```ts
 * import runpodSdk, { parseWorkerError, type WorkerErrorReport } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const report = { error_type: "ValueError", error_message: "prompt is empty" };
 * await using emulator = createEmulator({ worker: () => ({ error: JSON.stringify(report) }) });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const job = await endpoint.runSync({ input: { prompt: "" } });
 * assert.equal(job.status, "FAILED");
 * const parsed: WorkerErrorReport | undefined = parseWorkerError(job.error);
 * assert.equal(parsed?.error_type, "ValueError");
 * assert.equal(parsed?.error_message, "prompt is empty");
 * ```
 */
export interface WorkerErrorReport {
  /** The exception's type. */
  error_type?: string;
  /** The exception's message. */
  error_message?: string;
  /** The traceback. */
  error_traceback?: string;
  /** Any other field is kept. */
  [key: string]: unknown;
}

/**
 * Parses a FAILED job's `error` where it is a JSON object or a JSON string
 * holding one (as Python workers report uncaught exceptions).
 *
 * @param error The job's `error` field as received.
 * @returns The parsed report, or `undefined` where it is not one.
 *
 * @example
 * ```ts
 * import { parseWorkerError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const report = parseWorkerError('{"error_type":"ValueError","error_message":"bad"}');
 * assert.equal(report?.error_message, "bad");
 * assert.equal(parseWorkerError("plain text"), undefined);
 * ```
 */
export function parseWorkerError(error: unknown): WorkerErrorReport | undefined {
  let value = error;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return value as WorkerErrorReport;
}

function describeError(error: unknown): string {
  const report = parseWorkerError(error);
  if (report?.error_message !== undefined) {
    return report.error_type
      ? `${report.error_type}: ${report.error_message}`
      : String(report.error_message);
  }
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
