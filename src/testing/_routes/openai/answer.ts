// Answering one OpenAI-compatible call: the job it becomes, the held answer
// or the relayed stream. The family that routes to it is ./mod.ts.
import { PAYLOAD_LIMITS, POLICY } from "../../../_runpod_facts.ts";
import { parseWorkerError } from "../../../errors.ts";
import { isTerminalStatus } from "../../../is_terminal_status.ts";
import type { JobRecord, JobTable } from "../../_jobs.ts";
import { errorAnswer, json } from "../../_http.ts";

/** The OpenAI-compatible routes of `/v2/{endpointId}/openai/v1/...`, as a job's `openai_route`. */
export type OpenAIRoute = "/v1/chat/completions" | "/v1/completions" | "/v1/models";

/** What answering an OpenAI-compatible call needs. */
export interface OpenAICall {
  request: Request;
  /** Aborts when the client goes away or the emulator closes. */
  signal: AbortSignal;
  table: JobTable;
  endpointId: string;
  /** Records the job the request created, for the request log. */
  setJobId(id: string): void;
}

/**
 * Answers one OpenAI-compatible call as RunPod does for vLLM workers: the
 * call becomes a job whose input is `{ openai_route, openai_input }` and the
 * answer is what the worker produced. A call without `stream: true` is held
 * until the job ends and answered with the worker's JSON (its single yield,
 * or its return value). With `stream: true`, the worker's yields (SSE text
 * chunks) are relayed as `text/event-stream` as they are produced,
 * `data: [DONE]` last (added when the worker did not send it). A job that
 * fails answers 500 with an OpenAI-shaped error (mid-stream, a last event
 * `data: {"error": ...}`). Aborting the request, or cancelling the answer's
 * body, cancels the job. `release` is called once the answer is complete
 * (for a stream, when it ends), for the rate limiter's in-flight count.
 */
export async function answerOpenAI(
  route: OpenAIRoute,
  call: OpenAICall,
  release: () => void,
): Promise<Response> {
  let relaying = false;
  try {
    let body: Record<string, unknown> | undefined;
    if (call.request.method === "POST") {
      const read = await readBody(call.request, PAYLOAD_LIMITS.runsync);
      if (read instanceof Response) return read;
      body = read;
    } else await call.request.body?.cancel().catch(() => {});
    const job = call.table.create({
      endpointId: call.endpointId,
      mode: "runsync",
      input: body === undefined
        ? { openai_route: route }
        : { openai_route: route, openai_input: body },
      policy: { executionTimeout: POLICY.executionTimeout.default, ttl: POLICY.ttl.default },
    });
    call.setJobId(job.id);
    const streaming = body?.stream === true;
    const aborted = await until(
      call,
      job,
      () => (streaming && job.pending.length > 0) || ended(job),
    );
    if (aborted) {
      call.table.cancel(job);
      return errorAnswer(503, "The request was aborted: its job was cancelled");
    }
    if (!streaming || job.pending.length === 0) return finalAnswer(job);
    relaying = true;
    return relay(call, job, release);
  } finally {
    if (!relaying) release();
  }
}

function ended(job: JobRecord): boolean {
  return isTerminalStatus(job.status) || job.removed !== undefined;
}

/**
 * Waits until `ready()` (checked at each change of `job`) or until the
 * request's signal aborts; resolves with whether it aborted.
 */
function until(call: OpenAICall, job: JobRecord, ready: () => boolean): Promise<boolean> {
  const { signal, table } = call;
  if (ready()) return Promise.resolve(false);
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (aborted: boolean) => {
      unwatch();
      signal.removeEventListener("abort", onAbort);
      resolve(aborted);
    };
    const onAbort = () => finish(true);
    const unwatch = table.watch(job, () => {
      if (ready()) finish(false);
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The answer of a job that ended without streaming: the worker's JSON, or an error. */
function finalAnswer(job: JobRecord): Response {
  if (job.status === "COMPLETED" && job.removed === undefined) {
    const items = job.stream.map((item) => item.output);
    const output = items.length === 0 ? job.output : items.length === 1 ? items[0] : items;
    return json(output ?? null);
  }
  return json({ error: workerError(job) }, 500);
}

/** An OpenAI-shaped error for a job that did not complete. */
function workerError(job: JobRecord): Record<string, unknown> {
  const reason = job.removed !== undefined
    ? `the job was removed (${job.removed})`
    : job.status === "FAILED"
    ? `the worker failed: ${
      parseWorkerError(job.error)?.error_message ??
        (typeof job.error === "string" ? job.error : JSON.stringify(job.error))
    }`
    : `the job ended ${job.status}`;
  return {
    message: `Job '${job.id}' did not complete: ${reason}`,
    type: "runpod_job_error",
    param: null,
    code: job.removed ?? job.status,
  };
}

/** A `text/event-stream` answer relaying the job's yields as they come. */
function relay(call: OpenAICall, job: JobRecord, release: () => void): Response {
  const { signal, table } = call;
  const encoder = new TextEncoder();
  let finished = false;
  let sentDone = false;
  let unwatch = () => {};
  // The request aborted or the emulator closed: the job ends, and the stream with it.
  const onAbort = () => table.cancel(job);
  const stop = () => {
    if (finished) return;
    finished = true;
    unwatch();
    signal.removeEventListener("abort", onAbort);
    release();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => controller.enqueue(encoder.encode(text));
      const pump = () => {
        if (finished) return;
        try {
          for (const item of job.pending.splice(0)) {
            const text = typeof item.output === "string"
              ? item.output
              : `data: ${JSON.stringify(item.output)}\n\n`;
            if (/(^|\n)data: \[DONE\]\s*$/.test(text)) sentDone = true;
            send(text);
          }
          if (!ended(job)) return;
          stop();
          if (job.status === "COMPLETED" && job.removed === undefined) {
            if (!sentDone) send("data: [DONE]\n\n");
          } else send(`data: ${JSON.stringify({ error: workerError(job) })}\n\n`);
          controller.close();
        } catch {
          stop(); // the reader went away
        }
      };
      unwatch = table.watch(job, pump);
      signal.addEventListener("abort", onAbort, { once: true });
      pump();
      if (signal.aborted) onAbort();
    },
    cancel() {
      stop();
      table.cancel(job);
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

/** The request's JSON object body, within `limit` bytes; an error answer (400, 413) otherwise. */
async function readBody(
  request: Request,
  limit: number,
): Promise<Record<string, unknown> | Response> {
  const tooLarge = () => errorAnswer(413, `Request body too large: the limit is ${limit} bytes`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    return tooLarge();
  }
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > limit) return tooLarge();
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return errorAnswer(400, "Request body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return errorAnswer(400, "Request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}
