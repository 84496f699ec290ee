// What a handler's outcome becomes on the wire: the JSON text of a result post.
import { isPlainObject, isTruthy } from "../_handler_values.ts";
import { errorReport, type Reporter } from "./_error_report.ts";

/** A final result, ready to post. */
export interface FinalBody {
  /** The JSON text to post. */
  text: string;
  /** Whether the handler (or the option) asked for the worker to be replaced. */
  refresh: boolean;
  /** Whether the job failed (for the exit code of a local run). */
  failed: boolean;
}

/**
 * A plain handler's return value: an object's `error` and `refresh_worker`
 * are taken out, a truthy `error` becomes the body's `error`, what is left is
 * `output` (left out when empty); any other value is `{"output": value}`
 * (`undefined` as `null`). A value that is not JSON fails the job instead.
 */
export function returnedBody(value: unknown, refreshAll: boolean, reporter: Reporter): FinalBody {
  const body: Record<string, unknown> = {};
  let refresh = refreshAll;
  let failed = false;
  if (isPlainObject(value)) {
    const { error, refresh_worker, ...rest } = value;
    if (Object.keys(rest).length > 0) body.output = rest;
    if (isTruthy(error)) {
      body.error = error;
      failed = true;
    }
    if (refresh_worker === true) refresh = true;
  } else {
    body.output = value === undefined ? null : value;
  }
  return finish(body, refresh, failed, reporter);
}

/** A thrown (or rejected) value: `{"error": "<JSON report>"}`. */
export function thrownBody(thrown: unknown, refreshAll: boolean, reporter: Reporter): FinalBody {
  return {
    text: JSON.stringify(withStop({ error: errorReport(thrown, reporter) }, refreshAll)),
    refresh: refreshAll,
    failed: true,
  };
}

/** The end of a stream: `{"output": [...]}` (every item, or none), or `{"error": e}` alone when an error ended it. */
export function streamEndBody(
  items: unknown[] | undefined,
  error: unknown,
  refreshAll: boolean,
  reporter: Reporter,
): FinalBody {
  const body: Record<string, unknown> = error === undefined ? { output: items ?? [] } : { error };
  return finish(body, refreshAll, error !== undefined, reporter);
}

/**
 * JSON text of `value`, or an Error saying why it is not JSON (a BigInt, a
 * cycle, a throwing `toJSON`).
 */
export function toJsonText(value: unknown): string | Error {
  try {
    const text = JSON.stringify(value);
    return text ?? "null";
  } catch (error) {
    return new TypeError(
      `the handler's result cannot be sent as JSON (${
        error instanceof Error ? error.message : String(error)
      }); return plain data: strings, numbers, booleans, null, arrays and objects`,
    );
  }
}

function finish(
  body: Record<string, unknown>,
  refresh: boolean,
  failed: boolean,
  reporter: Reporter,
): FinalBody {
  const text = toJsonText(withStop(body, refresh));
  if (text instanceof Error) return thrownBody(text, refresh, reporter);
  return { text, refresh, failed };
}

function withStop(body: Record<string, unknown>, refresh: boolean): Record<string, unknown> {
  if (refresh) body.stopPod = true;
  return body;
}
