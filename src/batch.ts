// What a batch of the Batch Jobs API (beta) is: its public types and
// isBatchDone, below both the client (batches.ts) and its lazily loaded code
// (_batches.ts, _batch_routes.ts), which import them from here.
import type { CallOptions } from "./types.ts";

/** A batch's status: `DRAFT` until finalized; `FAILED` and `CANCELLED` are final. */
export type BatchStatus = "DRAFT" | "FINALIZED" | "FAILED" | "CANCELLED";

/**
 * A batch of the Batch Jobs API (beta), as `GET /{endpointId}/batch/{id}`
 * answers it. A FINALIZED batch is done once `requestCompleted +
 * requestFailed === requestTotal` (see {@linkcode isBatchDone}).
 *
 * @example Reading a batch's counts
 * ```ts
 * import { type Batch, isBatchDone } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const batch: Batch = {
 *   id: "batch-1",
 *   endpointId: "abc",
 *   status: "FINALIZED",
 *   requestTotal: 3,
 *   requestInProgress: 0,
 *   requestCompleted: 2,
 *   requestFailed: 1,
 *   createdAt: "2026-01-01T00:00:00.000Z",
 * };
 * assert.equal(isBatchDone(batch), true);
 * ```
 */
export interface Batch {
  /** The batch id. */
  id: string;
  /** The endpoint it runs on. */
  endpointId: string;
  /** Its status. */
  status: BatchStatus;
  /** How many requests it holds. */
  requestTotal: number;
  /** Requests queued or running. */
  requestInProgress: number;
  /** Requests whose job COMPLETED. */
  requestCompleted: number;
  /** Requests whose job did not complete (FAILED, TIMED_OUT, CANCELLED). */
  requestFailed: number;
  /** When it was created (ISO 8601). */
  createdAt: string;
}

/**
 * One request of a batch, as `GET /{endpointId}/batch/{id}/requests` lists
 * it. RunPod does not document its fields: the SDK checks only that it is an
 * object and passes every field through; the emulator answers
 * `{ index, id?, status, output?, error?, delayTime?, executionTime? }`.
 *
 * @typeParam O The shape of the worker's `output`.
 *
 * @example A request of a batch
 * ```ts
 * import type { BatchRequest } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const request: BatchRequest<number> = { index: 0, id: "job-1", status: "COMPLETED", output: 4 };
 * assert.equal(request.output, 4);
 * ```
 */
export interface BatchRequest<O = unknown> {
  /** Its place in the batch. */
  index?: number;
  /** Its job id, once the batch is finalized. */
  id?: string;
  /** Its status: its job's once finalized. */
  status?: string;
  /** Its job's output. */
  output?: O;
  /** Its job's error. */
  error?: unknown;
  /** Any other field RunPod sends. */
  [field: string]: unknown;
}

/**
 * One page of a batch's requests.
 *
 * @typeParam O The shape of the worker's `output`.
 *
 * @example A page
 * ```ts
 * import type { BatchPage } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const page: BatchPage = { requests: [], total: 0, offset: 0, limit: 100, hasMore: false };
 * assert.equal(page.hasMore, false);
 * ```
 */
export interface BatchPage<O = unknown> {
  /** The requests from `offset`. */
  requests: BatchRequest<O>[];
  /** How many requests the batch holds. */
  total: number;
  /** The index of the first request of the page. */
  offset: number;
  /** The most requests a page holds. */
  limit: number;
  /** Whether requests follow this page. */
  hasMore: boolean;
}

/**
 * Options of {@linkcode BatchJobs.waitFor}.
 *
 * @example Waiting for a batch with a timeout
 * ```ts
 * import type { BatchWaitOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: BatchWaitOptions = { timeout: 3_600_000, cancelOnAbort: true };
 * assert.equal(options.cancelOnAbort, true);
 * ```
 */
export interface BatchWaitOptions extends CallOptions {
  /**
   * Called with the batch each time its status or counts change.
   *
   * @default {undefined}
   */
  onStatus?: (batch: Batch) => void;
  /**
   * When true, a batch not done when the wait times out or is aborted is
   * cancelled, so nobody pays for results no one will read.
   *
   * @default {false}
   */
  cancelOnAbort?: boolean;
}

/**
 * Whether a batch is done: FAILED, CANCELLED, or FINALIZED with every
 * request completed or failed.
 *
 * @param batch The batch, as {@linkcode BatchJobs.get} resolves it.
 * @returns True once nothing of it will run any more.
 *
 * @example
 * ```ts
 * import { isBatchDone } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const counts = { requestTotal: 2, requestInProgress: 1, requestCompleted: 1, requestFailed: 0 };
 * const batch = { id: "b", endpointId: "e", createdAt: "", ...counts };
 * assert.equal(isBatchDone({ ...batch, status: "FINALIZED" }), false);
 * assert.equal(isBatchDone({ ...batch, status: "CANCELLED" }), true);
 * ```
 */
export function isBatchDone(batch: Batch): boolean {
  if (batch.status === "FAILED" || batch.status === "CANCELLED") return true;
  return batch.status === "FINALIZED" &&
    batch.requestCompleted + batch.requestFailed >= batch.requestTotal;
}
