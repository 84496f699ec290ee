// The rate-limited routes and a route's limit: one pair of types for the
// client's pacing (PacingOptions.limits) and the emulator's rateLimits, which
// the testing entry re-exports.
import type { RATE_LIMITS } from "./_runpod_facts.ts";

/**
 * A route RunPod rate-limits per endpoint, as the client's
 * {@linkcode PacingOptions.limits} and the emulator's `rateLimits` name it
 * (`"openai"` stands for every `/openai/v1/...` route).
 *
 * @example Naming the routes whose limits change
 * ```ts
 * import runpodSdk, { type RateLimitedRoute, type RouteLimit } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const raised: RateLimitedRoute[] = ["run", "status"];
 * const limits: { [R in RateLimitedRoute]?: RouteLimit } = Object.fromEntries(
 *   raised.map((route) => [route, { rate: 5000 }]),
 * );
 * const runpod = runpodSdk("my-key", { pacing: { limits } });
 * assert.equal(runpod.endpoint("abc").id, "abc");
 * ```
 */
export type RateLimitedRoute =
  | "run"
  | "runsync"
  | "status"
  | "stream"
  | "cancel"
  | "purge-queue"
  | "openai";

// RateLimitedRoute names exactly the routes of RunPod's table.
type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;
const _sameRoutes: Same<RateLimitedRoute, keyof typeof RATE_LIMITS.routes> = true;

/**
 * The name of {@linkcode RateLimitedRoute} in pacing options.
 *
 * @deprecated Use {@linkcode RateLimitedRoute} (the same union); this alias
 * goes in the next release.
 *
 * @example
 * ```ts
 * import type { PacedRoute, RateLimitedRoute } from "@runpod/sdk";
 *
 * const route: PacedRoute = "run";
 * const same: RateLimitedRoute = route;
 * ```
 */
export type PacedRoute = RateLimitedRoute;

/**
 * One route's limit: how many requests may start in any 10 s window, and how
 * many may be in flight at once (a held `/runsync` or `/stream` counts until
 * it answers). An unset field stays RunPod's documented base limit. The
 * client's pacing takes positive integers; the emulator's `rateLimits` also
 * take `0` and `Infinity` (to lift a limit).
 *
 * @example Raising the /run limit of an endpoint with many workers
 * ```ts
 * import runpodSdk, { type RouteLimit } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const run: RouteLimit = { rate: 3000, concurrent: 600 };
 * const runpod = runpodSdk("my-key", { pacing: { limits: { run } } });
 * assert.equal(runpod.endpoint("abc").id, "abc");
 * ```
 *
 * @example A stricter /cancel limit in the emulator
 * ```ts
 * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
 * import { createEmulator, type RouteLimit } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const cancel: RouteLimit = { rate: 1 };
 * await using emulator = createEmulator({ rateLimits: { cancel }, workers: 0 });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const { id } = await endpoint.run({ input: 1 });
 * await endpoint.cancel(id);
 * await assert.rejects(endpoint.cancel(id, { maxRetries: 0 }), (error) => {
 *   assert.ok(error instanceof RunpodApiError);
 *   assert.equal(error.status, 429);
 *   return true;
 * });
 * ```
 */
export interface RouteLimit {
  /**
   * Requests that may start in any 10 s window.
   *
   * @default {RunPod's documented base limit of the route}
   */
  rate?: number;
  /**
   * Requests that may be in flight at once.
   *
   * @default {RunPod's documented base limit of the route}
   */
  concurrent?: number;
}

/**
 * How a client paces its requests (the client option `pacing`). By default a
 * client keeps, for each endpoint and each route, RunPod's documented base
 * limits (`/run` 1,000 per 10 s and 200 at once, `/runsync` 2,000 and 400,
 * `/status` and `/stream` 2,000 and 400, `/cancel` 100 and 20,
 * `/purge-queue` 2), shared by every `Endpoint` object of the client with
 * the same id: a burst waits its turn instead of collecting 429 answers.
 * Waiting counts against the call's timeout and ends with its signal. A 429
 * slows the route down (for its `Retry-After` when sent). RunPod raises an
 * endpoint's limits with its running workers: raise them here to match, or
 * pass `pacing: false` to send at once.
 *
 * @example Pacing options
 * ```ts
 * import runpodSdk, { type PacingOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const pacing: PacingOptions = { limits: { run: { rate: 5000 }, status: { concurrent: 1000 } } };
 * const paced = runpodSdk("my-key", { pacing });
 * const unpaced = runpodSdk("my-key", { pacing: false });
 * assert.equal(paced.endpoint("abc").id, unpaced.endpoint("abc").id);
 * ```
 */
export interface PacingOptions {
  /**
   * Limits by route, each field defaulting to RunPod's documented base limit.
   *
   * @default {{}}
   */
  limits?: { [route in RateLimitedRoute]?: RouteLimit };
}
