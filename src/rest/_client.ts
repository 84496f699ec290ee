// The management API (REST v2) on the client's one request core: each
// operation of the generated table becomes a route of host "rest" (a create
// risks a duplicate, everything else nothing; a DELETE that finds 404 after a
// lost attempt is done); bodies are checked against the spec first; every
// answer's rate-limit headers are recorded; lists build on single requests.
import { RunpodError } from "../errors.ts";
import type { Transport } from "../_http.ts";
import type { Parser } from "../_parse.ts";
import { call, sendParsed } from "../_request.ts";
import type { RouteDef } from "../_routes.ts";
import { CallScope } from "../_scope.ts";
import { callOptions, quote } from "../_validate.ts";
import type { CallOptions } from "../types.ts";
import { keys, type KnownKeys } from "../_known_keys.ts";
import { checkBody } from "./_check_body.ts";
import { withProblem } from "./_problem.ts";
import { type OperationId, OPERATIONS } from "./_operations.gen.ts";
import { exhaustedFor, parseRateLimit } from "./_rate_limit.ts";
import type { RateLimit } from "./types.ts";

/** The client's transport, with a fetch that records the quota of every answer. */
export interface RestTransport extends Transport {
  /** The latest quota seen, shared by every resource of one client. */
  rateLimit?: RateLimit;
}

/** The REST transport of a client's transport. */
export function restTransport(t: Transport): RestTransport {
  const rest: RestTransport = {
    ...t,
    fetch: async (input, init) => {
      const response = await t.fetch(input, init);
      observe(rest, response.headers);
      // A 429 without Retry-After waits until its exhausted window resets: say so
      // as a Retry-After, which the request core honours.
      const reset = response.status === 429 && !response.headers.has("retry-after")
        ? exhaustedFor(parseRateLimit(response.headers))
        : undefined;
      if (reset === undefined) return response;
      const headers = new Headers(response.headers);
      headers.set("retry-after", String(Math.ceil(reset / 1000)));
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    },
  };
  return rest;
}

/** Records the quota an answer reports. */
export function observe(t: RestTransport, headers: Headers): void {
  const windows = parseRateLimit(headers);
  if (windows) t.rateLimit = { observedAt: t.clock.now(), windows };
}

/** One call of an operation. */
export interface Call {
  /** What the call does, after "Cannot": "create endpoint 'sd'". */
  what: string;
  /** Path parameters, such as `{ id }`; `id` and `...Id` are checked as ids. */
  params?: Record<string, string>;
  /** Query parameters; arrays are sent comma-separated, dates as RFC 3339. */
  query?: Record<string, unknown>;
  /** The JSON body, checked against the spec before anything is sent. */
  body?: unknown;
  /** For a create: the sentence after a 5xx or a lost answer (where to look for it). */
  lost?: string;
}

const REST_API = "https://api.runpod.io/v2";
const identity: Parser<unknown> = (_route, value) => value;
const routes = new Map<OperationId, RouteDef<unknown>>();

/** The route of an operation (a catalog id, such as a GPU name, is not checked as an id). */
function routeOf(op: OperationId): RouteDef<unknown> {
  let route = routes.get(op);
  if (!route) {
    const spec = OPERATIONS[op];
    const create = spec.method === "POST" && op !== "podAction";
    route = {
      method: spec.method,
      host: "rest",
      path: spec.path.startsWith("/catalog/") ? spec.path.replace("{id}", "{name}") : spec.path,
      risk: create ? "duplicate" : "nothing",
      parse: identity,
      call: op,
      notFound: spec.path.includes("{")
        ? "check the id"
        : `check restUrl: RunPod's management API is ${REST_API}`,
      ...(spec.method === "DELETE" ? { goneIsDone: true } : {}),
    };
    routes.set(op, route);
  }
  return route;
}

const knownKeys = new Map<string, KnownKeys>();

/** The option names of an operation: the call options, its query parameters, and `limit` for a list. */
function knownOf(op: OperationId, list: boolean): KnownKeys {
  const id = list ? `${op} list` : op;
  let known = knownKeys.get(id);
  if (!known) {
    const query: readonly string[] = (OPERATIONS[op] as { query?: readonly string[] }).query ?? [];
    known = keys(...query, ...(list ? ["limit"] : []));
    knownKeys.set(id, known);
  }
  return known;
}

function queryText(query: Record<string, unknown> | undefined) {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    out[key] = Array.isArray(value)
      ? value.join(",")
      : value instanceof Date
      ? value.toISOString()
      : value as string | number | boolean | undefined;
  }
  return out;
}

/** Sends an operation and resolves with its answer (undefined for a 204). */
export async function request<T>(
  t: RestTransport,
  op: OperationId,
  c: Call,
  options: unknown,
): Promise<T> {
  if (OPERATIONS[op].body) {
    const problems = checkBody(op, c.body);
    if (problems.length) throw new TypeError(`Cannot ${c.what}: ${problems.join("; ")}`);
  }
  // The route object is the table's own (the transport caches by it); the call's
  // wording and lost sentence travel beside it, in the parts.
  const route = routeOf(op);
  const params = { ...c.params };
  if (route.path.includes("{name}") && params.id !== undefined) {
    params.name = params.id;
    delete params.id;
  }
  try {
    return await call(t, route, params, options, {
      body: c.body,
      query: queryText(c.query),
      call: c.what.replace(/[{}]/g, ""),
      lost: c.lost,
      known: knownOf(op, false),
    }) as T;
  } catch (error) {
    throw withProblem(error, !/\bjob\b/.test(c.what));
  }
}

/** A create's description: "create endpoint 'sd'", or "create an endpoint" when the body has no name. */
export function creating(noun: string, name: unknown): string {
  return typeof name === "string" && name !== ""
    ? `create ${noun} ${quote(name)}`
    : `create ${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
}

/** The sentence a create gets after an unknown outcome. */
export function mayExist(noun: string, name: unknown, list: string): string {
  return `the ${noun} may have been created anyway: look for the name ${
    quote(name)
  } in ${list} before creating it again`;
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

// ---------------------------------------------------------------- lists

/** A list call: the field of the answer that holds the items, such as "endpoints". */
export interface PageCall {
  /** What the call does, after "Cannot": "list endpoints". */
  what: string;
  /** The field of the answer that holds the items. */
  key: string;
  /** Query parameters besides `limit` and `cursor`. */
  query?: Record<string, unknown>;
}

/** A list call's options, checked once. */
type ListOpts = CallOptions & { limit?: number };

function listOptions(what: string, options: unknown, known: KnownKeys): ListOpts {
  const opts = callOptions<ListOpts>(what, options, known);
  const limit: unknown = opts.limit;
  if (
    limit !== undefined && !(typeof limit === "number" && Number.isInteger(limit) && limit >= 1)
  ) {
    throw new RangeError(
      `Cannot ${what}: limit must be a positive integer, received ${quote(limit)}`,
    );
  }
  return opts;
}

/** Every item of a list, whether or not the server pages, within one deadline. */
export async function list<T>(
  t: RestTransport,
  op: OperationId,
  c: PageCall,
  options: unknown,
): Promise<T[]> {
  const opts = listOptions(c.what, options, knownOf(op, true));
  const scope = new CallScope(t, opts.timeout ?? t.timeout, opts.signal, c.what);
  try {
    const all: T[] = [];
    for await (const page of pages<T>(t, op, c, opts, scope)) all.push(...page);
    return all;
  } catch (error) {
    scope.throwIfAborted();
    throw error;
  } finally {
    scope.dispose();
  }
}

/**
 * Yields the pages of a list: one page when the server does not page, or
 * every page of `pagination.nextCursor` when it does (`?limit=&cursor=`).
 * From `list()`: its options, checked, and its scope, which every page
 * shares; otherwise the options are checked here, and each page is a call of
 * its own (the timeout is each page's).
 */
export async function* pages<T>(
  t: RestTransport,
  op: OperationId,
  c: PageCall,
  options: unknown,
  shared?: CallScope,
): AsyncGenerator<T[]> {
  const opts = shared ? options as ListOpts : listOptions(c.what, options, knownOf(op, true));
  const route = routeOf(op);
  const seen = new Set<string>();
  let cursor: string | undefined;
  while (true) {
    const query = queryText({ ...c.query, limit: opts.limit, cursor });
    const scope = shared ??
      new CallScope(t, opts.timeout ?? t.timeout, opts.signal, c.what, opts.timeout === undefined);
    let page: Record<string, unknown> | undefined;
    try {
      page = await sendParsed(t, scope, route, {
        params: {},
        query,
        maxRetries: opts.maxRetries,
      }) as Record<string, unknown> | undefined;
    } catch (error) {
      throw withProblem(error);
    } finally {
      if (scope !== shared) scope.dispose();
    }
    const items = page?.[c.key];
    if (!Array.isArray(items)) {
      throw new RunpodError(
        `Cannot ${c.what}: the answer has no '${c.key}' list; the API changed or a proxy misbehaved`,
        { route: `${OPERATIONS[op].method} ${OPERATIONS[op].path}` },
      );
    }
    yield items as T[];
    const pagination = page!.pagination as
      | { nextCursor?: unknown; hasNextPage?: unknown }
      | undefined;
    const next = pagination?.nextCursor;
    if (typeof next !== "string" || next === "" || pagination?.hasNextPage === false) return;
    if (seen.has(next)) {
      throw new RunpodError(
        `Cannot ${c.what}: the server sent the cursor '${next}' twice; stopped rather than loop`,
      );
    }
    seen.add(next);
    cursor = next;
  }
}
