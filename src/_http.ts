// Sends one API request: retries, backoff, Retry-After, per-attempt timeout,
// JSON parsing and typed errors. Never follows redirects, so the API key only
// ever goes to the configured origin.
import type { Clock } from "./clock.ts";
import { delay } from "./delay.ts";
import { RunpodApiError, RunpodConnectionError, RunpodError } from "./errors.ts";
import {
  backoff,
  parseRetryAfter,
  RETRY_AFTER_CAP,
  retryableStatus,
  type RetryClass,
} from "./_retry.ts";
import type { CallScope } from "./_scope.ts";
import type { Pacer, Release } from "./_pacer.ts";

/** How long one attempt may wait for its answer, on top of any server-side wait. */
export const ATTEMPT_TIMEOUT = 30_000;

export type FetchLike = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/** What the client and its endpoints share. */
export interface Transport {
  baseUrl: string;
  fetch: FetchLike;
  clock: Clock;
  maxRetries: number;
  timeout: number;
  headers: Headers;
  /** The client's pacing, shared by its endpoints; none with `pacing: false`. */
  pacer?: Pacer;
}

export interface RequestSpec {
  method: "GET" | "POST";
  /** Path below the endpoint, such as "/status/abc". */
  path: string;
  /** Route name for errors, such as "GET /status". */
  route: string;
  endpointId: string;
  query?: Record<string, string>;
  body?: string;
  retry: RetryClass;
  maxRetries: number;
  /** Extra time the server may hold the request (long polls). */
  serverWait?: number;
  /** Message for a failure after which the request's effect is unknown. */
  unknownOutcome?: string;
  /** Also ends the wait for a pacing turn, but not a request already sent. */
  turnSignal?: AbortSignal;
}

/** Links a RunpodSdk to its transport without exposing the key. */
export const transports: WeakMap<object, Transport> = new WeakMap();

export async function send(t: Transport, scope: CallScope, spec: RequestSpec): Promise<unknown> {
  const url = new URL(`${t.baseUrl}/${spec.endpointId}${spec.path}`);
  for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
  for (let attempt = 0;; attempt++) {
    scope.throwIfAborted();
    const canRetry = attempt < spec.maxRetries;
    let failure: RunpodError;
    let wait: number | undefined;
    let release: Release | undefined;
    try {
      const turnSignal = spec.turnSignal
        ? AbortSignal.any([scope.signal, spec.turnSignal])
        : scope.signal;
      release = await t.pacer?.acquire(spec.endpointId, spec.route, turnSignal);
      scope.sending();
      return await attemptOnce(t, scope, spec, url);
    } catch (error) {
      scope.throwIfAborted();
      if (!(error instanceof RunpodError)) throw error;
      failure = error;
      if (error instanceof RunpodApiError) {
        const retryAfter = parseRetryAfter(error.headers.get("retry-after"), t.clock.now());
        if (error.status === 429) t.pacer?.slowDown(spec.endpointId, spec.route, retryAfter);
        if (!retryableStatus(error.status, spec.retry) || !canRetry) throw error;
        if (retryAfter !== undefined) {
          if (retryAfter > RETRY_AFTER_CAP || retryAfter > scope.remaining()) {
            throw new RunpodApiError(
              `${error.message}; the server asked to retry after ${
                Math.ceil(retryAfter / 1000)
              } s, which is ${
                retryAfter > RETRY_AFTER_CAP ? "over the SDK's 60 s cap" : "past the call's timeout"
              }: try again later`,
              {
                status: error.status,
                body: error.body,
                headers: error.headers,
                route: spec.route,
                jobId: error.jobId,
              },
            );
          }
          wait = retryAfter;
        }
      } else if (error instanceof RunpodConnectionError) {
        if (spec.retry !== "idempotent" || !canRetry) throw error;
      } else {
        throw error;
      }
    } finally {
      release?.();
    }
    wait ??= backoff(attempt);
    if (wait > scope.remaining()) throw failure;
    await delay(wait, { signal: scope.signal, clock: t.clock });
  }
}

async function attemptOnce(
  t: Transport,
  scope: CallScope,
  spec: RequestSpec,
  url: URL,
): Promise<unknown> {
  const limit = ATTEMPT_TIMEOUT + (spec.serverWait ?? 0);
  const attempt = attemptSignal(t, scope, limit);
  try {
    let response: Response;
    try {
      response = await t.fetch(url, {
        method: spec.method,
        headers: t.headers,
        body: spec.body,
        signal: attempt.signal,
        redirect: "manual",
      });
    } catch (cause) {
      scope.throwIfAborted();
      throw connectionError(
        spec,
        attempt.signal.aborted ? `no answer within ${limit} ms` : describe(cause),
        cause,
      );
    }
    const text = await readText(response, attempt.signal).catch((cause) => {
      scope.throwIfAborted();
      throw connectionError(
        spec,
        attempt.signal.aborted
          ? `the answer did not arrive within ${limit} ms`
          : `the answer was cut off (${describe(cause)})`,
        cause,
      );
    });
    if (response.status >= 300 && response.status < 400 || response.type === "opaqueredirect") {
      throw new RunpodApiError(
        `${spec.route} was redirected (HTTP ${response.status}) to ${
          response.headers.get("location") ?? "an unknown location"
        }; the SDK does not follow redirects so that the API key stays with the API: check baseUrl`,
        {
          status: response.status,
          body: text,
          headers: response.headers,
          route: spec.route,
          jobId: scope.jobId,
        },
      );
    }
    if (!response.ok) {
      const body = parseMaybe(text);
      throw new RunpodApiError(
        `${spec.route} failed with HTTP ${response.status}${detail(body)}${
          advice(response.status, spec.unknownOutcome)
        }`,
        {
          status: response.status,
          body,
          headers: response.headers,
          route: spec.route,
          jobId: scope.jobId,
        },
      );
    }
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new RunpodError(
        `${spec.route} answered HTTP ${response.status} with a body that is not JSON (${
          text.length === 0 ? "empty" : `${text.length} characters`
        }); the API or a proxy in between misbehaved: try again later`,
        { route: spec.route, jobId: scope.jobId, cause },
      );
    }
  } finally {
    attempt.dispose();
  }
}

/**
 * The signal of one attempt: the call's own, plus a timer of `limit` ms, set
 * only where the call's deadline is further away (a timer costs time too).
 */
function attemptSignal(
  t: Transport,
  scope: CallScope,
  limit: number,
): { signal: AbortSignal; dispose(): void } {
  if (scope.remaining() <= limit) return { signal: scope.signal, dispose() {} };
  const attempt = new AbortController();
  const stopTimer = t.clock.setTimer(() => attempt.abort(new Error("attempt timeout")), limit);
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

/** Reads a body as text, giving up (and cancelling it) when `signal` aborts. */
function readText(response: Response, signal: AbortSignal): Promise<string> {
  if (signal.aborted) {
    response.body?.cancel().catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      response.body?.cancel().catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    response.text().then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

function connectionError(spec: RequestSpec, what: string, cause: unknown): RunpodConnectionError {
  const next = spec.unknownOutcome ?? "it is safe to try again";
  return new RunpodConnectionError(`${spec.route} got no complete answer: ${what}; ${next}`, {
    route: spec.route,
    cause,
  });
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function parseMaybe(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function detail(body: unknown): string {
  if (body && typeof body === "object") {
    const message = (body as Record<string, unknown>).error ??
      (body as Record<string, unknown>).message;
    if (typeof message === "string") return `: ${message.slice(0, 200)}`;
  }
  if (typeof body === "string" && body.length > 0 && !/^\s*</.test(body)) {
    return `: ${body.slice(0, 200)}`;
  }
  return "";
}

function advice(status: number, unknownOutcome: string | undefined): string {
  // A 408 or 5xx may come after the request took effect: where a resend may
  // start a second paid job, say so rather than "try again later".
  if (unknownOutcome !== undefined && (status === 408 || status >= 500)) {
    return `; ${unknownOutcome}`;
  }
  switch (status) {
    case 401:
      return " (check the API key)";
    case 404:
      return " (check the endpoint and job ids; results expire 30 min after /run)";
    case 429:
      return " (rate limited: slow down or raise maxRetries)";
    default:
      return status >= 500 ? " (a server error: try again later)" : "";
  }
}
