// The request core every client method stands on: describe the call, check
// its arguments, open its scope (deadline and signal), send, parse.
import { send, type Transport } from "./_http.ts";
import { type RouteDef, routeName } from "./_routes.ts";
import { CallScope } from "./_scope.ts";
import { callOptions, checkId, encodeRequest, named, type What } from "./_validate.ts";
import type { CallOptions } from "./types.ts";
import type { KnownKeys } from "./_known_keys.ts";

/** What a call adds to its route besides the path parameters. */
export interface CallParts {
  /** The JSON body, as a value. */
  body?: unknown;
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** The option names the call takes, if more than `timeout`, `signal` and `maxRetries`. */
  known?: KnownKeys;
}

/** A call whose arguments passed their checks, with its scope open: `dispose()` the scope. */
export interface OpenCall<T> {
  opts: T;
  scope: CallScope;
  /** The body, encoded. */
  body?: string | undefined;
}

/**
 * Starts a call: describes it from `template` ("cancel job {jobId}") and
 * `params`, checks the options, every id in `params` (`id`, `jobId`...) and the body (encoded
 * for the route `bodyRoute` picks), all before anything is sent, then opens
 * its scope with the options' timeout, else `timeout`. The options' keys must
 * be among `known` (by default `timeout`, `signal`, `maxRetries`).
 */
export function open<T extends CallOptions>(
  t: Transport,
  template: string,
  params: Record<string, string>,
  options: unknown,
  timeout: number | undefined,
  body?: unknown,
  bodyRoute?: (opts: T) => RouteDef<unknown>,
  known?: KnownKeys,
): OpenCall<T> {
  // Described only when a message needs it: most calls never fail.
  const what: What = {
    toString: () => template.replace(/\{(\w+)\}/g, (_, name: string) => named(params[name])),
  };
  const opts = callOptions<T>(what, options, known);
  // `id` and `...Id` parameters are ids; any other (a GPU name) is only URL-encoded.
  for (const name in params) {
    if (name === "id" || name.endsWith("Id")) checkId(what, name, params[name]);
  }
  const route = bodyRoute?.(opts);
  const encoded = route?.maxBody !== undefined
    ? encodeRequest(what, body, route.maxBody)
    : body === undefined
    ? undefined
    : JSON.stringify(body);
  // The client's default timeout starts with the first request sent, not with
  // a wait for a pacing turn; a timeout the caller gives covers both.
  const deferred = opts.timeout === undefined && timeout !== undefined;
  const scope = new CallScope(t, opts.timeout ?? timeout, opts.signal, what, deferred);
  scope.jobId = params.jobId;
  return { opts, scope, body: encoded };
}

/**
 * One call of a single-request route: checks its arguments (bad ones throw
 * before anything is sent), sends it with the client's default timeout, and
 * resolves with the route's parsed answer.
 */
export async function call<T>(
  t: Transport,
  route: RouteDef<T>,
  params: Record<string, string>,
  options: unknown,
  parts: CallParts = {},
): Promise<T> {
  const { opts, scope, body } = open<CallOptions>(
    t,
    route.call,
    params,
    options,
    t.timeout,
    parts.body,
    () => route,
    parts.known,
  );
  try {
    // sendParsed, inlined: an async function less per call.
    const answer = await send(t, scope, route, {
      params,
      query: parts.query,
      body,
      maxRetries: opts.maxRetries,
    });
    return route.parse(routeName(route), answer, params.jobId);
  } finally {
    scope.dispose();
  }
}

/** Sends a request of `route` within `scope` and parses its answer. */
export async function sendParsed<T>(
  t: Transport,
  scope: CallScope,
  route: RouteDef<T>,
  parts: Parameters<typeof send>[3],
): Promise<T> {
  return route.parse(routeName(route), await send(t, scope, route, parts), parts.params.jobId);
}
