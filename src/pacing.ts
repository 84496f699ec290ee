/** The routes RunPod documents a rate limit for, as {@linkcode PacingOptions.limits} names them. */
export type PacedRoute =
  | "run"
  | "runsync"
  | "status"
  | "stream"
  | "cancel"
  | "purge-queue"
  | "openai";

/**
 * One route's pace: how many requests may start per 10 s window, and how many
 * may be in flight at once.
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
  limits?: { [route in PacedRoute]?: RouteLimit };
}
