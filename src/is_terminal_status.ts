import type { JobStatus, TerminalStatus } from "./types.ts";

const TERMINAL: ReadonlySet<string> = new Set(["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"]);

/**
 * Tells whether a job status is final: COMPLETED, FAILED, CANCELLED or
 * TIMED_OUT. Unknown statuses (such as the documented but unseen `RUNNING`)
 * are not final.
 *
 * @param status A job's status.
 * @returns `true` when the job will not change again.
 *
 * @example
 * ```ts
 * import { isTerminalStatus } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isTerminalStatus("FAILED"), true);
 * assert.equal(isTerminalStatus("IN_PROGRESS"), false);
 * assert.equal(isTerminalStatus("SOMETHING_NEW"), false);
 * ```
 */
export function isTerminalStatus(status: JobStatus): status is TerminalStatus {
  return TERMINAL.has(status);
}
