// The request core every client method stands on: describe the call, check
// its arguments, open its scope (deadline and signal), send, parse.
import { send, type Transport } from "./_http.ts";
import { type RouteDef, routeName } from "./_routes.ts";
import { CallScope } from "./_scope.ts";
import { callOptions, checkId, encodeRequest, named } from "./_validate.ts";
import type { CallOptions } from "./types.ts";

/** The call a route's `call` template describes, with its parameters: "cancel job 'abc'". */
export function describeCall(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => named(params[name]));
}

/** What a call adds to its route besides the path parameters. */
export interface CallParts {
  /** The JSON body, as a value. */
  body?: unknown;
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
}

/**
 * One call of a single-request route: checks the options, the ids in
 * `params` and the body, then sends the request with the client's default
 * timeout and resolves with the route's parsed answer. Bad arguments throw
 * before anything is sent.
 */
export async function call<T>(
  t: Transport,
  route: RouteDef<T>,
  params: Record<string, string>,
  options: unknown,
  parts: CallParts = {},
): Promise<T> {
  const what = describeCall(route.call, params);
  const opts = callOptions<CallOptions>(what, options);
  for (const name in params) checkId(what, name, params[name]);
  const body = encodeBody(what, route, parts.body);
  const scope = new CallScope(t, opts.timeout ?? t.timeout, opts.signal, what);
  scope.jobId = params.jobId;
  try {
    const value = await send(t, scope, route, {
      params,
      query: parts.query,
      body,
      maxRetries: opts.maxRetries,
    });
    return route.parse(routeName(route), value, params.jobId);
  } finally {
    scope.dispose();
  }
}

/** Encodes a body: a job request against the route's payload limit, anything else as JSON. */
export function encodeBody(
  what: string,
  route: RouteDef<unknown>,
  body: unknown,
): string | undefined {
  if (route.maxBody !== undefined) return encodeRequest(what, body, route.maxBody);
  return body === undefined ? undefined : JSON.stringify(body);
}
