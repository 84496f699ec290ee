// The management API's own option and result types (the spec's schemas are in
// schemas.gen.ts).
import type { CallOptions } from "../types.ts";
import type { BillingBucketSize, LogSource } from "./schemas.gen.ts";

/**
 * One rate-limit window of the management API (`minute`, `hour`, `day`), as
 * the `RateLimit` and `RateLimit-Policy` headers of the latest answer said.
 *
 * @example Reading the minute window
 * ```ts
 * import type { RateLimitWindow } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const minute: RateLimitWindow = { name: "minute", remaining: 0, resetIn: 12_000, quota: 60, window: 60_000 };
 * assert.equal(minute.remaining === 0 ? minute.resetIn : 0, 12_000);
 * ```
 */
export interface RateLimitWindow {
  /** The window's name, such as `"minute"`. */
  name: string;
  /** Requests left in the window. */
  remaining?: number;
  /** Time until the window resets, in ms (from the time of the answer). */
  resetIn?: number;
  /** Requests the window allows. */
  quota?: number;
  /** The window's length, in ms. */
  window?: number;
}

/**
 * The management API's quota as the latest answer reported it.
 *
 * @example Checking the quota left
 * ```ts
 * import type { RateLimit } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const limit: RateLimit = { observedAt: 0, windows: [{ name: "minute", remaining: 59 }] };
 * assert.equal(Math.min(...limit.windows.map((w) => w.remaining ?? Infinity)), 59);
 * ```
 */
export interface RateLimit {
  /** When the answer arrived, in ms since the epoch (on the client's clock). */
  observedAt: number;
  /** Each window, merged from both headers. */
  windows: RateLimitWindow[];
}

/**
 * Options of a `list()` or `pages()` call.
 *
 * @example Asking for pages of 50
 * ```ts
 * import type { ListOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: ListOptions = { limit: 50, timeout: 60_000 };
 * assert.equal(options.limit, 50);
 * ```
 */
export interface ListOptions extends CallOptions {
  /**
   * The page size to ask for (`?limit=`), for a server that pages; RunPod's
   * spec of 2026-08 does not page, and then every item comes in one answer.
   */
  limit?: number;
}

/**
 * One line of a pod's or a worker's log.
 *
 * @example A log line
 * ```ts
 * import type { LogLine } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const line: LogLine = { source: "container", line: "Worker ready.", ts: "2026-06-01T12:05:04Z" };
 * assert.equal(line.source, "container");
 * ```
 */
export interface LogLine {
  /** Where the line comes from: `container` (the container's output) or `system`. */
  source: LogSource | (string & Record<never, never>);
  /** The text of the line. */
  line: string;
  /** When it was written (RFC 3339). */
  ts: string;
}

/**
 * Options of `endpoints.logs()` and `pods.logs()`.
 *
 * @example Following a worker's container log from the last 10 lines
 * ```ts
 * import type { LogOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: LogOptions = { source: "container", tail: 10, follow: true };
 * assert.equal(options.follow, true);
 * ```
 */
export interface LogOptions extends CallOptions {
  /** Only this source; both when omitted. */
  source?: LogSource;
  /** How many past lines to send first (0 to 5000; RunPod's default is 100). */
  tail?: number;
  /** Start from this time instead (RFC 3339 text or a `Date`); `tail` is then ignored. */
  since?: string | Date;
  /**
   * Keep reading new lines until `break`, the `signal` or the `timeout`; a
   * dropped connection is resumed where it stopped (`Last-Event-ID`), with no
   * line repeated or lost.
   *
   * @default false
   */
  follow?: boolean;
  /**
   * Without `follow`: the logs so far are taken to have all arrived once no
   * line came for this long, in ms, and the generator ends (it also ends when
   * the server ends the stream).
   *
   * @default 2000
   */
  idle?: number;
}

/**
 * The time range of a billing call: `startTime` and `endTime` (RFC 3339 text
 * or `Date`), or `lastN` buckets; and the bucket size.
 *
 * @example The last 7 days, by day
 * ```ts
 * import type { BillingOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: BillingOptions = { bucketSize: "day", lastN: 7 };
 * assert.equal(options.lastN, 7);
 * ```
 */
export interface BillingOptions extends CallOptions {
  /** The start of the range (RunPod's default: 30 days ago). */
  startTime?: string | Date;
  /** The end of the range, exclusive (RunPod's default: now). */
  endTime?: string | Date;
  /** The size of each bucket (RunPod's default: `day`). */
  bucketSize?: BillingBucketSize;
  /** The last N buckets, up to now: instead of `startTime`/`endTime`. */
  lastN?: number;
}
