// The management API's own option and result types (the spec's schemas are in
// schemas.gen.ts).
import type { CallOptions } from "../types.ts";
import type { BillingBucketSize, LogSource } from "./schemas.gen.ts";

/**
 * One rate-limit window of the management API (`minute`, `hour`, `day`), as
 * the `RateLimit` and `RateLimit-Policy` headers of the latest answer said.
 *
 * @example Reading the minute window after the last request it allows
 * ```ts
 * import runpodSdk, { type RateLimitWindow } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({ clock, rest: { requestsPerMinute: 1 } });
 * const { restUrl, fetch } = emulator;
 * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
 * await runpod.catalog.gpus();
 * const minute: RateLimitWindow | undefined = runpod.rateLimit?.windows[0];
 * assert.equal(minute?.name, "minute");
 * assert.equal(minute?.remaining, 0);
 * assert.equal(minute?.resetIn, 60_000); // ms until the next request is allowed
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
 * import runpodSdk, { type RateLimit } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator(); // 60 requests a minute, as RunPod's spec shows
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * await runpod.endpoints.list();
 * const limit: RateLimit = runpod.rateLimit!;
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
 * @example Asking for pages of 2
 * ```ts
 * import runpodSdk, { type ListOptions } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({ endpoints: ["ep-a", "ep-b", "ep-c"] });
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const options: ListOptions = { limit: 2, timeout: 60_000 };
 * let pages = 0;
 * for await (const _page of runpod.endpoints.pages(options)) pages++;
 * assert.equal(pages, 2);
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
 * @example The first line of a pod's log
 * ```ts
 * import runpodSdk, { type LogLine } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const cpu = { id: "cpu3c", vcpuCount: 2 };
 * const pod = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
 * let first: LogLine | undefined;
 * for await (const line of runpod.pods.logs(pod.id)) {
 *   first = line;
 *   break; // closes the connection
 * }
 * assert.deepEqual([first?.source, first?.line], ["system", `Pod ${pod.id} is PROVISIONING`]);
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
 * @example Following a pod's system log until it runs
 * ```ts
 * import runpodSdk, { type LogOptions } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock(); // the pod's 5 s of start-up pass at once
 * await using emulator = createEmulator({ clock });
 * const { restUrl, fetch } = emulator;
 * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
 * const gpu = { id: "NVIDIA L4", count: 1 };
 * const pod = await runpod.pods.create({ name: "dev", image: "me/dev:1", gpu });
 * const options: LogOptions = { source: "system", follow: true };
 * for await (const log of runpod.pods.logs(pod.id, options)) {
 *   if (log.line.endsWith("RUNNING")) break;
 * }
 * assert.equal((await runpod.pods.get(pod.id)).status, "RUNNING");
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
 * @example The last 7 days, by day; a range is lastN or startTime/endTime, not both
 * ```ts
 * import runpodSdk, { type BillingOptions } from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const options: BillingOptions = { bucketSize: "day", lastN: 7 };
 * const { metadata } = await runpod.billing.all(options);
 * assert.equal(metadata.query.bucketSize, "day");
 * const both: BillingOptions = { lastN: 7, startTime: new Date(Date.now() - 86_400_000) };
 * await assert.rejects(runpod.billing.all(both), TypeError);
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
