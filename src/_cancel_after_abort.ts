// After a timeout or an abort, cancels the job if the caller asked for it.
import { send, type Transport } from "./_http.ts";
import { JOB_ROUTES } from "./_routes.ts";
import { CallScope } from "./_scope.ts";

/** How long a best-effort `/cancel` after an abort may take, in ms. */
const CANCEL_TIMEOUT = 10_000;

/**
 * Cancels the call's job (`POST /cancel`) when `cancelOnAbort` is set, the
 * job is known, and the call was aborted or timed out (or, with `early`, left
 * before the job ended). Best effort: the caller's own error says what
 * happened to the call, so a failure to cancel is swallowed.
 */
export async function cancelAfterAbort(
  t: Transport,
  scope: CallScope,
  endpointId: string,
  opts: { cancelOnAbort?: boolean },
  early = false,
): Promise<void> {
  const jobId = scope.jobId;
  if (!opts.cancelOnAbort || jobId === undefined || (!scope.signal.aborted && !early)) return;
  const cancelScope = new CallScope(t, CANCEL_TIMEOUT, undefined, `cancel job '${jobId}'`);
  try {
    await send(t, cancelScope, JOB_ROUTES.cancel, { params: { endpointId, jobId } });
  } catch {
    // Best effort.
  } finally {
    cancelScope.dispose();
  }
}
