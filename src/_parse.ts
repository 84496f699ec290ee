// Checks that an answer has the shape its route promises, so callers get a
// RunpodError naming the route rather than a TypeError deep in their code.
import { RunpodError } from "./errors.ts";
import type {
  EndpointHealth,
  Job,
  JobHandle,
  PurgeResult,
  StreamChunk,
  StreamItem,
} from "./types.ts";

type Obj = Record<string, unknown>;

/** Checks an answer's shape for its route; `jobId` names the job in the error. */
export type Parser<T> = (route: string, value: unknown, jobId?: string) => T;

/** Whether a value is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(route: string, what: string, jobId?: string): never {
  throw new RunpodError(
    `${route} answered with an unexpected shape: ${what}; the API may have changed: update @runpod/sdk or report it`,
    { route, jobId },
  );
}

/**
 * Reads a 2xx answer's body: its JSON, or `undefined` for a 204. A body that
 * is not JSON is a RunpodError naming the route.
 */
export function parseBody(route: string, status: number, text: string, jobId?: string): unknown {
  if (status === 204) return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new RunpodError(
      `${route} answered HTTP ${status} with a body that is not JSON (${
        text.length === 0 ? "empty" : `${text.length} characters`
      }); the API or a proxy in between misbehaved: try again later`,
      { route, jobId, cause },
    );
  }
}

export function parseHandle(route: string, value: unknown, jobId?: string): JobHandle {
  if (!isObject(value)) fail(route, "not a JSON object", jobId);
  if (typeof value.id !== "string" || value.id === "") fail(route, "no job 'id'", jobId);
  if (typeof value.status !== "string") fail(route, "no job 'status'", jobId);
  return value as unknown as JobHandle;
}

/** A job has the fields a handle has (`id`, `status`) and more: the same check, typed as a job. */
export const parseJob: <O>(route: string, value: unknown, jobId?: string) => Job<O> =
  parseHandle as <O>(route: string, value: unknown, jobId?: string) => Job<O>;

export function parseChunk<O>(route: string, value: unknown, jobId?: string): StreamChunk<O> {
  if (!isObject(value)) fail(route, "not a JSON object", jobId);
  if (typeof value.status !== "string") fail(route, "no 'status'", jobId);
  if (value.stream === undefined) value.stream = [];
  if (!Array.isArray(value.stream)) fail(route, "'stream' is not an array", jobId);
  for (const item of value.stream) {
    if (!isObject(item)) fail(route, "a 'stream' item is not an object", jobId);
  }
  return value as unknown as StreamChunk<O> & { stream: StreamItem<O>[] };
}

export function parseHealth(route: string, value: unknown): EndpointHealth {
  if (!isObject(value)) fail(route, "not a JSON object");
  if (!isObject(value.jobs)) fail(route, "no 'jobs' object");
  if (!isObject(value.workers)) fail(route, "no 'workers' object");
  return value as unknown as EndpointHealth;
}

export function parsePurge(route: string, value: unknown): PurgeResult {
  if (!isObject(value)) fail(route, "not a JSON object");
  if (typeof value.removed !== "number") fail(route, "no 'removed' count");
  return value as unknown as PurgeResult;
}
