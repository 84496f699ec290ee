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
 * How a route may be retried.
 * - "idempotent": on 408, 429, 5xx and network errors.
 * - "refused": only on 429 (nothing was done), for routes where a resend may
 *   start a second paid job or lose drained stream items.
 */
export type RetryClass = "idempotent" | "refused";

export function retryableStatus(status: number, retry: RetryClass): boolean {
  if (status === 429) return true;
  return retry === "idempotent" && (status === 408 || status >= 500);
}
