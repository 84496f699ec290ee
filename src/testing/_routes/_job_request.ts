import { DEEP_QUEUE, PAYLOAD_LIMITS, POLICY } from "../../_runpod_facts.ts";
import type { JobRecord } from "../_jobs.ts";
import { errorAnswer, readRunBody } from "../_http.ts";
import type { RouteContext } from "./_context.ts";

/** The parts of a `/run` body a job keeps, checked as RunPod documents them. */
export type JobRequest = Pick<
  JobRecord,
  "input" | "inputMissing" | "webhook" | "policy" | "s3Config"
>;

/**
 * Checks `webhook` and `policy` of a `/run` or `/runsync` body; an error
 * answer (400) when invalid. Ranges are refused only where RunPod documents
 * them (`executionTimeout` 5 s to 7 days, `ttl` 10 s to 7 days); a value of
 * the wrong JSON type is refused too, as RunPod's typed decoding would. A
 * body without `input` is accepted: its job fails in the worker.
 *
 * @param endpointTimeout The endpoint's execution timeout, used when the policy gives none.
 */
export function readJobRequest(
  body: Record<string, unknown>,
  endpointTimeout: number = POLICY.executionTimeout.default,
): JobRequest | Response {
  const { input, webhook, policy = {}, s3Config } = body;
  if (webhook !== undefined && webhook !== null && typeof webhook !== "string") {
    return errorAnswer(400, `Invalid webhook ${JSON.stringify(webhook)}: expected a URL string`);
  }
  if (policy === null || typeof policy !== "object" || Array.isArray(policy)) {
    return errorAnswer(400, "Invalid policy: expected an object");
  }
  const {
    executionTimeout = endpointTimeout,
    ttl = POLICY.ttl.default,
    lowPriority,
  } = policy as Record<string, unknown>;
  const outOfRange = (name: string, value: unknown, min: number, max: number) =>
    typeof value !== "number" || !Number.isFinite(value) || value < min || value > max
      ? errorAnswer(
        400,
        `Invalid policy.${name} ${JSON.stringify(value)}: expected ${min} to ${max} (ms)`,
      )
      : undefined;
  const invalid = ("executionTimeout" in policy
    ? outOfRange(
      "executionTimeout",
      executionTimeout,
      POLICY.executionTimeout.min,
      POLICY.executionTimeout.max,
    )
    : undefined) ?? outOfRange("ttl", ttl, POLICY.ttl.min, POLICY.ttl.max);
  if (invalid) return invalid;
  if (lowPriority !== undefined && typeof lowPriority !== "boolean") {
    return errorAnswer(
      400,
      `Invalid policy.lowPriority ${JSON.stringify(lowPriority)}: expected a boolean`,
    );
  }
  const request: JobRequest = {
    input,
    policy: {
      ...(policy as Record<string, unknown>),
      executionTimeout: executionTimeout as number,
      ttl: ttl as number,
    },
  };
  if (!("input" in body)) request.inputMissing = true;
  if (typeof webhook === "string") request.webhook = webhook;
  if (s3Config !== undefined) request.s3Config = s3Config;
  return request;
}

/**
 * Reads a `/run` or `/runsync` body within the route's payload limit (the
 * same limits the client enforces), checks it, and queues its job; an error
 * answer (400, 413) when the body is refused, 429 when the endpoint's queue
 * is deep (more than 50 jobs and more than 500 per worker).
 */
export async function createJob(
  context: RouteContext,
  mode: "run" | "runsync",
): Promise<JobRecord | Response> {
  const { state, endpointId } = context;
  const read = await readRunBody(context.request, PAYLOAD_LIMITS[mode]);
  if ("answer" in read) return read.answer;
  const endpoint = state.endpoints.get(endpointId);
  const request = readJobRequest(read.body, endpoint?.timeout);
  if (request instanceof Response) return request;
  if (state.deepQueue && endpoint) {
    const queued = context.table.queued(endpointId);
    if (
      queued > DEEP_QUEUE.minQueued && queued > DEEP_QUEUE.perMaxWorker * endpoint.maxWorkers
    ) {
      return errorAnswer(
        429,
        `Too many requests: endpoint '${endpointId}' has ${queued} jobs in its queue`,
      );
    }
  }
  const job = context.table.create({ ...request, endpointId, mode });
  context.setJobId(job.id);
  return job;
}
