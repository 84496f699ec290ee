// The fault matrix: every route of the API × every fault the network or the
// API may produce, and the outcome the SDK promises for each. This table is
// the one source of truth: fault_matrix_test.ts checks every outcome against
// the emulator, and scripts/reliability_table.ts writes docs/reliability.md's
// tables from it (doc_test.ts fails when the doc is stale).
import type { Fault } from "../../testing.ts";
import { JOB_ROUTES, type RouteDef, routeName } from "../../src/_routes.ts";
import type { Risk } from "../../src/_retry.ts";

/** Pause before a retry: [min, max] ms on the clock, counted from the previous answer. */
export type Wait = readonly [number, number];

export type ErrorName =
  | "RunpodApiError"
  | "RunpodConnectionError"
  | "RunpodError"
  | "TimeoutError"
  | "StreamGapError";

/** What a call does when its route meets a fault. */
export interface Outcome {
  /** `"resolves"`, or the class of the error it rejects with. */
  result: "resolves" | ErrorName;
  /** Requests sent to the faulted route, up to and including the first that met no fault. */
  attempts: number;
  /** The pause before each retry. */
  waits: readonly Wait[];
  /** The HTTP status of the RunpodApiError (or of the StreamGapError's cause). */
  status?: number;
  /** The class of a StreamGapError's cause. */
  cause?: ErrorName;
  /** Part of the error's message. */
  message?: RegExp;
  /** The clock time the call took, where it is exact. */
  elapsed?: number;
  /** Jobs the call enqueued (created, or requeued by /retry). */
  enqueued: number;
  /** The stream items received, for stream() calls. */
  items?: readonly number[];
  /** How the doc names the attempts after the first (default "retried"). */
  again?: string;
}

/**
 * What a resend of the route risks: the vocabulary of src/_retry.ts, read from
 * the client's route table (src/_routes.ts), so that the matrix, the client and
 * the doc say the same thing:
 * - `double-bill`: a resend may start a second paid job, so only a 429 is
 *   retried; any other failure rejects at once and says the outcome is unknown.
 * - `lost-items`: a `/stream` poll drains the server's buffer, so only a 429 is
 *   retried; a failure after which items may be lost is a StreamGapError.
 * - `nothing`: retried on 408, 429, 5xx and lost or cut answers.
 */
export type { Risk };

export interface RouteCase {
  /** The column's name in the doc. */
  name: string;
  /** The route faults are injected on, as the emulator names it. */
  route: string;
  /** The SDK call. */
  call: string;
  risk: Risk;
}

function fromTable(route: RouteDef<unknown>, call: string, risk: Risk = route.risk): RouteCase {
  const name = routeName(route);
  return { name: name.slice(name.indexOf(" ") + 1), route: name, call, risk };
}

export const ROUTES: readonly RouteCase[] = [
  fromTable(JOB_ROUTES.run, "run()"),
  fromTable(JOB_ROUTES.runsync, "runSync()"),
  fromTable(JOB_ROUTES.status, "status()"),
  fromTable(JOB_ROUTES.stream, "stream()"),
  {
    ...fromTable(JOB_ROUTES.stream, "stream({ allowGaps: true })", "nothing"),
    name: "/stream (allowGaps)",
  },
  fromTable(JOB_ROUTES.cancel, "cancel()"),
  fromTable(JOB_ROUTES.retry, "retry()"),
  fromTable(JOB_ROUTES.purgeQueue, "purgeQueue()"),
  fromTable(JOB_ROUTES.health, "health()"),
];

/** A fault only the test's fetch can make: the head at once, the body `slowBody` ms later. */
export interface SlowBodyFault {
  slowBody: number;
}

export type MatrixFault = Fault | SlowBodyFault;

/** What a fault builder may use: the prepared job and the clock's time. */
export interface FaultContext {
  jobId: string;
  now: number;
}

export interface Expectation {
  /** The fault met on every attempt (injected for each of the 3 a call may make). */
  persistent: Outcome;
  /** The fault met by the first attempt only. */
  once: Outcome;
}

export interface FaultCase {
  /** The row's name in the doc. */
  name: string;
  /** The fault injected on the route (undefined: not applicable to it). */
  fault: (route: RouteCase, context: FaultContext) => MatrixFault | undefined;
  /** The call's timeout, when the row needs one. */
  timeout?: number;
  /** The promised outcome on `route` (undefined: not applicable). */
  expect: (route: RouteCase) => Expectation | undefined;
}

/** The stream the matrix reads: a job yielding 1, 2, 3, one a second. */
export const STREAM_ITEMS = [1, 2, 3] as const;
/** The call timeout of the rows about slow answers. */
export const SHORT_TIMEOUT = 5_000;
/** The client's default maxRetries: a call makes at most 3 attempts. */
export const ATTEMPTS = 3;

const BACKOFF: readonly [Wait, Wait] = [[250, 500], [500, 1000]];
const UNKNOWN = /may or may not have been/;

function resolved(route: RouteCase, attempts: number, waits: readonly Wait[]): Outcome {
  const outcome: Outcome = {
    result: "resolves",
    attempts,
    waits,
    enqueued: route.risk === "double-bill" ? 1 : 0,
  };
  if (route.route === "GET /stream") outcome.items = STREAM_ITEMS;
  return outcome;
}

function same(outcome: Outcome): Expectation {
  return { persistent: outcome, once: outcome };
}

function withItems(route: RouteCase, outcome: Outcome, items: readonly number[] = []): Outcome {
  return route.route === "GET /stream" ? { ...outcome, items } : outcome;
}

/** 429: nothing was done, so every route retries it. */
function rateLimited(
  waits: readonly [Wait, Wait],
): (route: RouteCase) => Expectation {
  return (route) => ({
    persistent: withItems(route, {
      result: "RunpodApiError",
      status: 429,
      attempts: ATTEMPTS,
      waits,
      enqueued: 0,
    }),
    once: resolved(route, 2, [waits[0]]),
  });
}

/** A failure the client cannot tell from one that happened after the request was handled. */
function serverFailure(
  end: Pick<Outcome, "result" | "status" | "message">,
  handled: boolean,
): (route: RouteCase) => Expectation {
  return (route) => {
    if (route.risk === "double-bill") {
      return same({
        ...end,
        attempts: 1,
        waits: [],
        message: UNKNOWN,
        enqueued: handled ? 1 : 0,
      });
    }
    if (route.risk === "lost-items") {
      return same({
        result: "StreamGapError",
        cause: end.result as ErrorName,
        status: end.status,
        message: /drained on the server/,
        attempts: 1,
        waits: [],
        enqueued: 0,
        items: [],
      });
    }
    const stream = route.route === "GET /stream";
    return {
      persistent: withItems(route, { ...end, attempts: ATTEMPTS, waits: BACKOFF, enqueued: 0 }),
      // With allowGaps, the item the lost answer carried is gone: the stream goes on without it.
      once: stream && handled
        ? { ...resolved(route, 2, [BACKOFF[0]]), items: STREAM_ITEMS.slice(1) }
        : resolved(route, 2, [BACKOFF[0]]),
    };
  };
}

/** A 200 answer that is not JSON: never retried; on /stream it may have carried items. */
function notJson(message: RegExp): (route: RouteCase) => Expectation {
  return (route) =>
    same(
      route.risk === "lost-items"
        ? {
          result: "StreamGapError",
          cause: "RunpodError",
          message: /drained on the server/,
          attempts: 1,
          waits: [],
          enqueued: 0,
          items: [],
        }
        : withItems(route, { result: "RunpodError", message, attempts: 1, waits: [], enqueued: 0 }),
    );
}

/** Refused the same way on every route, at once. */
function refused(outcome: Omit<Outcome, "attempts" | "waits" | "enqueued">) {
  return (route: RouteCase): Expectation =>
    same(withItems(route, { ...outcome, attempts: 1, waits: [], enqueued: 0 }));
}

function timedOut(handled: boolean) {
  return (route: RouteCase): Expectation =>
    same(withItems(route, {
      result: "TimeoutError",
      message: /timed out after 5000 ms/,
      elapsed: SHORT_TIMEOUT,
      attempts: 1,
      waits: [],
      enqueued: handled && route.risk === "double-bill" ? 1 : 0,
    }));
}

const always = (fault: MatrixFault) => () => fault;
const isStream = (route: RouteCase) => route.route === "GET /stream";

export const FAULTS: readonly FaultCase[] = [
  {
    name: "429, no Retry-After",
    fault: always({ status: 429 }),
    expect: rateLimited(BACKOFF),
  },
  {
    name: "429, Retry-After: 3 (seconds)",
    fault: always({ status: 429, retryAfter: "3" }),
    expect: rateLimited([[3000, 3000], [3000, 3000]]),
  },
  {
    name: "429, Retry-After: an HTTP date 5 s ahead",
    fault: (_, { now }) => ({
      status: 429,
      retryAfter: new Date(Math.floor((now + 5000) / 1000) * 1000).toUTCString(),
    }),
    // The date is fixed when injected: once it has passed, the retry goes at once.
    expect: rateLimited([[4000, 5000], [0, 0]]),
  },
  {
    name: "429, Retry-After: 20 s, past the call's 10 s timeout",
    fault: always({ status: 429, retryAfter: "20" }),
    timeout: 10_000,
    expect: refused({
      result: "RunpodApiError",
      status: 429,
      message: /retry after 20 s, which is past the call's timeout/,
      elapsed: 0,
    }),
  },
  {
    name: "429, Retry-After: 120 s, over the SDK's 60 s cap",
    fault: always({ status: 429, retryAfter: "120" }),
    expect: refused({
      result: "RunpodApiError",
      status: 429,
      message: /over the SDK's 60 s cap/,
      elapsed: 0,
    }),
  },
  {
    name: "408",
    fault: always({ status: 408 }),
    expect: serverFailure({ result: "RunpodApiError", status: 408 }, false),
  },
  {
    name: "500",
    fault: always({ status: 500 }),
    expect: serverFailure({ result: "RunpodApiError", status: 500 }, false),
  },
  {
    name: "502 with an HTML page",
    fault: always({ html: 502 }),
    expect: serverFailure({ result: "RunpodApiError", status: 502 }, false),
  },
  {
    name: "503",
    fault: always({ status: 503 }),
    expect: serverFailure({ result: "RunpodApiError", status: 503 }, false),
  },
  {
    name: "504",
    fault: always({ status: 504 }),
    expect: serverFailure({ result: "RunpodApiError", status: 504 }, false),
  },
  {
    name: "connection dropped before the request is handled",
    fault: always({ drop: true, when: "before" }),
    expect: serverFailure({ result: "RunpodConnectionError" }, false),
  },
  {
    name: "connection dropped after the request is handled (answer lost)",
    fault: always({ drop: true, when: "after" }),
    expect: serverFailure({ result: "RunpodConnectionError" }, true),
  },
  {
    name: "body cut off midway",
    fault: always({ truncate: true }),
    expect: serverFailure({ result: "RunpodConnectionError", message: /cut off/ }, true),
  },
  {
    name: "malformed JSON (200)",
    fault: always({ malformed: true }),
    expect: notJson(/not JSON \(\d+ characters\)/),
  },
  {
    name: "empty body (200)",
    fault: always({ status: 200, body: "" }),
    expect: notJson(/not JSON \(empty\)/),
  },
  {
    name: "wrong shape: a required field missing (id; status on /stream)",
    fault: (route) => ({
      json: route.route === "GET /health"
        ? { jobs: {} }
        : route.route === "POST /purge-queue"
        ? { status: "completed" }
        : isStream(route)
        ? { stream: [] }
        : { status: "IN_QUEUE" },
    }),
    expect: refused({ result: "RunpodError", message: /unexpected shape/ }),
  },
  {
    name: "wrong shape: an unknown status",
    fault: (route, { jobId }) =>
      route.route === "GET /health" ? undefined : {
        json: isStream(route)
          ? { status: "PAUSED", stream: [] }
          : route.route === "POST /purge-queue"
          ? { removed: 0, status: "PAUSED" }
          : { id: jobId, status: "PAUSED" },
      },
    expect: (route) => {
      if (route.route === "GET /health") return undefined;
      // Unknown statuses are kept and treated as not terminal: /runsync goes on
      // polling /status, /stream goes on polling (after 250, 500, 1000 ms pauses).
      if (isStream(route)) {
        const again = "polled again";
        return {
          persistent: { ...resolved(route, 4, [[250, 250], [500, 500], [1000, 1000]]), again },
          once: { ...resolved(route, 2, [[250, 250]]), again },
        };
      }
      return same({ ...resolved(route, 1, []), enqueued: 0 });
    },
  },
  {
    name: "wrong shape: `stream` not an array",
    fault: (route) =>
      isStream(route) ? { json: { status: "IN_PROGRESS", stream: "1,2" } } : undefined,
    expect: (route) =>
      isStream(route)
        ? refused({ result: "RunpodError", message: /'stream' is not an array/ })(route)
        : undefined,
  },
  {
    name: "headers slower than the call's 5 s timeout",
    fault: always({ delay: 60_000 }),
    timeout: SHORT_TIMEOUT,
    expect: timedOut(false),
  },
  {
    name: "body slower than the call's 5 s timeout",
    fault: always({ slowBody: 60_000 }),
    timeout: SHORT_TIMEOUT,
    expect: timedOut(true),
  },
  {
    name: "redirect to another origin",
    fault: always({ redirect: "https://elsewhere.example/v2/steal" }),
    expect: refused({
      result: "RunpodApiError",
      status: 302,
      message: /does not follow redirects/,
      elapsed: 0,
    }),
  },
];

/** Every scenario the matrix runs. */
export interface Scenario {
  route: RouteCase;
  fault: FaultCase;
  mode: "persistent" | "once";
  outcome: Outcome;
}

export function scenarios(): Scenario[] {
  const all: Scenario[] = [];
  for (const fault of FAULTS) {
    for (const route of ROUTES) {
      const expected = fault.expect(route);
      if (!expected) continue;
      all.push({ route, fault, mode: "persistent", outcome: expected.persistent });
      all.push({ route, fault, mode: "once", outcome: expected.once });
    }
  }
  return all;
}

/** One line saying what happens, for test names and the doc. */
export function describeOutcome(outcome: Outcome): string {
  const parts: string[] = [];
  const retries = outcome.attempts - 1;
  if (retries === 0) parts.push("not retried");
  else {
    const waits = outcome.waits.map(([min, max]) => min === max ? `${min}` : `${min}–${max}`);
    parts.push(`${outcome.again ?? "retried"} ${retries}× (after ${waits.join(", ")} ms)`);
  }
  let end: string;
  if (outcome.result === "resolves") end = "resolves";
  else if (outcome.result === "StreamGapError") {
    end = `StreamGapError (cause ${outcome.cause}${outcome.status ? ` ${outcome.status}` : ""})`;
  } else end = `${outcome.result}${outcome.status ? ` ${outcome.status}` : ""}`;
  if (outcome.elapsed !== undefined && outcome.elapsed > 0) end += ` at ${outcome.elapsed} ms`;
  parts.push(end);
  if (
    outcome.items && outcome.items.length < STREAM_ITEMS.length && outcome.result === "resolves"
  ) {
    parts.push(`items [${outcome.items.join(", ")}]: the lost answer's item is gone`);
  }
  if (outcome.enqueued > 0 && outcome.result !== "resolves") {
    parts.push("the job was enqueued once");
  }
  return parts.join(" → ").replace(" → the job", "; the job").replace(" → items", "; items");
}
