// A thrown value as the JSON text runpod-python sends in `error`, which
// parseWorkerError (src/errors.ts) reads back.
import { VERSION } from "../version.ts";

/** Who reports the error. */
export interface Reporter {
  workerId: string;
  hostname: string;
}

/**
 * The `error` field for a thrown value: JSON text of `error_type` (the JS
 * error's name), `error_message`, `error_traceback` (the stack),
 * `hostname`, `worker_id`, `runpod_version`.
 */
export function errorReport(thrown: unknown, reporter: Reporter): string {
  const { type, message, traceback } = describeThrown(thrown);
  return JSON.stringify({
    error_type: type,
    error_message: message,
    error_traceback: traceback,
    hostname: reporter.hostname,
    worker_id: reporter.workerId,
    runpod_version: VERSION,
  });
}

/** The name, message and stack of anything a handler can throw. */
export function describeThrown(
  thrown: unknown,
): { type: string; message: string; traceback: string } {
  if (thrown instanceof Error) {
    const type = thrown.name || "Error";
    const stack = typeof thrown.stack === "string" && thrown.stack !== ""
      ? thrown.stack
      : `${type}: ${thrown.message}`;
    return { type, message: thrown.message, traceback: stack };
  }
  const shown = showValue(thrown);
  return {
    type: "Error",
    message: `the handler threw a value that is not an Error: ${shown}`,
    traceback: `(no stack: the handler threw ${shown}, not an Error)`,
  };
}

function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
