import { errorAnswer, json } from "../../_http.ts";
import type { JobRecord } from "../../_jobs.ts";
import { waitFor } from "../_context.ts";
import { WORKER_HOLD, type WorkerContext } from "./_context.ts";

/**
 * `GET /job-take/{workerId}?...&job_in_progress=0|1` (one job) and
 * `GET /job-take-batch/{workerId}?...&batch_size=N` (up to N): the worker
 * takes the oldest queued jobs. An empty queue holds the poll until a job
 * is ready or `WORKER_HOLD` passes (then 204). A taken job starts: its
 * `delayTime` ends and its execution timeout runs; the worker holds it
 * until its result. `job_in_progress` is accepted and not used.
 */
export async function take(context: WorkerContext, batch: boolean): Promise<Response> {
  const { state, endpointId, workerId, signal } = context;
  let max = 1;
  if (batch) {
    const raw = context.url.searchParams.get("batch_size");
    max = Number(raw);
    if (raw === null || !Number.isInteger(max) || max < 1) {
      return errorAnswer(
        400,
        `Invalid batch_size ${JSON.stringify(raw)}: expected a positive integer`,
      );
    }
  }
  const deadline = state.clock.now() + WORKER_HOLD;
  while (true) {
    if (signal.aborted) return new Response(null, { status: 204 });
    const jobs = state.table.take(endpointId, workerId, max);
    if (jobs.length > 0) {
      if (!batch) context.setJobId(jobs[0]!.id);
      return json(batch ? jobs.map(jobObject) : jobObject(jobs[0]!));
    }
    const left = deadline - state.clock.now();
    if (left <= 0) return new Response(null, { status: 204 });
    await waitFor(signal, state.timers, left, (wake) => state.table.watchQueue(endpointId, wake));
  }
}

/** The job as a worker receives it: `id`, `input` (when the request had one), `webhook`, `policy`, `s3Config`. */
function jobObject(job: JobRecord): Record<string, unknown> {
  const object: Record<string, unknown> = { id: job.id };
  if (!job.inputMissing) object.input = job.input;
  if (job.webhook !== undefined) object.webhook = job.webhook;
  object.policy = { ...job.policy };
  if (job.s3Config !== undefined) object.s3Config = job.s3Config;
  return object;
}
