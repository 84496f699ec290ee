import { json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";
import { createJob } from "./_job_request.ts";

/** `POST /run`: queues a job and answers `{id, status: "IN_QUEUE"}`. */
export async function run(context: RouteContext): Promise<Response> {
  const job = await createJob(context, "run");
  if (job instanceof Response) return job;
  return json({ id: job.id, status: "IN_QUEUE" });
}
