import { json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";
import { findJob } from "./_find_job.ts";

/**
 * `GET /status/{id}[?ttl=MS]`: the job's status, times, output or error, and
 * `retries` once retried. `ttl` shortens the job's life to `MS` from now
 * (an unreadable value is ignored: RunPod documents no range for it).
 */
export function status(context: RouteContext): Response {
  const job = findJob(context);
  if (job instanceof Response) return job;
  const ttl = Number(context.url.searchParams.get("ttl") ?? NaN);
  if (Number.isFinite(ttl) && ttl >= 0) context.table.shorten(job, ttl);
  return json(context.table.view(job));
}
