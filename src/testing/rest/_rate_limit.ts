import type { Clock } from "../../clock.ts";

/** What the rate limiter says about one request. */
export interface RateVerdict {
  /** Whether the request is within the quota (it then counts against it). */
  allowed: boolean;
  /** `RateLimit` and `RateLimit-Policy` (and `Retry-After` when refused). */
  headers: Record<string, string>;
}

/**
 * A per-minute request quota in fixed windows of the clock (minute 0 starts
 * at clock time 0), told to clients with the IETF draft headers RunPod sends:
 * `RateLimit: "minute";r=<remaining>;t=<seconds to reset>` and
 * `RateLimit-Policy: "minute";q=<quota>;w=60`.
 */
export class RateLimiter {
  #clock: Clock;
  #quota: number;
  #window: number;
  #start = Number.NEGATIVE_INFINITY;
  #used = 0;

  constructor(clock: Clock, quota: number, window: number) {
    this.#clock = clock;
    this.#quota = quota;
    this.#window = window;
  }

  /** Counts a request if the quota allows it. */
  take(): RateVerdict {
    const now = this.#clock.now();
    const start = Math.floor(now / this.#window) * this.#window;
    if (start !== this.#start) {
      this.#start = start;
      this.#used = 0;
    }
    const allowed = this.#used < this.#quota;
    if (allowed) this.#used++;
    const reset = Math.max(1, Math.ceil((start + this.#window - now) / 1000));
    const seconds = this.#window / 1000;
    const headers: Record<string, string> = {
      "ratelimit": `"minute";r=${this.#quota - this.#used};t=${reset}`,
      "ratelimit-policy": `"minute";q=${this.#quota};w=${seconds}`,
    };
    if (!allowed) headers["retry-after"] = String(reset);
    return { allowed, headers };
  }
}
