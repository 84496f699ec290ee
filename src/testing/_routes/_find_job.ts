import type { JobRecord } from "../_jobs.ts";
import { errorAnswer } from "../_http.ts";
import type { RouteContext } from "./_context.ts";

/** The route's job, or a 404 answer when it does not exist (any more) on this endpoint. */
export function findJob(context: RouteContext): JobRecord | Response {
  const id = context.jobId ?? "";
  return context.table.get(context.endpointId, id) ?? errorAnswer(404, `Job '${id}' not found`);
}
