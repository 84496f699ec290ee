// The request core of the management API (REST v2): one function sends any
// operation of the generated table, with the checks, retries, rate-limit
// waits and errors every route shares; lists and log streams build on it.
import type { Clock } from "../clock.ts";
import { delay } from "../delay.ts";
import { RunpodApiError, RunpodConnectionError, RunpodError } from "../errors.ts";
import type { CallOptions } from "../types.ts";
import { callOptions, quote } from "../_validate.ts";
import { backoff, parseRetryAfter } from "../_retry.ts";
import { CallScope } from "../_scope.ts";
import { checkBody } from "./_check_body.ts";
import { type OperationId, OPERATIONS } from "./_operations.gen.ts";
import { exhaustedFor, parseRateLimit } from "./_rate_limit.ts";
import type { RateLimit } from "./types.ts";

/** How long one attempt may wait for its answer. */
const ATTEMPT_TIMEOUT = 30_000;

/** What the REST client needs from the SDK client. */
export interface RestTransport {
  restUrl: string;
  fetch: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
  clock: Clock;
  maxRetries: number;
  timeout: number;
  headers: Headers;
  /** The latest quota seen, shared by every resource of one client. */
  rateLimit?: RateLimit;
}

/** One call of an operation. */
export interface Call {
  /** What the call does, for errors: "create endpoint 'sd'". */
  what: string;
  /** Path parameters, such as `{ id }`. */
  params?: Record<string, string>;
  /** Query parameters; arrays are sent comma-separated, undefined ones left out. */
  query?: Record<string, unknown>;
  /** The JSON body, checked against the spec before anything is sent. */
  body?: unknown;
  /** For a create: where to look for the resource after an unknown outcome. */
  findHint?: string;
}

/** Options after validation, with the client's defaults applied. */
type Resolved = CallOptions & { timeout: number | undefined; maxRetries: number };

function resolve(t: RestTransport, what: string, options: unknown): Resolved {
  const opts = callOptions<CallOptions>(what, options);
  return {
    ...opts,
    timeout: opts.timeout ?? t.timeout,
    maxRetries: opts.maxRetries ?? t.maxRetries,
  };
}

/** Checks an id before it goes into a path. */
export function checkRestId(what: string, name: string, id: unknown): string {
  if (typeof id !== "string" || !/^[\w.-]{1,200}$/.test(id)) {
    throw new TypeError(
      `Cannot ${what}: ${name} must be a non-empty string of letters, digits, '-', '_' and '.', received ${
        quote(id)
      }`,
    );
  }
  return id;
}

/** The URL of an operation. */
function urlOf(t: RestTransport, op: OperationId, call: Call): URL {
  const path = OPERATIONS[op].path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = call.params?.[name];
    if (value === undefined) throw new TypeError(`Cannot ${call.what}: ${name} is missing`);
    return encodeURIComponent(value);
  });
  const url = new URL(`${t.restUrl}${path}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value === undefined) continue;
    url.searchParams.set(
      key,
      Array.isArray(value)
        ? value.join(",")
        : value instanceof Date
        ? value.toISOString()
        : String(value),
    );
  }
  return url;
}

/** Sends an operation and resolves with its parsed answer (undefined for 204). */
export async function request<T>(
  t: RestTransport,
  op: OperationId,
  call: Call,
  options: unknown,
): Promise<T> {
  const opts = resolve(t, call.what, options);
  const body = prepareBody(op, call);
  const scope = new CallScope(t.clock, opts.timeout, opts.signal, () => capitalize(call.what));
  try {
    return await send<T>(t, op, call, body, scope, opts.maxRetries);
  } finally {
    scope.dispose();
  }
}

function prepareBody(op: OperationId, call: Call): string | undefined {
  if (!OPERATIONS[op].body) return undefined;
  const problems = checkBody(op, call.body);
  if (problems.length) {
    throw new TypeError(`Cannot ${call.what}: ${problems.join("; ")}`);
  }
  return JSON.stringify(call.body);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether a resend is harmless: everything but a create (a POST other than a pod action). */
function idempotent(op: OperationId): boolean {
  return OPERATIONS[op].method !== "POST" || op === "podAction";
}

/** Records the quota an answer reports. */
export function observe(t: RestTransport, headers: Headers): void {
  const windows = parseRateLimit(headers);
  if (windows) t.rateLimit = { observedAt: t.clock.now(), windows };
}

async function send<T>(
  t: RestTransport,
  op: OperationId,
  call: Call,
  body: string | undefined,
  scope: CallScope,
  maxRetries: number,
): Promise<T> {
  const spec = OPERATIONS[op];
  const route = `${spec.method} ${spec.path}`;
  const url = urlOf(t, op, call);
  const safe = idempotent(op);
  const unknownOutcome = safe ? undefined : call.findHint;
  let lost = false; // an earlier attempt may have taken effect
  for (let attempt = 0;; attempt++) {
    scope.throwIfAborted();
    let failure: RunpodError;
    let wait: number | undefined;
    try {
      const answer = await attemptOnce(t, scope, spec.method, url, body, route, call.what);
      if (answer.ok) return answer.value as T;
      const { response, text } = answer;
      // A DELETE that finds nothing after an answer was lost: the lost one deleted it.
      if (response.status === 404 && spec.method === "DELETE" && lost) return undefined as T;
      failure = apiError(call.what, route, response, text, unknownOutcome);
      const status = response.status;
      const retryable = status === 429 || (safe && (status === 408 || status >= 500));
      if (status === 408 || status >= 500) lost = true;
      if (!retryable || attempt >= maxRetries) throw failure;
      if (status === 429) {
        wait = parseRetryAfter(response.headers.get("retry-after"), t.clock.now()) ??
          exhaustedFor(parseRateLimit(response.headers));
        if (wait !== undefined && wait > scope.remaining()) {
          throw apiError(
            call.what,
            route,
            response,
            text,
            undefined,
            `; the quota resets in ${
              Math.ceil(wait / 1000)
            } s, past the call's timeout: try again then`,
          );
        }
      }
    } catch (error) {
      scope.throwIfAborted();
      if (!(error instanceof RunpodConnectionError) || !safe || attempt >= maxRetries) {
        if (error instanceof RunpodConnectionError && unknownOutcome) {
          throw new RunpodConnectionError(`${error.message}; ${unknownOutcome}`, {
            route,
            cause: error.cause,
          });
        }
        throw error;
      }
      failure = error;
      lost = true;
    }
    wait ??= backoff(attempt);
    if (wait > scope.remaining()) throw failure;
    await delay(wait, { signal: scope.signal, clock: t.clock });
  }
}

type Answer = { ok: true; value: unknown } | { ok: false; response: Response; text: string };

async function attemptOnce(
  t: RestTransport,
  scope: CallScope,
  method: string,
  url: URL,
  body: string | undefined,
  route: string,
  what: string,
): Promise<Answer> {
  const attempt = attemptSignal(t, scope);
  try {
    let response: Response;
    try {
      response = await t.fetch(url, {
        method,
        headers: t.headers,
        ...(body === undefined ? {} : { body }),
        signal: attempt.signal,
        redirect: "manual",
      });
    } catch (cause) {
      scope.throwIfAborted();
      throw new RunpodConnectionError(
        `Cannot ${what}: ${route} got no answer (${
          attempt.signal.aborted ? `none within ${ATTEMPT_TIMEOUT} ms` : describe(cause)
        })`,
        { route, cause },
      );
    }
    observe(t, response.headers);
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      scope.throwIfAborted();
      throw new RunpodConnectionError(
        `Cannot ${what}: the answer of ${route} was cut off (${describe(cause)})`,
        { route, cause },
      );
    }
    if (response.status >= 300 && response.status < 400 || response.type === "opaqueredirect") {
      throw new RunpodApiError(
        `Cannot ${what}: ${route} was redirected (HTTP ${response.status}); the SDK does not follow redirects so that the API key stays with the API: check restUrl`,
        { status: response.status, body: text, headers: response.headers, route },
      );
    }
    if (!response.ok) return { ok: false, response, text };
    if (response.status === 204 || text === "") return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (cause) {
      throw new RunpodError(
        `Cannot ${what}: ${route} answered HTTP ${response.status} with a body that is not JSON; the API or a proxy in between misbehaved: try again later`,
        { route, cause },
      );
    }
  } finally {
    attempt.dispose();
  }
}

/** The call's signal plus a per-attempt timer, where the call's deadline is further away. */
function attemptSignal(
  t: RestTransport,
  scope: CallScope,
): { signal: AbortSignal; dispose(): void } {
  if (scope.remaining() <= ATTEMPT_TIMEOUT) return { signal: scope.signal, dispose() {} };
  const attempt = new AbortController();
  const stop = t.clock.setTimer(() => attempt.abort(new Error("attempt timeout")), ATTEMPT_TIMEOUT);
  const onAbort = () => attempt.abort(scope.signal.reason);
  scope.signal.addEventListener("abort", onAbort, { once: true });
  return {
    signal: attempt.signal,
    dispose() {
      stop();
      scope.signal.removeEventListener("abort", onAbort);
    },
  };
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A problem+json (or other) error answer as a RunpodApiError. */
export function apiError(
  what: string,
  route: string,
  response: Response,
  text: string,
  unknownOutcome?: string,
  extra = "",
): RunpodApiError {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch { /* keep the text */ }
  const problem = body !== null && typeof body === "object" ? body as Record<string, unknown> : {};
  const title = typeof problem.title === "string" ? problem.title : undefined;
  const detail = typeof problem.detail === "string" ? problem.detail : undefined;
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is string => typeof e === "string")
    : undefined;
  const requestId = response.headers.get("x-request-id") ?? undefined;
  const status = response.status;
  const said = [title, detail].filter(Boolean).join(": ") ||
    (typeof body === "string" && body && !/^\s*</.test(body) ? body.slice(0, 200) : "");
  let message = `Cannot ${what}: ${route} failed with HTTP ${status}${said ? ` (${said})` : ""}`;
  if (errors?.length) message += `: ${errors.slice(0, 20).join("; ")}`;
  if (unknownOutcome && (status === 408 || status >= 500)) message += `; ${unknownOutcome}`;
  else message += extra || advice(status);
  if (requestId) message += ` [x-request-id ${requestId}]`;
  const error = new RunpodApiError(message, { status, body, headers: response.headers, route });
  Object.assign(error, {
    ...(title === undefined ? {} : { title }),
    ...(detail === undefined ? {} : { detail }),
    ...(errors === undefined ? {} : { errors }),
    ...(requestId === undefined ? {} : { requestId }),
  });
  return error;
}

function advice(status: number): string {
  switch (status) {
    case 401:
      return "; check the API key";
    case 403:
      return "; the API key lacks the permission for this: give it the scope in RunPod's console";
    case 404:
      return "; check the id";
    case 429:
      return "; rate limited: slow down or raise maxRetries";
    default:
      return status >= 500 ? "; a server error: try again later" : "";
  }
}

// ---------------------------------------------------------------- lists

/** The options of a paged list: the call's, plus the page size. */
export interface PageCall extends Call {
  /** The field of the answer that holds the items, such as "endpoints". */
  key: string;
}

function checkLimit(what: string, options: unknown): number | undefined {
  const limit = (options as { limit?: unknown } | undefined)?.limit;
  if (typeof options !== "object" || limit === undefined) return undefined;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `Cannot ${what}: limit must be a positive integer, received ${quote(limit)}`,
    );
  }
  return limit;
}

/**
 * Yields the pages of a list: one page when the server does not page, or
 * every page of `pagination.nextCursor` when it does (`?limit=&cursor=`).
 */
export async function* pages<T>(
  t: RestTransport,
  op: OperationId,
  call: PageCall,
  options: unknown,
): AsyncGenerator<T[]> {
  const limit = checkLimit(call.what, options);
  const opts = resolve(t, call.what, options);
  const seen = new Set<string>();
  let cursor: string | undefined;
  while (true) {
    const query = { ...call.query, ...(limit === undefined ? {} : { limit }), cursor };
    const page = await request<Record<string, unknown>>(t, op, { ...call, query }, opts);
    const items = page?.[call.key];
    if (!Array.isArray(items)) {
      throw new RunpodError(
        `Cannot ${call.what}: the answer has no '${call.key}' list; the API changed or a proxy misbehaved`,
        { route: `${OPERATIONS[op].method} ${OPERATIONS[op].path}` },
      );
    }
    yield items as T[];
    const pagination = page.pagination as
      | { nextCursor?: unknown; hasNextPage?: unknown }
      | undefined;
    const next = pagination?.nextCursor;
    if (typeof next !== "string" || next === "" || pagination?.hasNextPage === false) return;
    if (seen.has(next)) {
      throw new RunpodError(
        `Cannot ${call.what}: the server sent the cursor '${next}' twice; stopped rather than loop`,
      );
    }
    seen.add(next);
    cursor = next;
  }
}

/** Every item of a list, whether or not the server pages. */
export async function list<T>(
  t: RestTransport,
  op: OperationId,
  call: PageCall,
  options: unknown,
): Promise<T[]> {
  const opts = resolve(t, call.what, options);
  checkLimit(call.what, options);
  // One deadline for all pages.
  const scope = new CallScope(t.clock, opts.timeout, opts.signal, () => capitalize(call.what));
  try {
    const all: T[] = [];
    const perPage = { ...opts, timeout: undefined, signal: scope.signal };
    if (typeof options === "object" && options !== null && "limit" in options) {
      Object.assign(perPage, { limit: (options as { limit?: number }).limit });
    }
    for await (const page of pages<T>(t, op, call, perPage)) all.push(...page);
    return all;
  } catch (error) {
    scope.throwIfAborted();
    throw error;
  } finally {
    scope.dispose();
  }
}

/** The query parameters of an operation, picked out of a call's options. */
export function queryOf(op: OperationId, options: unknown): Record<string, unknown> {
  const names: readonly string[] = (OPERATIONS[op] as { query?: readonly string[] }).query ?? [];
  const query: Record<string, unknown> = {};
  if (typeof options !== "object" || options === null) return query;
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined) query[name] = value;
  }
  return query;
}

/** The sentence a create gets after an unknown outcome. */
export function mayExist(noun: string, name: unknown, list: string): string {
  return `the ${noun} may have been created anyway: look for the name ${
    quote(name)
  } in ${list} before creating it again`;
}
