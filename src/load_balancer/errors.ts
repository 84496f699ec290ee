// The error of a load-balancing endpoint's call that reached no worker. In a
// file of its own so that only the lazily loaded engine (_engine.ts) carries it.
import { RunpodApiError, type RunpodApiErrorOptions } from "../errors.ts";

/**
 * Why a request to a load-balancing endpoint reached no worker: RunPod's
 * `"no workers available"`, its HTTP 400 `"timed out waiting for worker"`
 * (or `worker_timeout`), or a 502 / 503 of its proxy.
 */
export type NoWorkerReason = "no-workers" | "worker-timeout" | "bad-gateway" | "unavailable";

const WHAT: Record<NoWorkerReason, string> = {
  "no-workers": 'RunPod answered "no workers available"',
  "worker-timeout": "RunPod timed out waiting for a worker to take it",
  "bad-gateway": "RunPod's proxy answered 502 (it could not reach the worker's server)",
  "unavailable": "RunPod's proxy answered 503",
};

/**
 * A request to a load-balancing endpoint reached no worker, after every
 * retry the call allowed: its last answer was one that RunPod gives when no
 * worker took the request (see {@linkcode NoWorkerReason}). No worker
 * processed it, so sending it again is safe. The message says which answer
 * it was and what to change.
 *
 * @example
 * ```ts
 * import { RunpodApiError, WorkerUnavailableError } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const error = new WorkerUnavailableError({
 *   status: 400,
 *   body: { detail: "timed out waiting for worker" },
 *   headers: new Headers(),
 *   route: "POST /generate",
 *   endpointId: "abc123",
 *   reason: "worker-timeout",
 *   attempts: 3,
 *   advice: "keep workers warm with workers.min of 1 or more",
 * });
 * assert.ok(error instanceof RunpodApiError);
 * assert.equal(error.reason, "worker-timeout");
 * assert.match(error.message, /^POST \/generate on load-balancing endpoint 'abc123' reached no worker in 3 tries/);
 * assert.match(error.message, /workers\.min/);
 * ```
 */
export class WorkerUnavailableError extends RunpodApiError {
  /** Which answer the last try got. */
  declare readonly reason: NoWorkerReason;
  /** How many requests were sent. */
  declare readonly attempts: number;
  /** The load-balancing endpoint. */
  declare readonly endpointId: string;

  /**
   * Makes the error; its message is built from `options`.
   *
   * @param options The last answer, the endpoint, the reason, the number of tries and what to change.
   */
  constructor(
    options: RunpodApiErrorOptions & {
      endpointId: string;
      reason: NoWorkerReason;
      attempts: number;
      /** What to change, for this reason. */
      advice?: string | undefined;
    },
  ) {
    super(options);
    const { advice, attempts } = options;
    this.message =
      `${options.route} on load-balancing endpoint '${options.endpointId}' reached no worker in ${attempts} ${
        attempts === 1 ? "try" : "tries"
      }: ${
        WHAT[options.reason]
      } (HTTP ${options.status}); no worker processed it, so sending it again is safe${
        advice ? `; ${advice}` : ""
      }`;
    this.name = "WorkerUnavailableError";
    this.reason = options.reason;
    this.attempts = options.attempts;
    this.endpointId = options.endpointId;
  }
}
