// Reading the answer of a take (`/job-take/` or `/job-take-batch/`).
import { parseRetryAfter } from "../_retry.ts";
import { WORKER_PROTOCOL } from "../_runpod_facts.ts";
import type { Sent } from "./_send.ts";
import type { WorkerJob } from "./types.ts";
import { isPlainObject } from "../_handler_values.ts";

/** How long a take may be held open by RunPod before the worker takes again, in ms. */
export const TAKE_TIMEOUT: number = WORKER_PROTOCOL.takeTimeout;
/** The wait after a 429 without Retry-After, in ms (runpod-python's). */
export const TAKE_BUSY_WAIT = 5_000;
/**
 * The least time between two takes answered "no job" at once (204, 400), in
 * ms: RunPod holds an empty take open, so a quick empty answer is a server
 * that does not, and taking again at once would be a busy loop.
 */
export const TAKE_SPACING = 1_000;

/** What a take brought. */
export type Taken =
  | { kind: "jobs"; jobs: WorkerJob[]; bad: string[] }
  /** No job; `held` when the server held the take open until our timeout. */
  | { kind: "empty"; held: boolean }
  | { kind: "busy"; wait: number }
  | { kind: "failed"; reason: string; retryAfter: number | undefined };

/** Reads a take's answer. */
export function readTake(sent: Exclude<Sent, { kind: "aborted" }>, now: number): Taken {
  if (sent.kind === "lost") {
    return sent.timedOut
      ? { kind: "empty", held: true }
      : { kind: "failed", reason: sent.reason, retryAfter: undefined };
  }
  const retryAfter = parseRetryAfter(sent.headers.get("retry-after"), now);
  if (sent.status === 204 || sent.status === 400) return { kind: "empty", held: false };
  if (sent.status === 429) return { kind: "busy", wait: retryAfter ?? TAKE_BUSY_WAIT };
  if (sent.status !== 200) {
    return { kind: "failed", reason: `answered ${sent.status}`, retryAfter };
  }
  if (sent.text.trim() === "") return { kind: "empty", held: false };
  let value: unknown;
  try {
    value = JSON.parse(sent.text);
  } catch {
    return {
      kind: "failed",
      reason: `answered 200 with a body that is not JSON: ${short(sent.text)}`,
      retryAfter,
    };
  }
  if (value === null) return { kind: "empty", held: false };
  const list = Array.isArray(value) ? value : [value];
  const jobs: WorkerJob[] = [];
  const bad: string[] = [];
  for (const item of list) {
    if (isJob(item)) jobs.push(item);
    else bad.push(short(JSON.stringify(item) ?? String(item)));
  }
  if (jobs.length === 0 && bad.length > 0) {
    return {
      kind: "failed",
      reason: `answered 200 without a job (need "id" and "input"): ${bad.join(", ")}`,
      retryAfter,
    };
  }
  if (jobs.length === 0) return { kind: "empty", held: false };
  return { kind: "jobs", jobs, bad };
}

function isJob(value: unknown): value is WorkerJob {
  return isPlainObject(value) && typeof value.id === "string" && value.id !== "" &&
    "input" in value;
}

function short(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
