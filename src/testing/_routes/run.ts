import { json, readRunBody } from "../_http.ts";
import type { RouteContext } from "./_context.ts";
import { readJobRequest } from "./_job_request.ts";

/** The body limit of `/run`: 10 MB. */
export const RUN_LIMIT = 10 * 1024 * 1024;

/** `POST /run`: queues a job and answers `{id, status: "IN_QUEUE"}`. */
export async function run(context: RouteContext): Promise<Response> {
  const read = await readRunBody(context.request, RUN_LIMIT);
  if ("answer" in read) return read.answer;
  const request = readJobRequest(read.body);
  if (request instanceof Response) return request;
  const job = context.table.create({ ...request, endpointId: context.endpointId, mode: "run" });
  context.setJobId(job.id);
  return json({ id: job.id, status: "IN_QUEUE" });
}
