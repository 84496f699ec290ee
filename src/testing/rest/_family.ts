// The management API as a route family of the emulator (see ../_routes/_dispatch.ts):
// it claims the paths under /rest/v2, and reaches the job API through the
// emulator's endpoint registry and job table.
import { POLICY } from "../../_runpod_facts.ts";
import type { RouteFamily } from "../_routes/_dispatch.ts";
import type { EmulatorState } from "../_state.ts";
import type { JobApiLink, LiveEndpoint } from "./_link.ts";
import { RestApi } from "./_rest_api.ts";

/** The management API's routes over the emulator's shared state. */
export function restRoutes(state: EmulatorState): RouteFamily {
  const api = new RestApi({
    apiKey: state.apiKey,
    clock: state.clock,
    timers: state.timers,
    link: jobApiLink(state),
    rest: state.rest,
  });
  return {
    match(request, url) {
      const route = api.routeName(request.method, url.pathname);
      if (route === undefined) return undefined;
      return { route, answer: (call) => api.handle(call.request, call.url, call.signal) };
    },
  };
}

/**
 * An endpoint's settings for the job API. A `timeout` of 0 or less (RunPod
 * has been seen to answer 0) sets no endpoint limit: the longest a job may run.
 */
function settings(endpoint: LiveEndpoint) {
  const timeout = endpoint.timeout === undefined
    ? undefined
    : endpoint.timeout > 0
    ? endpoint.timeout
    : POLICY.executionTimeout.max;
  return {
    ...(timeout !== undefined ? { timeout } : {}),
    ...(endpoint.workers?.max !== undefined ? { workers: { max: endpoint.workers.max } } : {}),
  };
}

function jobApiLink(state: EmulatorState): JobApiLink {
  return {
    initial: () => [
      ...state.endpoints.list().map((endpoint) => ({
        id: endpoint.id,
        timeout: endpoint.timeout,
        workers: { max: endpoint.maxWorkers },
      })),
      ...state.loadBalancers.ids().map((id) => {
        const { min, max, idleTimeout, requestCount } = state.loadBalancers.get(id)!.settings;
        return {
          id,
          type: "LOAD_BALANCER" as const,
          workers: { min, max, idleTimeout },
          requestCount,
        };
      }),
    ],
    add: (endpoint) => void state.endpoints.add({ id: endpoint.id, ...settings(endpoint) }),
    update: (endpoint) => void state.endpoints.update(endpoint.id, settings(endpoint)),
    remove: (id) => void state.endpoints.remove(id),
    setLoadBalancer: ({ id, workers, scaling }) => {
      const requestCount = typeof scaling.requestCount === "number"
        ? scaling.requestCount
        : undefined;
      const settings = { id, workers, scaling: requestCount === undefined ? {} : { requestCount } };
      if (state.loadBalancers.has(id)) state.loadBalancers.update(settings);
      else state.loadBalancers.add(settings);
    },
    removeLoadBalancer: (id) => void state.loadBalancers.remove(id),
    jobs: (id) =>
      state.table.all().filter((job) => job.endpointId === id).map((job) => ({
        id: job.id,
        status: job.status,
        createdAt: job.createdAt,
        ...(job.workerId !== undefined ? { workerId: job.workerId } : {}),
        ...(job.startedAt !== undefined ? { startedAt: job.startedAt } : {}),
        ...(job.completedAt !== undefined ? { completedAt: job.completedAt } : {}),
      })),
  };
}
