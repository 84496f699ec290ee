// When to retry and how long to wait first.

/** The longest Retry-After the SDK will honour; a longer one fails the call at once. */
export const RETRY_AFTER_CAP = 60_000;
const BACKOFF_BASE = 500;
const BACKOFF_CAP = 8_000;

/**
 * Parses a Retry-After header: delay-seconds or an HTTP date.
 * Returns milliseconds to wait, or undefined where absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with equal jitter: half fixed, half random. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * What resending a request risks, the one vocabulary of retries (the client,
 * the fault matrix and docs/reliability.md use these names):
 * - `"nothing"`: the route reads, or its effect is the same when repeated
 *   (`/status`, `/health`, `/cancel`, `/purge-queue`, a GET, PATCH or DELETE of
 *   the management API): retried on 408, 429, 5xx and lost or cut-off answers.
 * - `"double-bill"`: a resend may start a second paid job (`/run`,
 *   `/runsync`, `/retry`): retried only on 429 (nothing was done); any other
 *   failure rejects at once, saying the job may exist.
 * - `"lost-items"`: a `/stream` poll drains the server's buffer, so a lost
 *   answer loses items: retried only on 429; a failure after which items may be
 *   lost is a StreamGapError (unless `allowGaps`, which makes it `"nothing"`).
 * - `"duplicate"`: a create of the management API may create the resource
 *   twice: retried only on 429; after a 5xx or a lost answer the error says
 *   it may exist and how to find it (list by name).
 */
export type Risk = "nothing" | "double-bill" | "lost-items" | "duplicate";

/** Whether a failed attempt of a route with this risk may be sent again. */
export function retryable(status: number | undefined, risk: Risk): boolean {
  // A 429 was refused before anything was done; a lost answer (no status) or a
  // 408/5xx may come after the request took effect.
  return status === 429 ||
    risk === "nothing" && (status === undefined || status === 408 || status >= 500);
}
