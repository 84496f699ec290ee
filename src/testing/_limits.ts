import type { Clock } from "../clock.ts";
import { RATE_LIMITS } from "../_runpod_facts.ts";
import { errorAnswer } from "./_http.ts";
import type { RateLimitedRoute, RouteLimit } from "../pacing.ts";
import { checkKnownKeys, type KnownKeys } from "../_known_keys.ts";

/**
 * The name of {@linkcode RateLimitedRoute} in the testing entry.
 *
 * @deprecated Use {@linkcode RateLimitedRoute} (the same union); this alias
 * goes in the next release.
 *
 * @example
 * ```ts
 * import type { LimitedRoute, RateLimitedRoute } from "@runpod/sdk/testing";
 *
 * const route: LimitedRoute = "run";
 * const same: RateLimitedRoute = route;
 * ```
 */
export type LimitedRoute = RateLimitedRoute;

/**
 * The emulator's rate limits: `true` for RunPod's (the default), `false` for
 * none, or RunPod's with some routes' limits changed.
 *
 * @example Lifting the /run limit for a test that submits many jobs
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type RateLimits } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const rateLimits: RateLimits = { run: { rate: Infinity, concurrent: Infinity } };
 * await using emulator = createEmulator({ rateLimits, deepQueue: false, workers: 0 });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * for (let i = 0; i < 1_200; i++) await endpoint.run({ input: i }); // RunPod allows 1,000 per 10 s
 * assert.equal(emulator.jobs.length, 1_200);
 * ```
 */
export type RateLimits = boolean | { [R in RateLimitedRoute]?: RouteLimit };

const LIMIT_KEYS: KnownKeys = new Set(["rate", "concurrent"]);

interface Limit {
  rate: number;
  concurrent: number;
}

/** Counts requests per endpoint and route and refuses those over the limit. */
export class RateLimiter {
  #limits: Map<string, Limit> | undefined;
  #clock: Clock;
  #accepted = new Map<string, number[]>();
  #inFlight = new Map<string, number>();

  constructor(limits: RateLimits, clock: Clock) {
    this.#clock = clock;
    if (limits === false) return;
    if (limits !== true && (limits === null || typeof limits !== "object")) {
      throw new TypeError(
        "Cannot create emulator: rateLimits must be true, false or { run: { rate, concurrent }, ... }",
      );
    }
    this.#limits = new Map();
    for (const [route, base] of Object.entries(RATE_LIMITS.routes)) {
      const override = limits === true ? undefined : limits[route as RateLimitedRoute];
      if (typeof override === "object" && override !== null) {
        checkKnownKeys(`create emulator (rateLimits.${route})`, override, LIMIT_KEYS);
      }
      const limit = {
        rate: override?.rate ?? base.rate,
        concurrent: override?.concurrent ?? base.concurrent,
      };
      for (const [name, value] of Object.entries(limit)) {
        if (!(typeof value === "number" && value >= 0 && !Number.isNaN(value))) {
          throw new RangeError(
            `Cannot create emulator: rateLimits.${route}.${name} must be a non-negative number, received ${value}`,
          );
        }
      }
      this.#limits.set(route, limit);
    }
    for (const route of Object.keys(limits === true ? {} : limits)) {
      if (!this.#limits.has(route)) {
        throw new TypeError(
          `Cannot create emulator: rateLimits has no route '${route}' (RunPod limits ${
            [...this.#limits.keys()].join(", ")
          })`,
        );
      }
    }
  }

  /**
   * Admits a request to `route` of `endpointId`: a release function to call
   * once it has been answered, or a 429 answer when it is over the limit.
   */
  admit(endpointId: string, route: RateLimitedRoute): (() => void) | Response {
    const limit = this.#limits?.get(route);
    if (!limit) return () => {};
    const key = `${endpointId}\u0000${route}`;
    const now = this.#clock.now();
    let times = this.#accepted.get(key);
    if (!times) this.#accepted.set(key, times = []);
    while (times.length > 0 && times[0]! <= now - RATE_LIMITS.window) times.shift();
    const inFlight = this.#inFlight.get(key) ?? 0;
    if (times.length >= limit.rate) {
      return errorAnswer(
        429,
        `Too many requests: /${route} of endpoint '${endpointId}' accepts ${limit.rate} requests per ${
          RATE_LIMITS.window / 1000
        } s`,
      );
    }
    if (inFlight >= limit.concurrent) {
      return errorAnswer(
        429,
        `Too many requests: /${route} of endpoint '${endpointId}' accepts ${limit.concurrent} requests at once`,
      );
    }
    times.push(now);
    this.#inFlight.set(key, inFlight + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#inFlight.get(key) ?? 1) - 1;
      if (left === 0) this.#inFlight.delete(key);
      else this.#inFlight.set(key, left);
    };
  }
}
