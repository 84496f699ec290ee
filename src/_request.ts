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
  /** Overrides the route's `call`: how errors name this call. */
  call?: string;
  /** Overrides the route's `lost`: the sentence after a lost answer (a create names its item). */
  lost?: string | undefined;
  /** The option names the call takes, if more than `timeout`, `signal` and `maxRetries`. */
  known?: KnownKeys | undefined;
}

/** What {@linkcode open} needs to start a call. */
export interface OpenArgs<T> {
  /**
   * The call as errors name it, with `{name}` for each of `params`:
   * `"cancel job {jobId}"` (a route's `call`).
   */
  call: string;
  /** The path parameters; `id` and `...Id` ones are checked as ids. */
  params: Record<string, string>;
  /** The options the caller passed (a timeout in ms, an options object, or none). */
  options?: unknown;
  /**
   * The timeout when the options give none (the client's default), started
   * with the call's first request sent; none when undefined.
   */
  timeout?: number | undefined;
  /** The JSON body, as a value. */
  body?: unknown;
  /** The option names the call takes, if more than `timeout`, `signal` and `maxRetries`. */
  known?: KnownKeys | undefined;
  /**
   * Picks the route the call sends its body to, once the options are checked:
   * its `maxBody` bounds the body.
   */
  route?: ((opts: T) => RouteDef<unknown>) | undefined;
}

/** A call whose arguments passed their checks, with its scope open: `dispose()` the scope. */
export interface OpenCall<T> {
  opts: T;
  scope: CallScope;
  /** The body, encoded. */
  body?: string | undefined;
  /** The route {@linkcode OpenArgs.route} picked. */
  route?: RouteDef<unknown> | undefined;
}

/**
 * Starts a call: describes it from `args.call` and `args.params`, checks the
 * options, every id in `params` (`id`, `jobId`...) and the body (encoded for
 * `args.route`), all before anything is sent, then opens its scope with the
 * options' timeout, else `args.timeout`. The options' keys must be
 * among `args.known` (by default `timeout`, `signal`, `maxRetries`).
 */
export function open<T extends CallOptions>(t: Transport, args: OpenArgs<T>): OpenCall<T> {
  const { params, body } = args;
  // Described only when a message needs it: most calls never fail.
  const what: What = {
    toString: () => args.call.replace(/\{(\w+)\}/g, (_, name: string) => named(params[name])),
  };
  const opts = callOptions<T>(what, args.options, args.known);
  // `id` and `...Id` parameters are ids; any other (a GPU name) is only URL-encoded.
  for (const name in params) {
    if (name === "id" || name.endsWith("Id")) checkId(what, name, params[name]);
  }
  const route = args.route?.(opts);
  // JSON.stringify(undefined) is undefined: no body.
  const encoded: string | undefined = route?.maxBody !== undefined
    ? encodeRequest(what, body, route.maxBody)
    : JSON.stringify(body);
  // The client's default timeout starts with the first request sent, not with
  // a wait for a pacing turn; a timeout the caller gives covers both (without
  // either, the scope has no deadline to defer).
  const scope = new CallScope(
    t,
    opts.timeout ?? args.timeout,
    opts.signal,
    what,
    opts.timeout === undefined,
  );
  scope.jobId = params.jobId;
  return { opts, scope, body: encoded, route };
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
  const { opts, scope, body } = open<CallOptions>(t, {
    call: parts.call ?? route.call,
    params,
    options,
    timeout: t.timeout,
    body: parts.body,
    route: () => route,
    known: parts.known,
  });
  try {
    // sendParsed, inlined: an async function less per call.
    const answer = await send(t, scope, route, {
      params,
      query: parts.query,
      body,
      maxRetries: opts.maxRetries,
      lost: parts.lost,
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
