// Client-side pacing: for each endpoint and route, at most `rate` requests
// start in any window of RunPod's length and at most `concurrent` are in
// flight, so that a burst waits its turn instead of collecting 429 answers.
// One Pacer per client, shared by its Endpoint objects.
import type { Clock } from "./clock.ts";
import type { PacedRoute, PacingOptions, RouteLimit } from "./pacing.ts";
import { RATE_LIMITS } from "./_runpod_facts.ts";

/**
 * Kept between two requests a full window apart: the server counts arrivals,
 * which come a little later or sooner than the sends, in ms per window.
 */
const EDGE_FRACTION = 1 / 50;
/** After a 429 without Retry-After, the rate is halved, down to this fraction at most. */
const MIN_SCALE = 1 / 16;
/** How many windows a halved rate takes to grow back to the full rate. */
const RECOVERY_WINDOWS = 5;

// Every paced route has RunPod's limits, and every route of the facts is paced.
const _sameRoutes: [
  Record<PacedRoute, RouteLimit>,
  Record<keyof typeof RATE_LIMITS.routes, unknown>,
] = [RATE_LIMITS.routes, {} as Record<PacedRoute, unknown>];

/** Ends one request's turn: call it once the answer is in (harmless twice). */
export type Release = () => void;

interface Waiter {
  resolve(release: Release): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** One endpoint's route: its limits, its recent sends, its queue. */
class Lane {
  readonly rate: number;
  readonly concurrent: number;
  #clock: Clock;
  #window: number;
  /** Send times within the last window, oldest first, from `#head`. */
  #sent: number[] = [];
  #head = 0;
  #inFlight = 0;
  #waiters: Waiter[] = [];
  #waitHead = 0;
  #cancelTimer: (() => void) | undefined;
  #timerAt = Infinity;
  #blockedUntil = -Infinity;
  /** The fraction of `rate` in force after a 429, and since when. */
  #scale = 1;
  #scaledAt = -Infinity;

  constructor(clock: Clock, window: number, limit: Required<RouteLimit>) {
    this.#clock = clock;
    this.#window = window;
    this.rate = limit.rate;
    this.concurrent = limit.concurrent;
  }

  acquire(signal: AbortSignal | undefined): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#waitHead === this.#waiters.length && this.#canGo(this.#clock.now()) === 0) {
      return Promise.resolve(this.#grant());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.#waiters.indexOf(waiter, this.#waitHead);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal?.reason);
          this.#pump();
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** A 429: wait `retryAfter` ms when the server said so, else halve the rate for a while. */
  slowDown(retryAfter: number | undefined): void {
    const now = this.#clock.now();
    if (retryAfter !== undefined) {
      this.#blockedUntil = Math.max(this.#blockedUntil, now + retryAfter);
    } else {
      this.#scale = Math.max(MIN_SCALE, this.#currentScale(now) / 2);
      this.#scaledAt = now;
    }
    this.#pump();
  }

  /** Whether the lane holds nothing: no waiter, nothing in flight, no recent send. */
  idle(): boolean {
    this.#prune(this.#clock.now());
    return this.#waitHead === this.#waiters.length && this.#inFlight === 0 &&
      this.#head === this.#sent.length;
  }

  /** Milliseconds until a request may start now (0: at once), or Infinity while all slots are taken. */
  #canGo(now: number): number {
    if (this.#inFlight >= this.concurrent) return Infinity;
    let at = this.#blockedUntil;
    this.#prune(now);
    const rate = Math.max(1, Math.floor(this.rate * this.#currentScale(now)));
    const count = this.#sent.length - this.#head;
    if (count >= rate) {
      const edge = this.#window * EDGE_FRACTION;
      at = Math.max(at, this.#sent[this.#sent.length - rate]! + this.#window + edge);
    }
    return Math.max(0, at - now);
  }

  #currentScale(now: number): number {
    if (this.#scale >= 1) return 1;
    const grown = this.#scale + (now - this.#scaledAt) / (this.#window * RECOVERY_WINDOWS);
    return Math.min(1, grown);
  }

  #prune(now: number): void {
    const edge = this.#window * EDGE_FRACTION;
    while (this.#head < this.#sent.length && this.#sent[this.#head]! + this.#window + edge <= now) {
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#sent.length) {
      this.#sent.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #grant(): Release {
    this.#sent.push(this.#clock.now());
    this.#inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#pump();
    };
  }

  /** Lets waiters go, oldest first, while the limits allow; sets a timer for the next. */
  #pump(): void {
    while (this.#waitHead < this.#waiters.length) {
      const wait = this.#canGo(this.#clock.now());
      if (wait === Infinity) break; // a release will pump
      if (wait > 0) {
        this.#timer(wait);
        return;
      }
      const waiter = this.#waiters[this.#waitHead++]!;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(this.#grant());
    }
    if (this.#waitHead > 1024 && this.#waitHead * 2 > this.#waiters.length) {
      this.#waiters.splice(0, this.#waitHead);
      this.#waitHead = 0;
    }
    if (this.#waitHead === this.#waiters.length) this.#stopTimer();
  }

  #timer(wait: number): void {
    const at = this.#clock.now() + wait;
    if (this.#cancelTimer && this.#timerAt <= at) return;
    this.#stopTimer();
    this.#timerAt = at;
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    }, wait);
  }

  #stopTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAt = Infinity;
  }
}

/** The pacing of one client: a lane per endpoint and paced route. */
export class Pacer {
  #clock: Clock;
  #limits: Record<PacedRoute, Required<RouteLimit>>;
  #lanes = new Map<string, Lane>();

  constructor(clock: Clock, options: PacingOptions = {}) {
    this.#clock = clock;
    const limits = {} as Record<PacedRoute, Required<RouteLimit>>;
    for (const [route, base] of Object.entries(RATE_LIMITS.routes) as [PacedRoute, RouteLimit][]) {
      const given = options.limits?.[route];
      limits[route] = {
        rate: given?.rate ?? base.rate!,
        concurrent: given?.concurrent ?? base.concurrent!,
      };
    }
    this.#limits = limits;
  }

  /** The limits in force for `route`. */
  limit(route: PacedRoute): Required<RouteLimit> {
    return { ...this.#limits[route] };
  }

  /**
   * Waits for a turn of `route` (a route name such as `"POST /run"`) on the
   * endpoint; resolves at once for a route RunPod documents no limit for.
   * Rejects with the signal's reason when it aborts first.
   */
  acquire(endpointId: string, route: string, signal?: AbortSignal): Promise<Release> {
    const lane = this.#lane(endpointId, route);
    return lane ? lane.acquire(signal) : Promise.resolve(() => {});
  }

  /** Slows the route down after a 429 (see {@linkcode Lane.slowDown}). */
  slowDown(endpointId: string, route: string, retryAfter: number | undefined): void {
    this.#lane(endpointId, route)?.slowDown(retryAfter);
  }

  #lane(endpointId: string, route: string): Lane | undefined {
    const name = pacedRoute(route);
    if (name === undefined) return undefined;
    const key = `${endpointId} ${name}`;
    let lane = this.#lanes.get(key);
    if (!lane) {
      if (this.#lanes.size > 256) this.#forgetIdle();
      lane = new Lane(this.#clock, RATE_LIMITS.window, this.#limits[name]);
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  /** Drops lanes that hold nothing, so a client that talks to many endpoints stays small. */
  #forgetIdle(): void {
    for (const [key, lane] of this.#lanes) if (lane.idle()) this.#lanes.delete(key);
  }
}

/** The paced route a route name such as `"POST /run"` or `"POST /openai/v1/..."` belongs to. */
function pacedRoute(route: string): PacedRoute | undefined {
  const name = /^[A-Z]+ \/([^/]+)/.exec(route)?.[1];
  return name !== undefined && Object.hasOwn(RATE_LIMITS.routes, name)
    ? name as PacedRoute
    : undefined;
}

/** Checks the client option `pacing`: `false`, or `{ limits }` with positive integers. */
export function checkPacing(pacing: unknown): PacingOptions | false {
  const where = "Cannot create the RunPod client: pacing";
  if (pacing === false) return false;
  if (pacing === undefined) return {};
  if (pacing === null || typeof pacing !== "object" || Array.isArray(pacing)) {
    throw new TypeError(
      `${where} must be false or an object such as { limits: { run: { rate: 2000 } } }`,
    );
  }
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
