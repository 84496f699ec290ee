import { json } from "../../_http.ts";
import type { WorkerContext } from "./_context.ts";

/**
 * `GET /ping/{workerId}?job_id=a,b&runpod_version=V`: the worker's
 * heartbeat. `/health` counts a worker from its first ping until it misses
 * `MISSED_PINGS` in a row.
 */
export function ping(context: WorkerContext): Response {
  const version = context.url.searchParams.get("runpod_version") ?? undefined;
  context.state.workers.ping(context.endpointId, context.workerId, version);
  return json({});
}
