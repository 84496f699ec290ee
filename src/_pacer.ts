// Client-side pacing: for each endpoint and route, at most `rate` requests
// start in any window of RunPod's length and at most `concurrent` are in
// flight, so that a burst waits its turn instead of collecting 429 answers.
// One Pacer per client, shared by its Endpoint objects.
import type { Clock } from "./clock.ts";
import type { PacingOptions, RateLimitedRoute, RouteLimit } from "./pacing.ts";
import { RATE_LIMITS } from "./_runpod_facts.ts";
import { checkKnownKeys, type KnownKeys } from "./_known_keys.ts";

/**
 * Kept between two requests a full window apart: the server counts arrivals,
 * which come a little later or sooner than the sends, in ms per window.
 */
const EDGE_FRACTION = 1 / 50;
/** After a 429 without Retry-After, the rate is halved, down to this fraction at most. */
const MIN_SCALE = 1 / 16;
/** How many windows a halved rate takes to grow back to the full rate. */
const RECOVERY_WINDOWS = 5;

/** Ends one request's turn: call it once the answer is in (harmless twice). */
export type Release = () => void;

/** The pacing of one client: for each endpoint and paced route, its limits, recent sends and queue. */
export interface Pacer {
  /**
   * Takes a turn of `route` (a route name such as `"POST /run"`) on the
   * endpoint: returns its release at once when the limits allow (and for a
   * route RunPod documents no limit for), else a promise of it that rejects
   * with the signal's reason when it aborts first. (Not a promise in every
   * case: awaiting one costs a call a microtask turn.)
   */
  acquire(endpointId: string, route: string, signal?: AbortSignal): Release | Promise<Release>;
  /** Slows the route down after a 429: for `retryAfter` ms when the server said so, else halves its rate for a while. */
  slowDown(endpointId: string, route: string, retryAfter: number | undefined): void;
}

/** One endpoint's route. */
interface Lane {
  acquire(signal: AbortSignal | undefined): Release | Promise<Release>;
  slowDown(retryAfter: number | undefined): void;
  /** Whether the lane holds nothing: no waiter, nothing in flight, no recent send. */
  idle(): boolean;
}

interface Waiter {
  resolve(release: Release): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** The release of a route without limits. */
const noRelease: Release = () => {};

/** Makes the pacing of one client, shared by its Endpoint objects. */
export function makePacer(clock: Clock, options: PacingOptions = {}): Pacer {
  const limits = new Map<string, Required<RouteLimit>>();
  for (const [route, base] of Object.entries(RATE_LIMITS.routes)) {
    const given = options.limits?.[route as RateLimitedRoute];
    limits.set(route, {
      rate: given?.rate ?? base.rate,
      concurrent: given?.concurrent ?? base.concurrent,
    });
  }
  const lanes = new Map<string, Lane>();
  /** The limits' name of each route name seen ("GET /status" → "status"): read once per route. */
  const names = new Map<string, string>();
  const laneOf = (endpointId: string, route: string): Lane | undefined => {
    let name = names.get(route);
    if (name === undefined) {
      name = /^[A-Z]+ \/([^/]+)/.exec(route)?.[1] ?? "";
      names.set(route, name);
    }
    const limit = limits.get(name);
    if (!limit) return undefined;
    const key = `${endpointId} ${name}`;
    let lane = lanes.get(key);
    if (!lane) {
      // Drops lanes that hold nothing, so a client that talks to many endpoints stays small.
      if (lanes.size > 256) { for (const [k, idle] of lanes) if (idle.idle()) lanes.delete(k); }
      lanes.set(key, lane = makeLane(clock, limit));
    }
    return lane;
  };
  return {
    acquire: (endpointId, route, signal) => laneOf(endpointId, route)?.acquire(signal) ?? noRelease,
    slowDown: (endpointId, route, retryAfter) => laneOf(endpointId, route)?.slowDown(retryAfter),
  };
}

/**
 * One endpoint's route: at most `rate` sends in any window (plus its edge) and
 * `concurrent` in flight; waiters go in order, a timer lets the next one go.
 */
function makeLane(clock: Clock, { rate, concurrent }: Required<RouteLimit>): Lane {
  const window = RATE_LIMITS.window;
  /** How long a send counts against the rate: the window and its edge. */
  const span = window + window * EDGE_FRACTION;
  /** The last `rate` send times, a ring: send number n is at n % rate. */
  const sent: number[] = [];
  let sends = 0;
  let inFlight = 0;
  /** The queue, from `head` on. */
  const waiters: Waiter[] = [];
  let head = 0;
  let cancelTimer: (() => void) | undefined;
  let timerAt = Infinity;
  let blockedUntil = -Infinity;
  /** The fraction of `rate` in force after a 429 (1 before any), and since when. */
  let scale = 1;
  let scaledAt = -Infinity;

  const currentScale = (now: number) =>
    Math.min(1, scale + (now - scaledAt) / (window * RECOVERY_WINDOWS));

  /** Milliseconds until a request may start now (0: at once), or Infinity while all slots are taken. */
  const canGo = (now: number): number => {
    if (inFlight >= concurrent) return Infinity;
    // The rate in force; the send that many sends ago must be out of the window.
    const allowed = Math.max(1, Math.floor(rate * currentScale(now)));
    const at = sends < allowed
      ? blockedUntil
      : Math.max(blockedUntil, sent[(sends - allowed) % rate]! + span);
    return Math.max(0, at - now);
  };

  const grant = (): Release => {
    sent[sends++ % rate] = clock.now();
    inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight--;
      pump();
    };
  };

  const stopTimer = () => {
    cancelTimer?.();
    cancelTimer = undefined;
    timerAt = Infinity;
  };

  /** Lets waiters go, oldest first, while the limits allow; sets a timer for the next. */
  const pump = (): void => {
    let wait = 0;
    while (head < waiters.length && (wait = canGo(clock.now())) === 0) {
      const waiter = waiters[head++]!;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(grant());
    }
    if (head > 1024 && head * 2 > waiters.length) {
      waiters.splice(0, head);
      head = 0;
    }
    if (head === waiters.length) stopTimer();
    else if (wait < Infinity && clock.now() + wait < timerAt) {
      // A sooner turn than the timer set (a release will pump while all slots are taken).
      stopTimer();
      timerAt = clock.now() + wait;
      cancelTimer = clock.setTimer(() => {
        cancelTimer = undefined;
        timerAt = Infinity;
        pump();
      }, wait);
    }
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (head === waiters.length && canGo(clock.now()) === 0) return grant();
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          resolve,
          signal,
          onAbort: () => {
            const i = waiters.indexOf(waiter, head);
            if (i >= 0) waiters.splice(i, 1);
            reject(signal?.reason);
            pump();
          },
        };
        signal?.addEventListener("abort", waiter.onAbort, { once: true });
        waiters.push(waiter);
        pump();
      });
    },
    slowDown(retryAfter) {
      const now = clock.now();
      if (retryAfter !== undefined) {
        blockedUntil = Math.max(blockedUntil, now + retryAfter);
      } else {
        scale = Math.max(MIN_SCALE, currentScale(now) / 2);
        scaledAt = now;
      }
      pump();
    },
    idle: () =>
      head === waiters.length && inFlight === 0 &&
      (sends === 0 || sent[(sends - 1) % rate]! + span <= clock.now()),
  };
}

/** Checks the client option `pacing`: `false`, or `{ limits }` with positive integers. */
const PACING_KEYS: KnownKeys = new Set(["limits"]);
const LIMIT_KEYS: KnownKeys = new Set(["rate", "concurrent"]);

export function checkPacing(pacing: unknown): PacingOptions | false {
  const where = "Cannot create the RunPod client: pacing";
  if (pacing === false) return false;
  if (pacing === undefined) return {};
  if (pacing === null || typeof pacing !== "object" || Array.isArray(pacing)) {
    throw new TypeError(
      `${where} must be false or an object such as { limits: { run: { rate: 2000 } } }`,
    );
  }
  checkKnownKeys("create the RunPod client (pacing)", pacing, PACING_KEYS);
  const { limits } = pacing as PacingOptions;
  if (limits === undefined) return {};
  if (limits === null || typeof limits !== "object" || Array.isArray(limits)) {
    throw new TypeError(`${where}.limits must be an object of routes`);
  }
  for (const [route, limit] of Object.entries(limits)) {
    if (!Object.hasOwn(RATE_LIMITS.routes, route)) {
      throw new TypeError(
        `${where}.limits has an unknown route '${route}': expected one of ${
          Object.keys(RATE_LIMITS.routes).join(", ")
        }`,
      );
    }
    if (limit === null || typeof limit !== "object") {
      throw new TypeError(`${where}.limits.${route} must be an object such as { rate: 2000 }`);
    }
    checkKnownKeys(`create the RunPod client (pacing.limits.${route})`, limit, LIMIT_KEYS);
    for (const field of ["rate", "concurrent"] as const) {
      const value = (limit as RouteLimit)[field];
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
        throw new RangeError(
          `${where}.limits.${route}.${field} must be a positive integer, received ${value}`,
        );
      }
    }
  }
  return pacing as PacingOptions;
}
