// The heartbeat: `GET <PING>?job_id=<ids>&runpod_version=<v>` every interval,
// on the worker's event loop (a handler that blocks the loop delays it).
import type { Clock } from "../clock.ts";
import { VERSION } from "../version.ts";
import { withQuery } from "./_config.ts";
import { send, type SendContext } from "./_send.ts";
import type { Log } from "./_logger.ts";

/** A running heartbeat. */
export interface Heartbeat {
  /** Stops it and resolves once no ping is in flight. */
  stop(): Promise<void>;
}

/** The ping URL for the jobs in hand (`job_id` left out when there are none). */
export function pingUrlOf(pingUrl: string, jobIds: string[]): string {
  const params: [string, string][] = [];
  if (jobIds.length > 0) params.push(["job_id", jobIds.join(",")]);
  params.push(["runpod_version", VERSION]);
  return withQuery(pingUrl, params);
}

/** Pings now and every `interval` ms; a ping still out when the next is due is not doubled. */
export function startHeartbeat(
  ctx: SendContext & { log: Log; clock: Clock },
  pingUrl: string,
  interval: number,
  jobIds: () => string[],
): Heartbeat {
  const controller = new AbortController();
  let inFlight: Promise<void> | undefined;
  let cancel = () => {};
  let failures = 0;
  const ping = () => {
    if (controller.signal.aborted) return;
    cancel = ctx.clock.setTimer(ping, interval);
    if (inFlight) return;
    inFlight = send(
      ctx,
      pingUrlOf(pingUrl, jobIds()),
      { method: "GET" },
      interval,
      controller.signal,
    )
      .then((sent) => {
        const ok = sent.kind === "answer" && sent.status >= 200 && sent.status < 300;
        if (ok || sent.kind === "aborted") failures = 0;
        else if (failures++ === 0) {
          ctx.log(
            "warn",
            `heartbeat failed (${
              sent.kind === "answer" ? `answered ${sent.status}` : sent.reason
            })`,
          );
        }
      })
      .finally(() => (inFlight = undefined));
  };
  ping();
  return {
    async stop() {
      controller.abort();
      cancel();
      await inFlight;
    },
  };
}
