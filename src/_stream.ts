// The /stream engine: polls a job's stream and yields each item once, in
// order. The server holds an empty poll (up to `?wait=` ms, or about 10 s
// without it); only an empty answer that came back at once is followed by a
// pause: 250 ms, doubling after each such answer up to 3 s (250, 500, 1000,
// 2000, 3000... ms), and back to 250 ms once items come.
import { delay } from "./delay.ts";
import { JobError, RunpodApiError, RunpodError, StreamGapError } from "./errors.ts";
import { isTerminalStatus } from "./is_terminal_status.ts";
import { send, type Transport } from "./_http.ts";
import { cancelAfterAbort } from "./_cancel_after_abort.ts";
import { POLL_FIRST, POLL_MAX, serverWait } from "./_poll.ts";
import { open, sendParsed } from "./_request.ts";
import { STREAM_KEYS } from "./_validate.ts";
import { JOB_ROUTES, routeName } from "./_routes.ts";
import { STREAM_HOLD, WAIT_RANGE } from "./_runpod_facts.ts";
import type { StreamChunk, StreamItem, StreamOptions } from "./types.ts";

/** An empty `/stream` answer faster than this was not held by the server, in ms. */
const STREAM_HELD = 250;

/**
 * `Endpoint.stream`: checks the arguments (on the first step, as the engine
 * loads), then streams the items of job `jobId`.
 */
export async function* stream<O>(
  t: Transport,
  endpointId: string,
  jobId: string,
  options: unknown,
): AsyncGenerator<StreamItem<O>, void, undefined> {
  const params = { endpointId, jobId };
  const route = JOB_ROUTES.stream;
  const { opts, scope } = open<StreamOptions>(t, {
    call: route.call,
    params,
    options,
    known: STREAM_KEYS,
  });
  let received = 0;
  let pause = POLL_FIRST;
  let ended = false;
  try {
    while (true) {
      const started = t.clock.now();
      const remaining = scope.remaining();
      const wait = remaining === Infinity ? undefined : serverWait(remaining, WAIT_RANGE.max);
      let answer: unknown;
      try {
        answer = await send(t, scope, route, {
          params,
          query: wait === undefined ? undefined : { wait },
          serverWait: wait ?? STREAM_HOLD,
          risk: opts.allowGaps ? "nothing" : route.risk,
          maxRetries: opts.maxRetries,
        });
      } catch (error) {
        scope.throwIfAborted();
        if (!opts.allowGaps && mayHaveLostItems(error)) {
          throw new StreamGapError({ route: routeName(route), jobId, received, cause: error });
        }
        throw error;
      }
      const chunk = route.parse(routeName(route), answer, jobId) as StreamChunk<O>;
      for (const item of chunk.stream) {
        received++;
        yield item;
      }
      if (isTerminalStatus(chunk.status)) {
        ended = true;
        if (chunk.status === "COMPLETED") return;
        const job = await sendParsed(t, scope, JOB_ROUTES.status, {
          params,
          maxRetries: opts.maxRetries,
        }).catch(() => undefined);
        throw new JobError({
          jobId,
          status: chunk.status,
          error: job?.error,
          route: routeName(route),
        });
      }
      if (chunk.stream.length > 0) {
        pause = POLL_FIRST;
      } else if (t.clock.now() - started < STREAM_HELD) {
        await delay(pause, { signal: scope.signal, clock: t.clock });
        pause = Math.min(pause * 2, POLL_MAX);
      }
    }
  } finally {
    if (!ended) await cancelAfterAbort(t, scope, endpointId, opts, true);
    scope.dispose();
  }
}

/** A failed poll after which the server may have drained items: any but a 4xx other than 408. */
function mayHaveLostItems(error: unknown): boolean {
  if (error instanceof RunpodApiError) return error.status >= 500 || error.status === 408;
  // A lost or cut-off answer (RunpodConnectionError) or an unreadable one.
  return error instanceof RunpodError;
}
