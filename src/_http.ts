// Sends one request of a route: retries, backoff, Retry-After, the attempt's
// timeout, JSON parsing and typed errors. Never follows redirects, so the API
// key only ever goes to the configured origin. Every route, of either host,
// goes through `send`; what differs between routes is in src/_routes.ts.
import type { Clock } from "./clock.ts";
import { delay } from "./delay.ts";
import { RunpodApiError, RunpodConnectionError, RunpodError } from "./errors.ts";
import { isTerminalStatus } from "./is_terminal_status.ts";
import { parseBody } from "./_parse.ts";
import { backoff, parseRetryAfter, RETRY_AFTER_CAP, retryable, type Risk } from "./_retry.ts";
import { type RouteDef, routeName } from "./_routes.ts";
import type { CallScope, Deadlines } from "./_scope.ts";
import type { Pacer, Release } from "./_pacer.ts";

/** How long one attempt may wait for its answer, on top of any server-side wait. */
export const ATTEMPT_TIMEOUT = 30_000;

export type FetchLike = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/**
 * The runtime's own fetch: the client's default. The body of its answer
 * errors when the request's signal aborts (as the Fetch standard says; so
 * do Deno, Node, Bun and workerd), so the SDK reads it without a watch of
 * its own; a fetch the caller gives is watched (see readText).
 */
export const runtimeFetch: FetchLike = (input, init) => fetch(input, init);

/** What the client and its endpoints share. */
export interface Transport {
  /** The job API's base URL, such as `https://api.runpod.ai/v2`. */
  baseUrl: string;
  /** The management API's base URL, such as `https://api.runpod.io/v2`. */
  restUrl: string;
  /** A load-balancing endpoint's URL, `{endpointId}` where its id goes. */
  loadBalancerUrl: string;
  fetch: FetchLike;
  clock: Clock;
  maxRetries: number;
  timeout: number;
  /** Every request's headers, as name-value pairs (fetch copies pairs faster than a Headers). */
  headers: [string, string][];
  /** The client's shared deadline timer. */
  deadlines: Deadlines;
  /** The client's pacing, shared by its endpoints; none with `pacing: false`. */
  pacer?: Pacer;
}

/** What one request adds to its route. */
export interface RequestParts {
  /** The path parameters, checked ids: `{ endpointId, jobId }`, `{ id }`. */
  params: Record<string, string>;
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined> | undefined;
  /** The JSON body, encoded. */
  body?: string | undefined;
  /** Extra time the server may hold the request (long polls), in ms. */
  serverWait?: number | undefined;
  /** Overrides the route's risk (`stream({ allowGaps: true })` risks nothing). */
  risk?: Risk;
  /** Overrides the call's maxRetries. */
  maxRetries?: number | undefined;
  /** Also ends the wait for a pacing turn, but not a request already sent. */
  turnSignal?: AbortSignal | undefined;
  /** Overrides the route's `lost` (a management create names what it created). */
  lost?: string | undefined;
}

/** Links a RunpodSdk to its transport without exposing the key. */
export const transports: WeakMap<object, Transport> = new WeakMap();

/** The URL of a request: the host's base, the path with its parameters, the query. */
export function urlOf(t: Transport, route: RouteDef<unknown>, parts: RequestParts): string {
  // The path split once per route: literal text at even indexes, parameter names at odd ones.
  let template = templates.get(route);
  if (template === undefined) {
    template = ((route.host === "jobs" ? "/{endpointId}" : "") + route.path).split(/\{(\w+)\}/);
    templates.set(route, template);
  }
  let url = route.host === "jobs" ? t.baseUrl : t.restUrl;
  for (let i = 0; i < template.length; i++) {
    url += i % 2 === 0 ? template[i] : encodeURIComponent(parts.params[template[i]!] ?? "");
  }
  if (parts.query) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(parts.query)) if (v !== undefined) query.set(k, String(v));
    const text = query.toString();
    if (text) url += `?${text}`;
  }
  return url;
}
const templates = new WeakMap<RouteDef<unknown>, string[]>();

/**
 * Sends a request of `route` within the call `scope`, retrying what the
 * route's risk allows, and resolves with the answer's JSON (`undefined` for a
 * 204, or for a DELETE that met 404 after an earlier attempt was sent).
 */
export async function send(
  t: Transport,
  scope: CallScope,
  route: RouteDef<unknown>,
  parts: RequestParts,
): Promise<unknown> {
  const url = urlOf(t, route, parts);
  const risk = parts.risk ?? route.risk;
  const maxRetries = parts.maxRetries ?? t.maxRetries;
  for (let attempt = 0;; attempt++) {
    scope.throwIfAborted();
    let wait: number | undefined;
    let failure: RunpodError;
    let release: Release | undefined;
    try {
      // Pacing: RunPod's per-endpoint limits of the job API's routes.
      if (t.pacer && route.host === "jobs") {
        const turnSignal = parts.turnSignal
          ? AbortSignal.any([scope.signal, parts.turnSignal])
          : scope.signal;
        const turn = t.pacer.acquire(parts.params.endpointId ?? "", routeName(route), turnSignal);
        release = typeof turn === "function" ? turn : await turn;
      }
      scope.sending();
      return await attemptOnce(t, scope, route, parts, url);
    } catch (error) {
      scope.throwIfAborted();
      if (!(error instanceof RunpodError)) throw error;
      failure = error;
      const api = error instanceof RunpodApiError ? error : undefined;
      const status = api?.status;
      // Read once: a 429's slows the pacer down, and any answer's sets the wait before a retry.
      const retryAfter = api && parseRetryAfter(api.headers.get("retry-after"), t.clock.now());
      if (status === 429) {
        t.pacer?.slowDown(parts.params.endpointId ?? "", routeName(route), retryAfter);
      }
      // The first attempt may have deleted it: its answer was lost or failed.
      if (status === 404 && route.goneIsDone && attempt > 0) return undefined;
      if (
        !(api || error instanceof RunpodConnectionError) ||
        !retryable(status, risk) || attempt >= maxRetries
      ) throw error;
      if (retryAfter !== undefined) {
        if (retryAfter > RETRY_AFTER_CAP || retryAfter > scope.remaining()) {
          throw new RunpodApiError({ ...apiFields(route, parts, api!), retryAfter });
        }
        wait = retryAfter;
      }
    } finally {
      release?.();
    }
    wait ??= backoff(attempt);
    if (wait > scope.remaining()) throw failure;
    await delay(wait, { signal: scope.signal, clock: t.clock });
  }
}

function apiFields(route: RouteDef<unknown>, parts: RequestParts, error: RunpodApiError) {
  return {
    status: error.status,
    body: error.body,
    headers: error.headers,
    route: routeName(route),
    jobId: error.jobId,
    lost: parts.lost ?? route.lost,
    notFound: route.notFound,
  };
}

async function attemptOnce(
  t: Transport,
  scope: CallScope,
  route: RouteDef<unknown>,
  parts: RequestParts,
  url: string,
): Promise<unknown> {
  const name = routeName(route);
  const limit = ATTEMPT_TIMEOUT + (parts.serverWait ?? 0);
  // Most calls' deadlines are no further than the attempt's limit: their own signal serves.
  const attempt = scope.remaining() > limit ? attemptSignal(t, scope, limit) : undefined;
  const signal = attempt?.signal ?? scope.signal;
  try {
    let response: Response;
    try {
      const init: RequestInit = {
        method: route.method,
        headers: t.headers,
        signal,
        redirect: "manual",
      };
      if (parts.body !== undefined) init.body = parts.body;
      response = await t.fetch(url, init);
    } catch (cause) {
      throw lost(
        scope,
        route,
        parts,
        signal.aborted ? `no answer within ${limit} ms` : describe(cause),
        cause,
        url,
      );
    }
    let text: string;
    try {
      text = t.fetch === runtimeFetch
        ? await response.text()
        : await readText(response, signal, scope);
    } catch (cause) {
      throw lost(
        scope,
        route,
        parts,
        signal.aborted
          ? `the answer did not arrive within ${limit} ms`
          : `the answer was cut off (${describe(cause)})`,
        cause,
        url,
      );
    }
    const status = response.status;
    const jobId = scope.jobId;
    if (!response.ok) {
      // A redirect (an opaque one has status 0) is not followed: the key stays with the origin.
      if (status >= 300 && status < 400 || response.type === "opaqueredirect") {
        throw new RunpodApiError({
          status,
          body: text,
          headers: response.headers,
          route: name,
          jobId,
        });
      }
      const body = parseMaybe(text);
      // A job route's 4xx whose body is a job in a final state (RunPod answers a
      // FAILED /runsync with HTTP 400 and the job) is that job.
      if (route.job && status < 500 && isFinalJob(body)) return body;
      throw new RunpodApiError({
        status,
        body,
        headers: response.headers,
        route: name,
        jobId,
        lost: parts.lost ?? route.lost,
        notFound: route.notFound,
      });
    }
    return parseBody(name, status, text, jobId);
  } finally {
    attempt?.dispose();
  }
}

/** The error of an attempt whose answer was lost; the call's own abort reason if it was aborted. */
function lost(
  scope: CallScope,
  route: RouteDef<unknown>,
  parts: RequestParts,
  reason: string,
  cause: unknown,
  url: string,
): RunpodConnectionError {
  scope.throwIfAborted();
  return new RunpodConnectionError({
    route: routeName(route),
    host: new URL(url).host,
    reason,
    lost: parts.lost ?? route.lost,
    cause,
  });
}

function isFinalJob(body: unknown): boolean {
  const job = body as { id?: unknown; status?: unknown } | null;
  return typeof job === "object" && job !== null && typeof job.id === "string" &&
    typeof job.status === "string" && isTerminalStatus(job.status);
}

/**
 * The signal of one attempt whose call's deadline is further away than
 * `limit` ms: the call's own, plus a timer of `limit` ms.
 */
function attemptSignal(
  t: Transport,
  scope: CallScope,
  limit: number,
): { signal: AbortSignal; dispose(): void } {
  const attempt = new AbortController();
  const stopTimer = t.clock.setTimer(() => {
    attempt.abort(new Error("attempt timeout"));
    scope.onAbort?.();
  }, limit);
  const onAbort = () => attempt.abort(scope.signal.reason);
  scope.signal.addEventListener("abort", onAbort, { once: true });
  return {
    signal: attempt.signal,
    dispose() {
      stopTimer();
      scope.signal.removeEventListener("abort", onAbort);
    },
  };
}

/**
 * Reads a body as text, giving up (and cancelling it) when `signal` aborts:
 * for a fetch the caller gives, whose body may not error when its request's
 * signal aborts. It listens through the scope's one `onAbort` slot rather
 * than an event listener: adding and removing a listener costs more than the
 * rest of a call.
 */
function readText(response: Response, signal: AbortSignal, scope: CallScope): Promise<string> {
  if (signal.aborted) {
    response.body?.cancel().catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    scope.onAbort = () => {
      response.body?.cancel().catch(() => {});
      reject(signal.reason);
    };
    response.text().then((text) => {
      scope.onAbort = undefined;
      resolve(text);
    }, (error) => {
      scope.onAbort = undefined;
      reject(error);
    });
  });
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A body's JSON, or its text where it is not JSON. */
export function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
