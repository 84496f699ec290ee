// Log streams of pods and serverless workers: Server-Sent Events whose `data`
// is `{source, line, ts}` and whose `id` is a resume cursor. A dropped
// connection is resumed with `Last-Event-ID`, skipping what was already read.
import { delay } from "../delay.ts";
import { RunpodApiError, RunpodConnectionError, RunpodError } from "../errors.ts";
import { callOptions, checkId, quote } from "../_validate.ts";
import { keys } from "../_known_keys.ts";
import { backoff } from "../_retry.ts";
import { CallScope } from "../_scope.ts";
import { readSse } from "../_sse.ts";
import type { RestTransport } from "./_client.ts";
import { withProblem } from "./_problem.ts";
import { type OperationId, OPERATIONS } from "./_operations.gen.ts";
import type { LogLine, LogOptions } from "./types.ts";

/** How long to wait for the answer's headers. */
const CONNECT_TIMEOUT = 30_000;
const SOURCES = ["container", "system"];
const LOG_KEYS = keys("source", "tail", "since", "follow", "idle");

function checkLogOptions(what: string, options: unknown): LogOptions {
  const opts = callOptions<LogOptions>(what, options, LOG_KEYS);
  const fail = (name: string, rule: string, value: unknown): never => {
    throw new RangeError(`Cannot ${what}: ${name} must be ${rule}, received ${quote(value)}`);
  };
  if (opts.source !== undefined && !SOURCES.includes(opts.source)) {
    fail("source", "container or system", opts.source);
  }
  if (
    opts.tail !== undefined &&
    (!Number.isInteger(opts.tail) || opts.tail < 0 || opts.tail > 5000)
  ) fail("tail", "an integer from 0 to 5000", opts.tail);
  if (
    opts.since !== undefined && !(opts.since instanceof Date && !isNaN(opts.since.getTime())) &&
    (typeof opts.since !== "string" || isNaN(Date.parse(opts.since)))
  ) fail("since", "an RFC 3339 time or a Date", opts.since);
  if (opts.follow !== undefined && typeof opts.follow !== "boolean") {
    fail("follow", "a boolean", opts.follow);
  }
  if (
    opts.idle !== undefined &&
    (typeof opts.idle !== "number" || !Number.isFinite(opts.idle) || opts.idle <= 0)
  ) fail("idle", "a positive number of ms", opts.idle);
  return opts;
}

/** Whether event `id` was already read, given the last id read (cursors sort as text). */
function alreadyRead(id: string, last: string | undefined): boolean {
  if (last === undefined || id === "") return false;
  return id === last || (id.length === last.length && id < last);
}

/**
 * Streams the log lines of an operation that answers with Server-Sent Events.
 * `break` (or an abort, or the timeout) closes the connection.
 */
export async function* streamLogs(
  t: RestTransport,
  op: OperationId,
  params: Record<string, string>,
  what: string,
  options: unknown,
): AsyncGenerator<LogLine> {
  const opts = checkLogOptions(`stream logs of ${what}`, options);
  for (const name in params) {
    if (/^id$|Id$/.test(name)) checkId(`stream logs of ${what}`, name, params[name]);
  }
  const maxRetries = opts.maxRetries ?? t.maxRetries;
  const idle = opts.idle ?? 2000;
  const spec = OPERATIONS[op];
  const route = `${spec.method} ${spec.path}`;
  const path = spec.path.replace(
    /\{(\w+)\}/g,
    (_, name: string) => encodeURIComponent(params[name] ?? ""),
  );
  const url = new URL(`${t.restUrl}${path}`);
  if (opts.source !== undefined) url.searchParams.set("source", opts.source);
  if (opts.tail !== undefined) url.searchParams.set("tail", String(opts.tail));
  if (opts.since !== undefined) {
    url.searchParams.set(
      "since",
      opts.since instanceof Date ? opts.since.toISOString() : opts.since,
    );
  }
  const scope = new CallScope(t, opts.timeout, opts.signal, `stream logs of ${what}`);
  let last: string | undefined;
  let failures = 0;
  let retryAfter: number | undefined;
  try {
    while (true) {
      scope.throwIfAborted();
      const connection = new AbortController();
      const onAbort = () => connection.abort(scope.signal.reason);
      scope.signal.addEventListener("abort", onAbort, { once: true });
      let idleTimer: (() => void) | undefined;
      let endedQuietly = false;
      const armIdle = () => {
        idleTimer?.();
        if (opts.follow) return;
        idleTimer = t.clock.setTimer(() => {
          endedQuietly = true;
          connection.abort(new Error("idle"));
        }, idle);
      };
      let dropped: unknown;
      try {
        const headers = new Headers(t.headers);
        headers.set("accept", "text/event-stream, application/problem+json");
        if (last !== undefined) headers.set("last-event-id", last);
        const stopConnect = t.clock.setTimer(
          () => connection.abort(new Error(`no answer within ${CONNECT_TIMEOUT} ms`)),
          CONNECT_TIMEOUT,
        );
        let response: Response;
        try {
          response = await t.fetch(url, {
            headers,
            signal: connection.signal,
            redirect: "manual",
          });
        } finally {
          stopConnect();
        }
        if (!response.ok || !response.body) {
          const text = await response.text().catch(() => "");
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch { /* keep the text */ }
          const error = withProblem(
            new RunpodApiError({
              status: response.status,
              body,
              headers: response.headers,
              route,
              notFound: "check the ids",
            }),
          );
          const status = response.status;
          if (!(status === 408 || status === 429 || status >= 500) || failures >= maxRetries) {
            throw error;
          }
          throw new Retry(error);
        }
        armIdle();
        const body = response.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), {
          signal: connection.signal,
        });
        for await (const event of readSse(body)) {
          if (event.retry !== undefined) retryAfter = event.retry;
          if (event.event !== "message") continue;
          if (alreadyRead(event.id, last)) continue;
          const line = parseLine(event.data, route, what);
          if (event.id !== "") last = event.id;
          failures = 0;
          idleTimer?.();
          yield line;
          armIdle();
        }
        if (!opts.follow) return;
      } catch (error) {
        scope.throwIfAborted();
        if (endedQuietly) return;
        if (error instanceof Retry) dropped = error.error;
        else if (error instanceof RunpodError) throw error;
        else {
          dropped = new RunpodConnectionError({
            route,
            host: url.host,
            reason: `the log stream dropped (${
              error instanceof Error ? error.message : String(error)
            })`,
            cause: error,
          });
        }
      } finally {
        idleTimer?.();
        scope.signal.removeEventListener("abort", onAbort);
        connection.abort(new Error("closed"));
      }
      // The stream ended or dropped: resume after the last line read.
      if (dropped !== undefined) {
        if (failures >= maxRetries) throw dropped;
        failures++;
      }
      const wait = retryAfter ?? backoff(failures);
      if (dropped !== undefined && wait > scope.remaining()) throw dropped;
      await delay(wait, { signal: scope.signal, clock: t.clock });
    }
  } catch (error) {
    throw withProblem(error);
  } finally {
    scope.dispose();
  }
}

class Retry {
  constructor(readonly error: RunpodError) {}
}

function parseLine(data: string, route: string, what: string): LogLine {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (cause) {
    throw new RunpodError(
      `Cannot stream logs of ${what}: an event's data is not JSON; the API changed or a proxy misbehaved`,
      { route, cause },
    );
  }
  const line = value as Partial<LogLine> | null;
  if (
    !line || typeof line.line !== "string" || typeof line.source !== "string" ||
    typeof line.ts !== "string"
  ) {
    throw new RunpodError(
      `Cannot stream logs of ${what}: an event is not {source, line, ts}; the API changed or a proxy misbehaved`,
      { route },
    );
  }
  return { source: line.source, line: line.line, ts: line.ts };
}
