import { PAYLOAD_LIMITS } from "../../_runpod_facts.ts";
import type { JobRecord } from "../_jobs.ts";
import { errorAnswer, readRunBody } from "../_http.ts";
import type { RouteContext } from "./_context.ts";

const DAY = 86_400_000;

/** The parts of a `/run` body a job keeps, checked as RunPod documents them. */
export type JobRequest = Pick<JobRecord, "input" | "webhook" | "policy" | "s3Config">;

/** Checks `webhook` and `policy` of a `/run` or `/runsync` body; an error answer (400) when invalid. */
export function readJobRequest(body: Record<string, unknown>): JobRequest | Response {
  const { input, webhook, policy = {}, s3Config } = body;
  if (webhook !== undefined) {
    if (typeof webhook !== "string" || !URL.canParse(webhook)) {
      return errorAnswer(400, `Invalid webhook ${JSON.stringify(webhook)}: expected a URL`);
    }
  }
  if (policy === null || typeof policy !== "object" || Array.isArray(policy)) {
    return errorAnswer(400, "Invalid policy: expected an object");
  }
  const { executionTimeout = 600_000, ttl = DAY, lowPriority } = policy as Record<string, unknown>;
  const outOfRange = (name: string, value: unknown, min: number, max: number) =>
    typeof value !== "number" || !Number.isFinite(value) || value < min || value > max
      ? errorAnswer(
        400,
        `Invalid policy.${name} ${JSON.stringify(value)}: expected ${min} to ${max} (ms)`,
      )
      : undefined;
  const invalid = outOfRange("executionTimeout", executionTimeout, 5000, 7 * DAY) ??
    outOfRange("ttl", ttl, 10_000, 7 * DAY);
  if (invalid) return invalid;
  if (lowPriority !== undefined && typeof lowPriority !== "boolean") {
    return errorAnswer(
      400,
      `Invalid policy.lowPriority ${JSON.stringify(lowPriority)}: expected a boolean`,
    );
  }
  return {
    input,
    webhook: webhook as string | undefined,
    policy: {
      ...(policy as Record<string, unknown>),
      executionTimeout: executionTimeout as number,
      ttl: ttl as number,
    },
    s3Config,
  };
}

/**
 * Reads a `/run` or `/runsync` body within the route's payload limit (the
 * same limits the client enforces), checks it, and queues its job; an error
 * answer (400, 413) when the body is refused.
 */
export async function createJob(
  context: RouteContext,
  mode: "run" | "runsync",
): Promise<JobRecord | Response> {
  const read = await readRunBody(context.request, PAYLOAD_LIMITS[mode]);
  if ("answer" in read) return read.answer;
  const request = readJobRequest(read.body);
  if (request instanceof Response) return request;
  const job = context.table.create({ ...request, endpointId: context.endpointId, mode });
  context.setJobId(job.id);
  return job;
}
