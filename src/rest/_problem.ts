// The management API answers errors as RFC 9457 problems
// (`{title, status, detail, errors?}`, application/problem+json). The request
// core makes them RunpodApiErrors; this fills the problem's fields in, and
// puts its title and every field a 422 names into the message, with the
// answer's x-request-id. (Here rather than in errors.ts, so that an app that
// only runs jobs does not carry it.)
import { RunpodApiError, TimeoutError } from "../errors.ts";

const done = new WeakSet<object>();

/**
 * Fills `title`, `detail`, `errors` and `requestId` of an API error from its
 * problem body; and takes the job advice out of a TimeoutError of a call that
 * has no job (`noJob`).
 */
export function withProblem<E>(error: E, noJob = true): E {
  if (done.has(error as object)) return error;
  if (typeof error === "object" && error !== null) done.add(error);
  if (error instanceof TimeoutError && noJob) {
    error.message = error.message.replace(", or check the job later with status()", "");
  }
  if (!(error instanceof RunpodApiError)) return error;
  const { title, detail, errors } = (error.body ?? {}) as Record<string, unknown>;
  const requestId = error.headers.get("x-request-id");
  const fields: Record<string, unknown> = {};
  if (typeof title === "string") fields.title = title;
  if (typeof detail === "string") fields.detail = detail;
  if (Array.isArray(errors)) fields.errors = errors.filter((e) => typeof e === "string");
  if (requestId) fields.requestId = requestId;
  let message = error.message;
  const head = `failed with HTTP ${error.status}`;
  if (typeof title === "string") {
    const said = typeof detail === "string" ? `${title}: ${detail}` : title;
    const named = Array.isArray(errors) && errors.length
      ? `: ${errors.slice(0, 20).join("; ")}`
      : "";
    // The core wrote "failed with HTTP 422: <detail>"; say the title and the fields too.
    const was = typeof detail === "string" ? `${head}: ${detail.slice(0, 200)}` : head;
    message = message.replace(was, `${head} (${said})${named}`);
  }
  if (error.status === 403) message += "; the API key lacks this permission: check its scopes";
  if (requestId) message += ` [x-request-id ${requestId}]`;
  Object.assign(error, fields, { message });
  return error;
}
