// What the worker protocol's routes share: their context, the hold of a long
// poll, the reading of a worker's post, and the check that the posting worker
// holds the job.
import { RESULT_LIMIT } from "../../../_runpod_facts.ts";
import { isTerminalStatus } from "../../../is_terminal_status.ts";
import { errorAnswer, json, readJsonBody } from "../../_http.ts";
import type { JobRecord } from "../../_jobs.ts";
import type { EmulatorState } from "../../_state.ts";

/**
 * How long (ms, on the emulator's clock) an empty `job-take` or `job-stop`
 * poll is held before it answers 204: the emulator's choice (RunPod's is
 * unknown), well under runpod-python's 90 s wait for an answer.
 */
export const WORKER_HOLD = 30_000;

/** The largest post a worker may send: a result over 20 MB is dropped, a larger body refused (413). */
const POST_LIMIT = 2 * RESULT_LIMIT;

/** What a worker route's handler gets. */
export interface WorkerContext {
  state: EmulatorState;
  request: Request;
  url: URL;
  endpointId: string;
  /** The worker id in the path (`$ID` of the take URL, `$RUNPOD_POD_ID` of the others). */
  workerId: string;
  /** The job id of `job-done` and `job-stream`. */
  jobId?: string;
  /** Aborts when the request is aborted or the emulator closes. */
  signal: AbortSignal;
  /** Records the job a request is about, for the request log. */
  setJobId(id: string): void;
}

/**
 * A worker's post: JSON text, whatever its `Content-Type` says (runpod-python
 * sends `application/x-www-form-urlencoded`), an object; a 400 or 413 answer
 * otherwise. `text` is its canonical JSON, to recognize a repeat.
 */
export async function readPost(
  request: Request,
): Promise<{ body: Record<string, unknown>; text: string } | Response> {
  const read = await readJsonBody(request, POST_LIMIT);
  if ("answer" in read) return read.answer;
  const body = read.json;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return errorAnswer(400, 'A worker posts a JSON object such as {"output": ...}');
  }
  return { body: body as Record<string, unknown>, text: JSON.stringify(body) };
}

/**
 * The job of a `job-done` or `job-stream` post when `context.workerId`
 * holds it, or the answer that refuses the post (it changes nothing):
 *
 * - 404: no such job on this endpoint (or it expired);
 * - 200: a repeat of the final post that ended the job (`repeat`), harmless;
 * - 200: a progress update (`lateProgress`) that arrives after the job it
 *   held ended: runpod-python sends progress from another thread, so it may
 *   land after the result; it is ignored;
 * - 409: the job was stopped by RunPod (cancelled, timed out): the worker
 *   was told on its stop channel and must post nothing for it;
 * - 409: the job ended with an earlier post of this worker;
 * - 409: the worker does not hold the job (queued, or held by another).
 */
export function heldJob(
  context: WorkerContext,
  post: { repeat?: string; lateProgress?: boolean } = {},
): JobRecord | Response {
  const { repeat, lateProgress = false } = post;
  const { state, endpointId, workerId } = context;
  const id = context.jobId ?? "";
  const job = state.table.get(endpointId, id);
  if (!job) return errorAnswer(404, `Job '${id}' not found`);
  if (job.heldBy === workerId && job.status === "IN_PROGRESS") return job;
  if (isTerminalStatus(job.status) && job.workerId === workerId) {
    if (lateProgress) return json({ id: job.id, status: job.status });
    const final = job.finalPost;
    if (final?.workerId === workerId) {
      if (repeat !== undefined && final.body === repeat) {
        return json({ id: job.id, status: job.status });
      }
      return errorAnswer(
        409,
        `Job '${id}' already ended (${job.status}) with an earlier result of worker '${workerId}'`,
      );
    }
    if (job.status === "CANCELLED" || job.status === "TIMED_OUT") {
      return errorAnswer(
        409,
        `Job '${id}' was stopped (${job.status}): worker '${workerId}' was told on its stop channel ` +
          "(job-stop) and must post nothing for it",
      );
    }
  }
  return errorAnswer(409, `Worker '${workerId}' does not hold job '${id}' (${job.status})`);
}
