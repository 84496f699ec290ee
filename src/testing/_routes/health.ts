import { json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";

/**
 * `GET /health`: job counts by status and worker counts. An external
 * endpoint's workers are the worker processes whose heartbeat is current:
 * running while they hold a job, idle otherwise.
 */
export function health(context: RouteContext): Response {
  const { endpointId, state, table } = context;
  const answer = table.health(endpointId);
  if (state.endpoints.isExternal(endpointId)) {
    const holders = table.holders(endpointId);
    const alive = state.workers.alive(endpointId);
    const running = alive.filter((id) => holders.has(id)).length;
    const idle = alive.length - running;
    answer.workers = { idle, running, initializing: 0, ready: idle, throttled: 0, unhealthy: 0 };
  }
  return json(answer);
}
