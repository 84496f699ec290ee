import { json } from "../../_http.ts";
import { postedResult } from "../../_results.ts";
import { heldJob, readPost, type WorkerContext } from "./_context.ts";

/**
 * `POST /job-done/{workerId}/{jobId}?...&isStream=false|true`: a worker
 * posts a job's progress or end.
 *
 * - `{"status": "IN_PROGRESS", "output": value}` (with `isStream=false`): a
 *   progress update; `/status` shows it as `output`, the job runs on.
 * - Any other body ends the job (with `isStream=true`, a stream's end):
 *   `{"error": e}` truthy makes it FAILED with `e` (an `output` kept),
 *   otherwise it is COMPLETED with `output`. `"stopPod": true` is recorded.
 *
 * Refused without a change (see `heldJob`): a job the worker does not hold
 * (409), one RunPod stopped (409), an unknown job (404); the same final post
 * again, or a progress update after the job ended, answers 200 and changes
 * nothing.
 */
export async function done(context: WorkerContext): Promise<Response> {
  const read = await readPost(context.request);
  if (read instanceof Response) return read;
  const { body } = read;
  const isStream = context.url.searchParams.get("isStream") === "true";
  const progress = !isStream && body.status === "IN_PROGRESS";
  const post = `${isStream}:${read.text}`;
  const job = heldJob(context, progress ? { lateProgress: true } : { repeat: post });
  if (job instanceof Response) return job;
  const { table } = context.state;
  if (progress) table.progress(job, body.output);
  else {
    job.finalPost = { workerId: context.workerId, body: post };
    if (body.stopPod === true) job.stopPod = true;
    table.report(job, postedResult(body));
  }
  return json({ id: job.id, status: job.status });
}
