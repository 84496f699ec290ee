// The calls of a load-balancing endpoint, loaded on first use (see
// load_balancer.ts): a request goes straight to a worker's own HTTP server,
// and the answers that mean no worker took it are retried with backoff
// within the call's deadline, whatever the method, since no worker processed
// them. Any other answer is the worker's, handed on as it came.
import { delay } from "../delay.ts";
import { RunpodApiError, RunpodConnectionError, RunpodError, TimeoutError } from "../errors.ts";
import { type NoWorkerReason, WorkerUnavailableError } from "./errors.ts";
import { parseMaybe, type Transport } from "../_http.ts";
import { LOAD_BALANCER } from "../_runpod_facts.ts";
import { backoff, parseRetryAfter, RETRY_AFTER_CAP } from "../_retry.ts";
import { CallScope } from "../_scope.ts";
import { callOptions, MAX_RETRIES, quote } from "../_validate.ts";
import { checkKnownKeys, type KnownKeys, optionKeys } from "../_known_keys.ts";
import type { CallOptions } from "../types.ts";
import { peek, type Peeked } from "./_no_worker.ts";
import type { LoadBalancerInit, LoadBalancerJsonOptions, ReadyOptions } from "./types.ts";

/** A load balancer's options, as its public object holds them (checked but healthPath). */
export interface LbOptions {
  id: string;
  url: string;
  timeout: number | undefined;
  maxRetries: number | undefined;
  healthPath: string | undefined;
}

/** A load balancer's settings, defaults filled in. */
interface LbSettings {
  id: string;
  url: string;
  timeout: number;
  maxRetries: number;
  healthPath: string;
  /** The client's headers but its JSON ones: a worker's request says its own types. */
  headers: [string, string][];
}

/** The longest RunPod may hold one request: waiting for a worker, then processing it. */
const DEFAULT_TIMEOUT = LOAD_BALANCER.workerWait + LOAD_BALANCER.processing;

const settled = new WeakMap<LbOptions, LbSettings>();

/** The settings of a load balancer, its defaults filled in (once). */
function settingsOf(t: Transport, options: LbOptions): LbSettings {
  let settings = settled.get(options);
  if (settings) return settings;
  const { healthPath = LOAD_BALANCER.healthPath } = options;
  if (typeof healthPath !== "string" || !healthPath.startsWith("/")) {
    throw new TypeError(
      `Cannot call load-balancing endpoint '${options.id}': healthPath must be a path such as '/ping', received ${
        quote(healthPath)
      }`,
    );
  }
  settings = {
    id: options.id,
    url: options.url,
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    maxRetries: options.maxRetries ?? MAX_RETRIES,
    healthPath,
    headers: t.headers.filter(([name]) => name !== "content-type" && name !== "accept"),
  };
  settled.set(options, settings);
  return settings;
}

/** The names of {@linkcode LoadBalancerJsonOptions} and of {@linkcode ReadyOptions}. */
const JSON_KEYS: KnownKeys = optionKeys<LoadBalancerJsonOptions>({
  method: 1,
  headers: 1,
  timeout: 1,
  signal: 1,
  maxRetries: 1,
});
const READY_KEYS: KnownKeys = optionKeys<ReadyOptions>({ timeout: 1, signal: 1 });

/** Methods whose resend after a lost answer changes nothing. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS"]);

/** What to change after each reason no worker took the request. */
const ADVICE: Record<NoWorkerReason, string> = {
  "no-workers":
    "every worker was busy or none had started: raise the endpoint's workers.max, keep workers warm with workers.min of 1 or more, or give the call a longer timeout",
  "worker-timeout":
    "no worker became healthy in time: check that the worker listens on 0.0.0.0 at PORT and answers its health path (HEALTH_CHECK_PATH, /ping by default) with 200 once ready; keep workers warm with workers.min of 1 or more or a longer workers.idleTimeout, or give the call a timeout longer than the cold start",
  "bad-gateway":
    "check that the worker listens on 0.0.0.0 at PORT (and PORT_HEALTH) as the endpoint says",
  "unavailable":
    "workers were starting or all busy: raise workers.max, keep workers warm with workers.min of 1 or more or a longer workers.idleTimeout, or give the call a longer timeout",
};

const LOST =
  "the worker may or may not have processed it: check before sending it again, since a resent request may run twice";

/** What a lost answer of `method` risks: nothing for an idempotent one, else {@linkcode LOST}. */
function lostOf(method: string): string | undefined {
  return IDEMPOTENT.has(method) ? undefined : LOST;
}

const NEXT =
  "a cold start can take minutes: keep a worker warm (workers.min of 1 or more, or a longer workers.idleTimeout), or wait for lb.ready() first";

/** The description of a call in messages. */
function what(lb: LbSettings, route: string) {
  return `call ${route} on load-balancing endpoint '${lb.id}'`;
}

/** Checks a path: it starts with one `/` and stays on the endpoint's origin. */
export function checkPath(lb: LbSettings, path: unknown): string {
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) {
    throw new TypeError(
      `Cannot call load-balancing endpoint '${lb.id}': the path must be a string starting with a single '/', such as '/generate', received ${
        quote(path)
      }`,
    );
  }
  return path;
}

/** The byte size of a body where it can be known before sending; undefined for a stream. */
function sizeOf(body: unknown): number | undefined {
  if (body === undefined || body === null) return 0;
  if (typeof body === "string") {
    return body.length * 3 <= LOAD_BALANCER.bodyLimit
      ? body.length
      : new TextEncoder().encode(body).byteLength;
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength;
  if (typeof Blob !== "undefined" && body instanceof Blob) return body.size;
  if (body instanceof URLSearchParams) return body.toString().length;
  return undefined;
}

/**
 * Sets header `name` (any case) to `value` in `headers`, lower-case name-value
 * pairs: in its place if it is there (a few pairs: a scan is cheaper than a Map).
 */
function setHeader(headers: [string, string][], name: string, value: string): void {
  const lower = name.toLowerCase();
  for (let i = 0; i < headers.length; i++) {
    if (headers[i]![0] === lower) {
      headers[i] = [lower, value];
      return;
    }
  }
  headers.push([lower, value]);
}

/** A call's open state: its scope and the answer's head once it came. */
interface Sent {
  response: Response;
  scope: CallScope;
}

/**
 * Sends `init` to `path` until an answer other than a no-worker one comes
 * (or the retries, the deadline or the caller end it). The scope is left
 * open, with its abort wired to the answer's body: the caller disposes it.
 */
async function sendLb(
  t: Transport,
  lb: LbSettings,
  path: string,
  init: LoadBalancerInit,
  extraHeaders?: Record<string, string>,
): Promise<Sent> {
  const method = (init.method ?? "GET").toUpperCase();
  const route = `${method} ${path.replace(/[?#].*$/, "")}`;
  const call = what(lb, route);
  const { timeout, signal, maxRetries, ...request } = init;
  const opts = timeout === undefined && signal === undefined && maxRetries === undefined
    ? {} as CallOptions
    : callOptions<CallOptions>(call, { timeout, signal, maxRetries });
  // fetch refuses it with a TypeError that would pass for a lost connection (and a GET's be retried).
  if ((method === "GET" || method === "HEAD") && request.body != null) {
    throw new TypeError(
      `Cannot ${call}: a ${method} request cannot have a body; give the method, such as method: "POST"`,
    );
  }
  // A followed redirect would carry the API key to wherever the worker points.
  if (request.redirect !== undefined && request.redirect !== "manual") {
    throw new TypeError(
      `Cannot ${call}: redirect '${request.redirect}' is not supported: a 3xx answer is handed to you as it is (redirect: "manual"), since following it would carry the API key to wherever the worker points`,
    );
  }
  const size = sizeOf(request.body);
  if (size !== undefined && size > LOAD_BALANCER.bodyLimit) {
    throw new RangeError(
      `Cannot ${call}: the body is ${size} bytes, over RunPod's limit of ${LOAD_BALANCER.bodyLimit} bytes for a load-balancing endpoint; upload large inputs elsewhere and send a URL`,
    );
  }
  // A stream is read by the first send: it cannot be sent again.
  const retries = size === undefined ? 0 : opts.maxRetries ?? lb.maxRetries;
  // The client's headers as they are (fetch copies them) unless the call adds its own; merged
  // as name-value pairs (a Headers object costs more than the rest of the call), a later
  // value of a name replacing the earlier one in its place.
  let all: HeadersInit = lb.headers;
  if (extraHeaders !== undefined || request.headers !== undefined) {
    const merged = lb.headers.slice();
    for (const name in extraHeaders) setHeader(merged, name, extraHeaders[name]!);
    const own = request.headers;
    if (own instanceof Headers || Array.isArray(own)) {
      for (const [name, value] of own) setHeader(merged, name, value);
    } else if (own !== undefined) {
      for (const [name, value] of Object.entries(own)) setHeader(merged, name, value);
    }
    all = merged;
  }
  const url = lb.url + path;
  const scope = new CallScope(t, opts.timeout ?? lb.timeout, opts.signal, call);
  // The scope's signal aborts the request (deadline or caller) until the
  // call ends; after that, the caller's signal alone still closes the body.
  const fetchSignal = opts.signal ? AbortSignal.any([opts.signal, scope.signal]) : scope.signal;
  const lost = lostOf(method);
  try {
    for (let attempt = 0;; attempt++) {
      scope.throwIfAborted();
      let response: Response;
      try {
        const sent: RequestInit & { duplex?: "half" } = {
          ...request,
          method,
          headers: all,
          signal: fetchSignal,
          redirect: "manual",
        };
        // A stream body needs it (fetch refuses a stream without it).
        if (size === undefined) sent.duplex = "half";
        response = await t.fetch(url, sent);
      } catch (cause) {
        scope.throwIfAborted();
        const failure = new RunpodConnectionError({
          route,
          reason: cause instanceof Error ? cause.message : String(cause),
          lost,
          cause,
        });
        if (lost !== undefined || attempt >= retries) throw failure;
        const wait = backoff(attempt);
        if (wait > scope.remaining()) throw failure;
        await delay(wait, { signal: scope.signal, clock: t.clock });
        continue;
      }
      // A stream (SSE) is a worker's own answer: handed on at once, not read.
      if (response.status < 400 || isEventStream(response)) return { response, scope };
      let peeked: Peeked;
      try {
        peeked = await peek(response);
      } catch (cause) {
        scope.throwIfAborted();
        throw new RunpodConnectionError({
          route,
          reason: `the answer (HTTP ${response.status}) was cut off (${
            cause instanceof Error ? cause.message : cause
          })`,
          lost,
          cause,
        });
      }
      if (peeked.reason === undefined) return { response: peeked.response, scope };
      const failure = noWorker(lb, route, peeked.response, peeked.text, peeked.reason, attempt);
      await peeked.response.body?.cancel().catch(() => {});
      if (attempt >= retries) throw failure;
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"), t.clock.now());
      const wait = retryAfter !== undefined && retryAfter <= RETRY_AFTER_CAP
        ? retryAfter
        : backoff(attempt);
      if (wait > scope.remaining()) throw failure;
      await delay(wait, { signal: scope.signal, clock: t.clock });
    }
  } catch (error) {
    scope.dispose();
    throw ourTimeout(error, scope, call);
  }
}

function noWorker(
  lb: LbSettings,
  route: string,
  response: Response,
  text: string | undefined,
  reason: NoWorkerReason,
  attempt: number,
): WorkerUnavailableError {
  return new WorkerUnavailableError({
    status: response.status,
    body: parseMaybe(text ?? ""),
    headers: response.headers,
    route,
    endpointId: lb.id,
    reason,
    attempts: attempt + 1,
    advice: ADVICE[reason],
  });
}

/** The scope's TimeoutError, with the advice of a load-balancing endpoint. */
function ourTimeout(error: unknown, scope: CallScope, call: string): unknown {
  if (error instanceof TimeoutError && error === scope.signal.reason) {
    return new TimeoutError({ call, timeout: error.timeout, next: NEXT });
  }
  return error;
}

/** `lb.fetch`: the worker's answer, its body unread. */
export async function lbFetch(
  t: Transport,
  options: LbOptions,
  path: unknown,
  init: unknown,
): Promise<Response> {
  const lb = settingsOf(t, options);
  checkPath(lb, path);
  if (init !== undefined && (typeof init !== "object" || init === null)) {
    throw new TypeError(`Cannot call load-balancing endpoint '${lb.id}': init must be an object`);
  }
  const { response, scope } = await sendLb(
    t,
    lb,
    path as string,
    (init ?? {}) as LoadBalancerInit,
  );
  // The deadline covered the wait for the answer's head; its body is the caller's.
  scope.dispose();
  return response;
}

/** `lb.json`: sends JSON, reads JSON, a typed error for any other answer than 2xx. */
export async function lbJson(
  t: Transport,
  settings: LbOptions,
  path: unknown,
  body: unknown,
  options: unknown,
): Promise<unknown> {
  const lb = settingsOf(t, settings);
  checkPath(lb, path);
  // A number is the timeout, as the job methods take it.
  const opts =
    (typeof options === "number" ? { timeout: options } : options ?? {}) as LoadBalancerJsonOptions;
  if (typeof opts !== "object") {
    throw new TypeError(
      `Cannot call load-balancing endpoint '${lb.id}': options must be an object or a timeout in ms`,
    );
  }
  checkKnownKeys(`call load-balancing endpoint '${lb.id}'`, opts, JSON_KEYS);
  const method = (opts.method ?? (body === undefined ? "GET" : "POST")).toUpperCase();
  const route = `${method} ${(path as string).replace(/[?#].*$/, "")}`;
  let encoded: string | undefined;
  if (body !== undefined) {
    try {
      encoded = JSON.stringify(body);
    } catch (cause) {
      throw new TypeError(
        `Cannot ${what(lb, route)}: the body cannot be encoded as JSON (${
          (cause as Error).message
        }); send only JSON values`,
        { cause },
      );
    }
    if (encoded === undefined) {
      throw new TypeError(`Cannot ${what(lb, route)}: the body cannot be encoded as JSON`);
    }
  }
  const init: LoadBalancerInit = {
    method,
    timeout: opts.timeout,
    signal: opts.signal,
    maxRetries: opts.maxRetries,
  };
  if (opts.headers !== undefined) init.headers = opts.headers;
  if (encoded !== undefined) init.body = encoded;
  const json = { "content-type": "application/json", accept: "application/json" };
  const { response, scope } = await sendLb(t, lb, path as string, init, json);
  const lost = lostOf(method);
  try {
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      scope.throwIfAborted();
      throw new RunpodConnectionError({
        route,
        reason: `the answer was cut off (${cause instanceof Error ? cause.message : cause})`,
        lost,
        cause,
      });
    }
    if (!response.ok) {
      throw new RunpodApiError({
        status: response.status,
        body: parseMaybe(text),
        headers: response.headers,
        route,
        lost: lost !== undefined && response.status === 524
          ? `RunPod cut the request after ${
            LOAD_BALANCER.processing / 1000
          } s of processing; the worker may have done part of it`
          : lost,
      });
    }
    if (text === "") return undefined;
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new RunpodError(
        `${route} on load-balancing endpoint '${lb.id}' answered HTTP ${response.status} with a body that is not JSON (${
          quote(text.slice(0, 80))
        }); read other answers with lb.fetch()`,
        { route, cause },
      );
    }
  } catch (error) {
    throw ourTimeout(error, scope, what(lb, route));
  } finally {
    scope.dispose();
  }
}

/** `lb.ready`: polls the health path until it answers 200. */
export async function lbReady(
  t: Transport,
  settings: LbOptions,
  options: unknown,
): Promise<void> {
  const lb = settingsOf(t, settings);
  const call = `wait for load-balancing endpoint '${lb.id}' to be ready`;
  const opts = callOptions<ReadyOptions & CallOptions>(call, options, READY_KEYS);
  const scope = new CallScope(t, opts.timeout ?? lb.timeout, opts.signal, call);
  const url = lb.url + lb.healthPath;
  try {
    for (let attempt = 0;; attempt++) {
      scope.throwIfAborted();
      try {
        const response = await t.fetch(url, {
          method: "GET",
          headers: lb.headers,
          signal: scope.signal,
          redirect: "manual",
        });
        await response.body?.cancel().catch(() => {});
        if (response.status === 200) return;
      } catch {
        scope.throwIfAborted();
        // A lost answer: the health path is read again.
      }
      await delay(Math.min(backoff(attempt), scope.remaining()), {
        signal: scope.signal,
        clock: t.clock,
      });
    }
  } catch (error) {
    throw ourTimeout(error, scope, call);
  } finally {
    scope.dispose();
  }
}

function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
}
