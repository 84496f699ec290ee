import { json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";
import { findJob } from "./_find_job.ts";

/**
 * `POST /cancel/{id}`: cancels a queued or running job (the worker's signal
 * aborts) and answers `{id, status, delayTime?, executionTime?}`. A finished
 * job is left as it is and its status answered.
 */
export function cancel(context: RouteContext): Response {
  const job = findJob(context);
  if (job instanceof Response) return job;
  context.table.cancel(job);
  return json({ id: job.id, status: job.status, ...context.table.times(job) });
}
