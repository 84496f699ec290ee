// Every route the client sends, with its facts in one place: method, host,
// path, what a resend risks (which decides its retries), its parser, and the
// sentence an error carries when the request's effect is unknown. The
// client's methods, the fault matrix (tests/reliability/_matrix.ts) and the
// generated tables of docs/reliability.md all read this table. The Batch Jobs
// routes are in src/_batch_routes.ts, loaded with the Batch Jobs code.
import { PAYLOAD_LIMITS, RESULT_RETENTION } from "./_runpod_facts.ts";
import {
  parseChunk,
  parseHandle,
  parseHealth,
  parseJob,
  parsePurge,
  type Parser,
} from "./_parse.ts";
import type { Risk } from "./_retry.ts";
import type { EndpointHealth, Job, JobHandle, PurgeResult, StreamChunk } from "./types.ts";

/** The HTTP methods a route may use. */
export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * Which API a route belongs to, and so which base URL it is sent to:
 * - `jobs`: `baseUrl/{endpointId}` (`https://api.runpod.ai/v2/{endpointId}`), the job API;
 * - `rest`: `restUrl` (`https://api.runpod.io/v2`), the management API (REST v2).
 */
export type Host = "jobs" | "rest";

/** One route: everything the request core needs to send it and read its answer. */
export interface RouteDef<T = unknown> {
  method: Method;
  host: Host;
  /**
   * The path below the host's base URL, with `{name}` for each path parameter
   * (`/status/{jobId}`, `/serverless/{id}`). A job route's base URL holds
   * `{endpointId}` too. A parameter named `id` or `...Id` is checked as an id
   * before sending; every parameter is URL-encoded.
   */
  path: string;
  /** What a resend risks: decides which failures are retried (see {@link Risk}). */
  risk: Risk;
  /** Checks the answer's shape (its JSON; `undefined` for a 204). */
  parse: Parser<T>;
  /**
   * The call as error messages name it, after "Cannot" or before "timed out",
   * with `{name}` for parameters: `"read the status of job {jobId}"`.
   */
  call: string;
  /** The sentence an error gets when the request may have taken effect (a 5xx, a lost answer). */
  lost?: string;
  /** The largest JSON body the route accepts, in bytes. */
  maxBody?: number;
  /** The route answers a job: a 4xx whose body is a job in a final state is that job. */
  job?: boolean;
  /** A 404 met after an earlier attempt of this call was sent counts as success (a DELETE). */
  goneIsDone?: boolean;
  /** The advice a 404 gets. */
  notFound?: string;
}

/** A route's name in errors, the emulator's log and the fault matrix: `"GET /status"`. */
export function routeName(route: RouteDef<unknown>): string {
  // Job routes are named by their first segment (RunPod's own naming); other
  // routes by their full path template. Cached: a call reads it several times.
  let name = names.get(route);
  if (name === undefined) {
    name = `${route.method} ${
      route.host === "jobs" ? route.path.replace(/\/\{.*$/, "") : route.path
    }`;
    names.set(route, name);
  }
  return name;
}
const names = new WeakMap<RouteDef<unknown>, string>();

const LOST_JOB =
  "the job may or may not have been enqueued: check the endpoint (health() or your webhook) before sending it again, since a resent job may run and bill twice";
const LOST_RETRY =
  "the job may or may not have been requeued: check its status() before retrying it again, since a job retried twice runs and bills twice";
const JOB_NOT_FOUND = `check the endpoint and job ids; results expire ${
  RESULT_RETENTION.run / 60_000
} min after /run`;

const ENDPOINT_NOT_FOUND = "check the endpoint id, as the RunPod console shows it";

/** Fills the fields every job route shares (`extra` may replace any of them). */
export function job<T>(
  method: Method,
  path: string,
  risk: Risk,
  parse: Parser<T>,
  call: string,
  extra: Partial<RouteDef<T>> = {},
): RouteDef<T> {
  const notFound = path.includes("{jobId}") ? JOB_NOT_FOUND : ENDPOINT_NOT_FOUND;
  return { method, host: "jobs", path, risk, parse, call, notFound, ...extra };
}

/** The job API's routes (`https://api.runpod.ai/v2/{endpointId}/...`). */
export const JOB_ROUTES = {
  run: job<JobHandle>(
    "POST",
    "/run",
    "double-bill",
    parseHandle,
    "run a job on endpoint {endpointId}",
    {
      lost: LOST_JOB,
      job: true,
      maxBody: PAYLOAD_LIMITS.run,
    },
  ),
  runsync: job<Job>(
    "POST",
    "/runsync",
    "double-bill",
    parseJob,
    "run a job on endpoint {endpointId}",
    {
      lost: LOST_JOB,
      job: true,
      maxBody: PAYLOAD_LIMITS.runsync,
    },
  ),
  status: job<Job>(
    "GET",
    "/status/{jobId}",
    "nothing",
    parseJob,
    "read the status of job {jobId}",
    {
      job: true,
    },
  ),
  stream: job<StreamChunk>(
    "GET",
    "/stream/{jobId}",
    "lost-items",
    parseChunk,
    "stream job {jobId}",
  ),
  cancel: job<JobHandle>("POST", "/cancel/{jobId}", "nothing", parseHandle, "cancel job {jobId}", {
    job: true,
  }),
  retry: job<JobHandle>("POST", "/retry/{jobId}", "double-bill", parseHandle, "retry job {jobId}", {
    lost: LOST_RETRY,
    job: true,
  }),
  purgeQueue: job<PurgeResult>(
    "POST",
    "/purge-queue",
    "nothing",
    parsePurge,
    "purge the queue of endpoint {endpointId}",
  ),
  health: job<EndpointHealth>(
    "GET",
    "/health",
    "nothing",
    parseHealth,
    "read the health of endpoint {endpointId}",
  ),
} as const;
