import { isTerminalStatus } from "../../is_terminal_status.ts";
import { errorAnswer, json, readWait } from "../_http.ts";
import { hold, type RouteContext } from "./_context.ts";
import { findJob } from "./_find_job.ts";

/**
 * `GET /stream/{id}?wait=MS`: drains the items produced since the last poll.
 * An empty poll is held until an item arrives, the job ends or `wait` (by
 * default the emulator's `streamHold`) passes. The status is read at the
 * moment of draining, so a terminal status means nothing is left.
 */
export async function stream(context: RouteContext): Promise<Response> {
  const wait = readWait(context.url, context.streamHold);
  if (wait instanceof Response) return wait;
  const job = findJob(context);
  if (job instanceof Response) return job;
  await hold(
    context,
    job,
    wait,
    () => job.pending.length > 0 || isTerminalStatus(job.status) || job.removed !== undefined,
  );
  context.table.sweep();
  if (job.removed) return errorAnswer(404, `Job '${job.id}' not found`);
  return json(context.table.drain(job));
}
