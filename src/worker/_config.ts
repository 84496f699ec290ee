// The worker's settings, read from RunPod's environment variables, and the
// URLs built from RunPod's templates (opaque strings with $ID and $RUNPOD_POD_ID;
// ids go in through a function, so that a "$" in one is not a replacement pattern).
import { WORKER_PROTOCOL } from "../_runpod_facts.ts";
import type { LogLevel } from "./types.ts";

/** What the worker reads from its environment. */
export interface WorkerConfig {
  /** The take template with `$ID` replaced by the worker id; undefined in local mode. */
  takeUrl: string | undefined;
  outputTemplate: string | undefined;
  streamTemplate: string | undefined;
  pingUrl: string | undefined;
  workerId: string;
  key: string | undefined;
  pingInterval: number;
  endpointId: string | undefined;
  logLevel: LogLevel;
  hostname: string;
}

/** Reads the `RUNPOD_*` variables; a missing worker id becomes a random UUID. */
export function readConfig(env: Record<string, string | undefined>): WorkerConfig {
  const workerId = nonEmpty(env.RUNPOD_POD_ID) ?? crypto.randomUUID();
  const pod = (template: string | undefined) =>
    template === undefined ? undefined : template.replaceAll("$RUNPOD_POD_ID", () => workerId);
  const interval = Number(env.RUNPOD_PING_INTERVAL);
  return {
    takeUrl: nonEmpty(env.RUNPOD_WEBHOOK_GET_JOB)?.replaceAll("$ID", () => workerId),
    outputTemplate: pod(nonEmpty(env.RUNPOD_WEBHOOK_POST_OUTPUT)),
    streamTemplate: pod(nonEmpty(env.RUNPOD_WEBHOOK_POST_STREAM)),
    pingUrl: pod(nonEmpty(env.RUNPOD_WEBHOOK_PING)),
    workerId,
    key: nonEmpty(env.RUNPOD_AI_API_KEY),
    pingInterval: Number.isFinite(interval) && interval > 0
      ? interval
      : WORKER_PROTOCOL.pingInterval,
    endpointId: nonEmpty(env.RUNPOD_ENDPOINT_ID),
    logLevel: logLevelOf(env.RUNPOD_LOG_LEVEL),
    hostname: nonEmpty(env.HOSTNAME) ?? workerId,
  };
}

/** `DEBUG`, `INFO`, `WARN`/`WARNING`, `ERROR` in any case; INFO otherwise. */
export function logLevelOf(value: string | undefined): LogLevel {
  switch (value?.trim().toUpperCase()) {
    case "DEBUG":
    case "TRACE":
      return "debug";
    case "WARN":
    case "WARNING":
      return "warn";
    case "ERROR":
      return "error";
    default:
      return "info";
  }
}

/** Appends `name=value` pairs to a URL that may already carry a query string. */
export function withQuery(url: string, params: [string, string][]): string {
  if (params.length === 0) return url;
  const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
  return `${url}${url.includes("?") ? "&" : "?"}${query}`;
}

/** The take URL: the batch form when more than one job is wanted. */
export function takeUrlOf(takeUrl: string, count: number, jobInProgress: boolean): string {
  const params: [string, string][] = [];
  let url = takeUrl;
  if (count > 1) {
    url = url.replace("/job-take/", "/job-take-batch/");
    params.push(["batch_size", String(count)]);
  }
  params.push(["job_in_progress", jobInProgress ? "1" : "0"]);
  return withQuery(url, params);
}

/** The stop channel: the take URL with `/job-take/` made `/job-stop/`. */
export function stopUrlOf(takeUrl: string): string {
  return takeUrl.replace("/job-take/", "/job-stop/");
}

/** An output or stream URL for one job. */
export function jobUrlOf(template: string, jobId: string, isStream: boolean): string {
  return withQuery(template.replaceAll("$ID", () => jobId), [["isStream", String(isStream)]]);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
