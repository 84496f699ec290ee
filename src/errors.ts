import { RETRY_AFTER_CAP } from "./_retry.ts";
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
  route?: string | undefined;
  /** The job involved, where one exists. */
  jobId?: string | undefined;
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
  declare readonly route?: string;
  /** The job involved, where one exists. */
  declare readonly jobId?: string;

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
 * Options of {@linkcode RunpodApiError}: the answer's status, body and
 * headers, and what the route says about a failure.
 *
 * @example Making an API error from an answer
 * ```ts
 * import { RunpodApiError, type RunpodApiErrorOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: RunpodApiErrorOptions = {
 *   status: 503,
 *   body: { error: "overloaded" },
 *   headers: new Headers(),
 *   route: "POST /run",
 *   lost: "the job may or may not have been enqueued",
 * };
 * const error = new RunpodApiError(options);
 * assert.equal(error.message, "POST /run failed with HTTP 503: overloaded; the job may or may not have been enqueued");
 * ```
 */
export interface RunpodApiErrorOptions extends RunpodErrorOptions {
  /** The HTTP status. */
  status: number;
  /** The parsed JSON body, or its text where it was not JSON. */
  body: unknown;
  /** The answer's headers. */
  headers: Headers;
  /** What a 408 or 5xx leaves unknown, and what to check before sending again. */
  lost?: string | undefined;
  /** The advice a 404 gets, such as which ids to check. */
  notFound?: string | undefined;
  /** The wait a 429 asked for, in ms, where the SDK refused to wait that long. */
  retryAfter?: number | undefined;
}

/**
 * The API answered with a status other than 2xx (after any retries), or with
 * a redirect (never followed). The message is built from the fields: the
 * route, the status, the body's own error text, and what to do next.
 *
 * @example Reading an API error
 * ```ts
 * import { RunpodApiError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new RunpodApiError({
 *   status: 401,
 *   body: { error: "bad key" },
 *   route: "POST /run",
 *   headers: new Headers(),
 * });
 * assert.equal(error.status, 401);
 * assert.equal(error.name, "RunpodApiError");
 * assert.equal(error.message, "POST /run failed with HTTP 401: bad key (check the API key)");
 * ```
 */
export class RunpodApiError extends RunpodError {
  /** The HTTP status. */
  declare readonly status: number;
  /** The parsed JSON body, or its text where it was not JSON. */
  declare readonly body: unknown;
  /** The answer's headers. */
  declare readonly headers: Headers;
  /** The wait a 429 asked for, in ms, where the SDK refused to wait that long. */
  declare readonly retryAfter?: number;
  /**
   * The problem's title, such as `"Unprocessable Entity"`: the management API
   * answers errors as RFC 9457 problems, and its client fills these four fields.
   */
  declare readonly title?: string;
  /** The problem's detail, such as `"Request validation failed."`. */
  declare readonly detail?: string;
  /** The problem's list of errors, one a field, such as `"$.name: required"`. */
  declare readonly errors?: string[];
  /** The answer's `x-request-id`, to quote to RunPod's support. */
  declare readonly requestId?: string;

  /**
   * Makes an API error; its message is built from `options`.
   *
   * @param options The status, body, headers, route, job id, and the route's advice.
   */
  constructor(options: RunpodApiErrorOptions) {
    const { status, route, retryAfter } = options;
    super(
      status >= 300 && status < 400
        ? `${route} was redirected (HTTP ${status}) to ${
          options.headers.get("location") ?? "an unknown location"
        }; the SDK does not follow redirects so that the API key stays with the API: check baseUrl`
        : `${route} failed with HTTP ${status}${detail(options.body)}${advice(options)}${
          retryAfter === undefined
            ? ""
            : `; the server asked to retry after ${Math.ceil(retryAfter / 1000)} s, which is ${
              retryAfter > RETRY_AFTER_CAP
                ? `over the SDK's ${RETRY_AFTER_CAP / 1000} s cap`
                : "past the call's timeout"
            }: try again later`
        }`,
      options,
    );
    this.name = "RunpodApiError";
    this.status = status;
    this.body = options.body;
    this.headers = options.headers;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

/**
 * The request did not get a complete answer: the connection failed or
 * dropped, or the answer was cut off or too slow. The message says whether
 * sending again is safe (the route's `lost` sentence where it may not be).
 *
 * @example
 * ```ts
 * import { RunpodConnectionError, RunpodError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new RunpodConnectionError({
 *   route: "GET /health",
 *   host: "api.runpod.ai",
 *   reason: "connection reset",
 * });
 * assert.ok(error instanceof RunpodError);
 * assert.equal(
 *   error.message,
 *   "GET /health got no complete answer from api.runpod.ai: connection reset; it is safe to try again",
 * );
 * ```
 */
export class RunpodConnectionError extends RunpodError {
  /**
   * Makes a connection error; its message is built from `options`.
   *
   * @param options The route, the host it was sent to, what happened (`reason`), the route's
   *   `lost` sentence, and the cause.
   */
  constructor(
    options: RunpodErrorOptions & {
      reason: string;
      lost?: string | undefined;
      host?: string | undefined;
    },
  ) {
    super(
      `${options.route} got no complete answer${
        options.host ? ` from ${options.host}` : ""
      }: ${options.reason}; ${options.lost ?? "it is safe to try again"}`,
      options,
    );
    this.name = "RunpodConnectionError";
  }
}

/**
 * The call's local timeout ran out. Its `name` is `"TimeoutError"`, like the
 * DOMException that `AbortSignal.timeout()` raises. It names the job once the
 * job exists.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new TimeoutError({ call: "wait for job 'abc'", timeout: 5000, jobId: "abc" });
 * assert.equal(error.name, "TimeoutError");
 * assert.equal(error.timeout, 5000);
 * assert.equal(
 *   error.message,
 *   "Wait for job 'abc' timed out after 5000 ms: raise the timeout, or check the job later with status()",
 * );
 * ```
 */
export class TimeoutError extends RunpodError {
  /** The timeout that ran out, in ms. */
  declare readonly timeout: number;

  /**
   * Makes a timeout error; its message is built from `options`.
   *
   * @param options The call (as in "Cannot <call>"), the timeout, the job id.
   */
  constructor(
    options: RunpodErrorOptions & {
      call: string;
      timeout: number;
      /** What to do next besides raising the timeout (a job's default: check it later with status()). */
      next?: string | undefined;
    },
  ) {
    const { call, jobId, next } = options;
    super(
      `${call.charAt(0).toUpperCase()}${call.slice(1)}${
        jobId && !call.includes(jobId) ? ` (job '${jobId}')` : ""
      } timed out after ${options.timeout} ms: raise the timeout${
        next === undefined ? ", or check the job later with status()" : `; ${next}`
      }`,
      options,
    );
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
  declare readonly status: JobStatus;
  /** What the job reported as its error, as received. */
  declare readonly error: unknown;
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
 * started with `allowGaps: true`. The failed poll's error is its `cause`.
 *
 * @example
 * ```ts
 * import { StreamGapError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new StreamGapError({ jobId: "abc", received: 3, cause: new Error("reset") });
 * assert.equal(error.received, 3);
 * assert.match(error.message, /^A \/stream answer for job 'abc' was lost after 3 items \(reset\)/);
 * ```
 */
export class StreamGapError extends RunpodError {
  /** How many items had been yielded before the gap. */
  declare readonly received: number;
  /** The job id. */
  override readonly jobId: string;

  /**
   * Makes a stream gap error; its message is built from `options`.
   *
   * @param options The job id, items yielded so far, route and cause.
   */
  constructor(options: RunpodErrorOptions & { jobId: string; received: number }) {
    const { jobId, received, cause } = options;
    super(
      `A /stream answer for job '${jobId}' was lost after ${received} items (${
        cause instanceof Error ? cause.message : String(cause)
      }); items it carried were drained on the server and cannot be read again: read the job's final output with status(), or pass allowGaps: true to go on past such gaps`,
      options,
    );
    this.name = "StreamGapError";
    this.jobId = jobId;
    this.received = received;
  }
}

/**
 * A FAILED job's error report, as {@linkcode parseWorkerError} reads it from
 * what RunPod's Python workers send.
 *
 * @example Reading a Python worker's exception
 * ```ts
 * import runpodSdk, { parseWorkerError, type WorkerErrorReport } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * // What runpod-python sends for a handler that raises ValueError("prompt is empty").
 * const report = {
 *   error_type: "<class 'ValueError'>",
 *   error_message: "prompt is empty",
 *   error_traceback: "Traceback (most recent call last): ...",
 * };
 * await using emulator = createEmulator({ worker: () => ({ error: JSON.stringify(report) }) });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const job = await endpoint.runSync({ input: { prompt: "" } });
 * assert.equal(job.status, "FAILED");
 * const parsed: WorkerErrorReport | undefined = parseWorkerError(job.error);
 * assert.equal(parsed?.type, "ValueError");
 * assert.equal(parsed?.error_type, "<class 'ValueError'>");
 * assert.equal(parsed?.error_message, "prompt is empty");
 * ```
 */
export interface WorkerErrorReport {
  /** The exception's class name alone, such as `"ValueError"`, where it can be read. */
  type?: string;
  /** The exception's type as sent: Python's `str(type(err))`, such as `"<class 'ValueError'>"`. */
  error_type?: string;
  /** The exception's message. */
  error_message?: string;
  /** The traceback. */
  error_traceback?: string;
  /** Any other field is kept (`hostname`, `worker_id`, `runpod_version`...). */
  [key: string]: unknown;
}

/**
 * Parses a FAILED job's `error` as RunPod's Python workers send it:
 * - a handler that raises: a JSON string (or object) with `error_type`
 *   (`"<class 'ValueError'>"`), `error_message`, `error_traceback`, `hostname`,
 *   `worker_id`, `runpod_version`;
 * - a generator handler that raises: the plain string
 *   `"handler: <message> \ntraceback: <traceback>"`.
 *
 * Either way the report gets `type`, the bare class name (`"ValueError"`),
 * where it can be read (from `error_type`, or the traceback's last line).
 *
 * @param error The job's `error` field as received.
 * @returns The parsed report, or `undefined` where it is neither shape.
 *
 * @example Both shapes a Python worker sends
 * ```ts
 * import { parseWorkerError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const thrown = parseWorkerError(JSON.stringify({
 *   error_type: "<class 'ValueError'>",
 *   error_message: "bad prompt",
 *   error_traceback: "Traceback (most recent call last):\n  ...\nValueError: bad prompt\n",
 *   hostname: "worker-1",
 *   worker_id: "abc",
 *   runpod_version: "1.7.9",
 * }));
 * assert.equal(thrown?.type, "ValueError");
 * assert.equal(thrown?.error_message, "bad prompt");
 *
 * const generator = parseWorkerError(
 *   "handler: bad prompt \ntraceback: Traceback (most recent call last):\n  ...\nValueError: bad prompt\n",
 * );
 * assert.equal(generator?.type, "ValueError");
 * assert.equal(generator?.error_message, "bad prompt");
 * assert.match(String(generator?.error_traceback), /^Traceback/);
 *
 * assert.equal(parseWorkerError("plain text"), undefined);
 * ```
 */
export function parseWorkerError(error: unknown): WorkerErrorReport | undefined {
  let value = error;
  if (typeof value === "string") {
    const generator = /^handler: ([^]*?) ?\ntraceback: ([^]*)$/.exec(value);
    if (generator) {
      return withType({ error_message: generator[1]!, error_traceback: generator[2]! });
    }
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return withType({ ...value } as WorkerErrorReport);
}

/** Adds the bare class name: from `<class 'module.Name'>`, else the traceback's last line. */
function withType(report: WorkerErrorReport): WorkerErrorReport {
  const type = typeof report.error_type === "string"
    ? /^<class '(?:.*\.)?([^.']+)'>$/.exec(report.error_type)?.[1] ?? report.error_type
    : /(?:^|\n)(?:[\w.]+\.)?(\w+)(?::[^\n]*)?\n*$/.exec(report.error_traceback ?? "")?.[1];
  if (type !== undefined && report.type === undefined) report.type = type;
  return report;
}

function describeError(error: unknown): string {
  const report = parseWorkerError(error);
  if (report?.error_message !== undefined) {
    return report.type ? `${report.type}: ${report.error_message}` : String(report.error_message);
  }
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** The body's own error text, where it has one that is not an HTML page. */
function detail(body: unknown): string {
  if (body && typeof body === "object") {
    const { error, message, detail } = body as Record<string, unknown>;
    const text = error ?? message ?? detail;
    if (typeof text === "string") return `: ${text.slice(0, 200)}`;
  }
  if (typeof body === "string" && body.length > 0 && !/^\s*</.test(body)) {
    return `: ${body.slice(0, 200)}`;
  }
  return "";
}

/** What to do next after a status. */
function advice({ status, lost, notFound }: RunpodApiErrorOptions): string {
  // A 408 or 5xx may come after the request took effect: where a resend may
  // start a second paid job, say so rather than "try again later".
  if (lost !== undefined && (status === 408 || status >= 500)) return `; ${lost}`;
  if (status === 401) return " (check the API key)";
  if (status === 404 && notFound) return ` (${notFound})`;
  if (status === 429) return " (rate limited: slow down or raise maxRetries)";
  return status >= 500 ? " (a server error: try again later)" : "";
}
