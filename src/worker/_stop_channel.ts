// The stop channel: a long poll of `/job-stop/` answering the ids of jobs
// RunPod has ended (cancelled, timed out), whose handlers the worker aborts.
import { delay } from "../delay.ts";
import { send, type SendContext } from "./_send.ts";
import { TAKE_SPACING, TAKE_TIMEOUT } from "./_take.ts";
import type { Log } from "./_logger.ts";
import { isPlainObject } from "../_handler_values.ts";

/** The longest wait between two stop polls after failures, in ms. */
export const STOP_POLL_BACKOFF_CAP = 30_000;

/** Polls `url` until `signal` aborts, calling `onStop` with each id to stop; never rejects. */
export async function pollStops(
  ctx: SendContext & { log: Log },
  url: string,
  signal: AbortSignal,
  onStop: (jobId: string) => void,
): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    const sentAt = ctx.clock.now();
    const sent = await send(ctx, url, { method: "GET" }, TAKE_TIMEOUT, signal);
    if (sent.kind === "aborted") return;
    let wait = 0;
    if (sent.kind === "lost" && sent.timedOut) {
      failures = 0;
    } else if (sent.kind === "answer" && sent.status === 200) {
      failures = 0;
      const ids = stopIds(sent.text);
      if (ids === undefined) {
        ctx.log(
          "warn",
          `the stop channel answered 200 with an unreadable body: ${sent.text.slice(0, 200)}`,
        );
        wait = TAKE_SPACING;
      } else {
        for (const id of ids) onStop(id);
        if (ids.length === 0) wait = sentAt + TAKE_SPACING - ctx.clock.now();
      }
    } else if (sent.kind === "answer" && (sent.status === 204 || sent.status === 400)) {
      failures = 0;
      wait = sentAt + TAKE_SPACING - ctx.clock.now();
    } else {
      failures++;
      wait = Math.min(STOP_POLL_BACKOFF_CAP, TAKE_SPACING * 2 ** (failures - 1));
      const problem = sent.kind === "answer" ? `answered ${sent.status}` : sent.reason;
      ctx.log(
        failures === 1 ? "warn" : "debug",
        `the stop channel failed (${problem}); polled again in ${wait} ms`,
      );
    }
    if (wait > 0) {
      try {
        await delay(wait, { clock: ctx.clock, signal });
      } catch {
        return;
      }
    }
  }
}

function stopIds(text: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!isPlainObject(value)) return undefined;
    const ids = value.jobsToStop;
    if (!Array.isArray(ids)) return undefined;
    return ids.filter((id): id is string => typeof id === "string");
  } catch {
    return undefined;
  }
}
