import { json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";
import { findJob } from "./_find_job.ts";

/** `GET /status/{id}`: the job's status, times, output or error. */
export function status(context: RouteContext): Response {
  const job = findJob(context);
  if (job instanceof Response) return job;
  return json(context.table.view(job));
}
