import { RUNSYNC_HOLD } from "../../_runpod_facts.ts";
import { isTerminalStatus } from "../../is_terminal_status.ts";
import { errorAnswer, json, readWait } from "../_http.ts";
import { hold, type RouteContext } from "./_context.ts";
import { createJob } from "./_job_request.ts";

/**
 * `POST /runsync?wait=MS`: queues a job, holds until it ends or `wait`
 * passes, then answers the job as `/status` shows it.
 */
export async function runsync(context: RouteContext): Promise<Response> {
  const wait = readWait(context.url, RUNSYNC_HOLD);
  if (wait instanceof Response) return wait;
  const job = await createJob(context, "runsync");
  if (job instanceof Response) return job;
  await hold(context, job, wait, () => isTerminalStatus(job.status) || job.removed !== undefined);
  context.table.sweep();
  if (job.removed) return errorAnswer(404, `Job '${job.id}' not found`);
  return json(context.table.view(job));
}
