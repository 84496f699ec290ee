// How a RunPod worker (runpod-python, serverless/modules/rp_job.py) turns what
// a handler returned, yielded or raised into the job's result, and RunPod's
// size limits on results and stream items.
import { isPlainObject, isTruthy } from "../_handler_values.ts";
import { RESULT_LIMIT, STREAM_ITEM_LIMIT } from "../_runpod_facts.ts";

/** The version of runpod-python whose reports the emulator reproduces (`runpod_version`). */
export const RUNPOD_PYTHON_VERSION = "1.12.0";

/** A job's end as the worker reports it. */
export interface WorkerResult {
  status: "COMPLETED" | "FAILED";
  output?: unknown;
  error?: unknown;
}

/**
 * The result of a plain handler's return value: an object's `error` and
 * `refresh_worker` keys are removed; a truthy `error` fails the job; the
 * other keys stay as `output` unless none is left. A result over RunPod's
 * 20 MB fails to upload: the job completes with no output.
 */
export function returnedResult(value: unknown): WorkerResult {
  if (!isPlainObject(value)) return sized({ status: "COMPLETED", output: value });
  const { error, refresh_worker: _refresh, ...rest } = value;
  const result: WorkerResult = { status: isTruthy(error) ? "FAILED" : "COMPLETED" };
  if (Object.keys(rest).length > 0) result.output = rest;
  if (isTruthy(error)) result.error = error;
  return sized(result);
}

/**
 * A job's end as a worker process posts it (`job-done`): `{output?, error?}`.
 * A truthy `error` fails the job with it, `output` kept when present;
 * otherwise the job completes with `output` (none when left out). An output
 * over RunPod's 20 MB is dropped, as a result too large to upload is.
 */
export function postedResult(body: Record<string, unknown>): WorkerResult {
  const result: WorkerResult = { status: isTruthy(body.error) ? "FAILED" : "COMPLETED" };
  if ("output" in body) result.output = body.output;
  if (isTruthy(body.error)) result.error = body.error;
  return sized(result);
}

/**
 * The `error` of a job whose plain handler raised: runpod-python's JSON
 * string of `error_type` (`"<class 'ValueError'>"`, here from the JS error's
 * `name`), `error_message`, `error_traceback`, `hostname`, `worker_id` and
 * `runpod_version`, written as Python's `json.dumps` writes it.
 */
export function raisedError(error: unknown, workerId: string): string {
  const { name, message } = describe(error);
  return pythonJsonDumps({
    error_type: `<class '${name}'>`,
    error_message: message,
    error_traceback: traceback(error),
    hostname: workerId,
    worker_id: workerId,
    runpod_version: RUNPOD_PYTHON_VERSION,
  });
}

/** The `error` of a job whose generator handler raised: `"handler: <message> \ntraceback: <tb>"`. */
export function generatorRaisedError(error: unknown): string {
  return `handler: ${describe(error).message} \ntraceback: ${traceback(error)}`;
}

/**
 * A stream item's output cut into pieces of at most RunPod's 1 MB: a string
 * into substrings (whole characters), any other value into pieces of its
 * JSON text. A smaller output is returned as it is.
 */
export function splitStreamItem(output: unknown, limit = STREAM_ITEM_LIMIT): unknown[] {
  const text = typeof output === "string" ? output : JSON.stringify(output);
  if (text === undefined || utf8Length(text, limit) <= limit) return [output];
  const pieces: string[] = [];
  let piece = "";
  let size = 0;
  for (const char of text) {
    const bytes = utf8Length(char);
    if (size + bytes > limit) {
      pieces.push(piece);
      piece = "";
      size = 0;
    }
    piece += char;
    size += bytes;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}

function sized(result: WorkerResult): WorkerResult {
  if (result.output === undefined) return result;
  const text = JSON.stringify(result.output);
  if (text !== undefined && utf8Length(text, RESULT_LIMIT) > RESULT_LIMIT) {
    delete result.output;
  }
  return result;
}

/** UTF-8 length of `text`, counted only up to just past `stopAfter` bytes. */
function utf8Length(text: string, stopAfter = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= stopAfter; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      bytes += 4; // a surrogate pair
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function describe(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name || "Error", message: error.message };
  return { name: "Error", message: String(error) };
}

/**
 * A traceback shaped like Python's `traceback.format_exc()`: the handler's
 * frames of the JS stack (up to the emulator's worker loop), innermost last,
 * then `Name: message`.
 */
function traceback(error: unknown): string {
  const { name, message } = describe(error);
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : "";
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const frame = /^\s*at (?:(.*?) \()?(.*?):(\d+):\d+\)?$/.exec(line);
    if (!frame) continue;
    const [, fn = "<module>", file = "", lineNo] = frame;
    // The frames from the emulator's worker loop outwards are not the handler's.
    if (fn === "runWorker" || /[/\\]_run_worker\.[jt]s$/.test(file)) break;
    frames.push(`  File "${file}", line ${lineNo}, in ${fn}\n`);
  }
  return `Traceback (most recent call last):\n${frames.reverse().join("")}${name}${
    message === "" ? "" : `: ${message}`
  }\n`;
}

/**
 * `json.dumps(value)` of a flat object of strings as Python writes it:
 * `", "` and `": "` separators, every character outside printable ASCII
 * escaped as `\uXXXX`.
 */
function pythonJsonDumps(value: Record<string, string>): string {
  const fields = Object.entries(value).map(([key, text]) =>
    `${pythonString(key)}: ${pythonString(text)}`
  );
  return `{${fields.join(", ")}}`;
}

function pythonString(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
