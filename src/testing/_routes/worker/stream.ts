import { json } from "../../_http.ts";
import { heldJob, readPost, type WorkerContext } from "./_context.ts";

/**
 * `POST /job-stream/{workerId}/{jobId}?...&isStream=false` with
 * `{"output": value}`: one item a generator yielded; `/stream` drains it
 * (an item over 1 MB is split, as RunPod does). The job runs on until its
 * `job-done` post. Refused as `job-done` is (see `heldJob`).
 */
export async function stream(context: WorkerContext): Promise<Response> {
  const read = await readPost(context.request);
  if (read instanceof Response) return read;
  const job = heldJob(context);
  if (job instanceof Response) return job;
  context.state.table.item(job, read.body.output);
  return json({ id: job.id, status: job.status });
}
