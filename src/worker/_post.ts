// Posting to RunPod's output and stream URLs: retried with backoff (honouring
// Retry-After) on a lost answer, 408, 429 and 5xx until delivered, refused,
// stopped, or past the deadline; never dropped after a fixed number of tries.
import { delay } from "../delay.ts";
import { backoff, parseRetryAfter } from "../_retry.ts";
import { send, type SendContext } from "./_send.ts";
import type { Log } from "./_logger.ts";

/** How long one post may wait for its answer before it counts as lost, in ms. */
export const POST_TIMEOUT = 30_000;

/** How a post ended. */
export type Posted = "delivered" | "refused" | "expired" | "aborted";

/** What posting needs. */
export interface PostContext extends SendContext {
  log: Log;
}

/** One post's options. */
export interface PostOptions {
  /** The job the post is for (`X-Request-ID`, log lines). */
  jobId: string;
  /** What the post carries, for log lines ("result", "stream item", "progress"). */
  what: string;
  /** The time (on the context's clock) after which it is not tried again. */
  deadline: number;
  /** Stops it (the job was stopped, or the worker aborted). */
  signal?: AbortSignal;
  /** The most attempts; unlimited (but for the deadline) when unset. */
  maxAttempts?: number;
}

/** Posts `body` to `url` until it is delivered or cannot be any more; never rejects. */
export async function post(
  ctx: PostContext,
  url: string,
  body: string,
  options: PostOptions,
): Promise<Posted> {
  const { jobId, what, deadline, signal, maxAttempts = Infinity } = options;
  const headers = {
    "content-type": "application/x-www-form-urlencoded",
    "x-request-id": jobId,
  };
  for (let attempt = 0;; attempt++) {
    const sent = await send(ctx, url, { method: "POST", body, headers }, POST_TIMEOUT, signal);
    if (sent.kind === "aborted") return "aborted";
    let wait: number;
    let problem: string;
    if (sent.kind === "answer") {
      if (sent.status >= 200 && sent.status < 300) return "delivered";
      problem = `answered ${sent.status}`;
      if (!(sent.status === 408 || sent.status === 429 || sent.status >= 500)) {
        ctx.log(
          "error",
          `the ${what} was refused (${problem}: ${sent.text.slice(0, 200)}); it is not sent again`,
          jobId,
        );
        return "refused";
      }
      wait = parseRetryAfter(sent.headers.get("retry-after"), ctx.clock.now()) ?? backoff(attempt);
    } else {
      problem = sent.reason;
      wait = backoff(attempt);
    }
    if (attempt + 1 >= maxAttempts || ctx.clock.now() + wait > deadline) {
      ctx.log(
        "error",
        `the ${what} could not be delivered (${problem}, ${attempt + 1} attempts); given up`,
        jobId,
      );
      return "expired";
    }
    ctx.log("warn", `posting the ${what} failed (${problem}); again in ${wait} ms`, jobId);
    try {
      await delay(wait, { clock: ctx.clock, ...(signal ? { signal } : {}) });
    } catch {
      return "aborted";
    }
  }
}
