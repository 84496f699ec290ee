import type { Clock } from "../clock.ts";
import { delay } from "../delay.ts";
import {
  describeFault,
  faultAnswer,
  type FaultQueue,
  replacesAnswer,
  truncate,
} from "./_faults.ts";
import { errorAnswer } from "./_http.ts";
import type { RecordedRequest } from "./_request_log.ts";

/** How a request came in: through `handler` (served) or `fetch`. */
export interface FaultMode {
  /** Served over HTTP: a truncated body ends with the error a server takes as a reset. */
  served: boolean;
}

/**
 * Answers a request with the next fault injected for its route applied: a
 * replacing fault (a status, JSON, HTML, a redirect, a malformed body) or a
 * `drop` before answers without processing the request; a `delay` holds it
 * first; a `drop` after or a `truncate` processes it, then loses or cuts the
 * answer. Records the fault in the request's log entry.
 *
 * @param process Answers the request for real; `signal` aborts when the client goes away or the emulator closes.
 */
export async function answerWithFault(
  faults: FaultQueue,
  clock: Clock,
  request: Request,
  entry: RecordedRequest,
  mode: FaultMode,
  signal: AbortSignal,
  process: () => Response | Promise<Response>,
): Promise<Response> {
  const fault = faults.take(entry.route);
  if (!fault) return await process();
  entry.fault = describeFault(fault);
  if (replacesAnswer(fault) || ("drop" in fault && fault.when !== "after")) {
    await request.body?.cancel().catch(() => {});
    return faultAnswer(fault);
  }
  if ("delay" in fault) {
    try {
      await delay(fault.delay, { clock, signal });
    } catch {
      await request.body?.cancel().catch(() => {});
      return errorAnswer(503, "The request was aborted");
    }
  }
  let response = await process();
  if ("drop" in fault) {
    await response.body?.cancel().catch(() => {});
    return faultAnswer(fault);
  }
  if ("truncate" in fault) response = await truncate(response, mode.served);
  return response;
}
