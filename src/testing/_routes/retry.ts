import { errorAnswer, json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";
import { findJob } from "./_find_job.ts";

/** `POST /retry/{id}`: puts a FAILED or TIMED_OUT job back in the queue under the same id; 400 otherwise. */
export function retry(context: RouteContext): Response {
  const job = findJob(context);
  if (job instanceof Response) return job;
  if (!context.table.retry(job)) {
    return errorAnswer(
      400,
      `Cannot retry job '${job.id}': only FAILED or TIMED_OUT jobs can be retried, its status is ${job.status}`,
    );
  }
  return json({ id: job.id, status: job.status });
}
