// The worker protocol as a route family: the routes a worker process calls to
// take jobs and return results (../shared/runpod-worker-protocol.md), served
// for endpoints created with `external: true`. Listed in families.ts before
// the job API, whose `/v2/{endpointId}/{name}/{id}` would claim them too.
//
//   GET  /v2/{endpointId}/job-take/{workerId}?...&job_in_progress=0|1
//   GET  /v2/{endpointId}/job-take-batch/{workerId}?...&batch_size=N
//   GET  /v2/{endpointId}/job-stop/{workerId}?...
//   POST /v2/{endpointId}/job-done/{workerId}/{jobId}?...&isStream=false|true
//   POST /v2/{endpointId}/job-stream/{workerId}/{jobId}?...&isStream=false
//   GET  /v2/{endpointId}/ping/{workerId}?...&job_id=...&runpod_version=...
//
// Each checks the worker key (`RUNPOD_AI_API_KEY`, sent bare), the endpoint
// and the method; none is rate-limited. The request log, `inject`ed faults
// (route names such as "POST /job-done") and `close()` apply as to any route.
import { errorAnswer } from "../../_http.ts";
import type { EmulatorState } from "../../_state.ts";
import { checkEndpoint, checkKey, checkMethod, type RouteFamily } from "../_dispatch.ts";
import type { WorkerContext } from "./_context.ts";
import { done } from "./done.ts";
import { ping } from "./ping.ts";
import { stop } from "./stop.ts";
import { stream } from "./stream.ts";
import { take } from "./take.ts";

/** The worker routes by name: their method, whether the path has a job id, their handler. */
const WORKER_ROUTES: Record<
  string,
  {
    method: string;
    withJobId: boolean;
    handle(context: WorkerContext): Promise<Response> | Response;
  }
> = {
  "job-take": { method: "GET", withJobId: false, handle: (context) => take(context, false) },
  "job-take-batch": { method: "GET", withJobId: false, handle: (context) => take(context, true) },
  "job-stop": { method: "GET", withJobId: false, handle: stop },
  "job-done": { method: "POST", withJobId: true, handle: done },
  "job-stream": { method: "POST", withJobId: true, handle: stream },
  ping: { method: "GET", withJobId: false, handle: ping },
};

/** The worker protocol's routes of every external endpoint. */
export function workerRoutes(state: EmulatorState): RouteFamily {
  return {
    match(request, url) {
      const path = /^\/v2\/([^/]+)\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
      if (!path) return undefined;
      const [, rawEndpoint = "", name = "", rawWorker = "", rawJob] = path;
      const route = Object.hasOwn(WORKER_ROUTES, name) ? WORKER_ROUTES[name] : undefined;
      if (!route || route.withJobId !== (rawJob !== undefined)) return undefined;
      let endpointId: string, workerId: string, jobId: string | undefined;
      try {
        endpointId = decodeURIComponent(rawEndpoint);
        workerId = decodeURIComponent(rawWorker);
        jobId = rawJob === undefined ? undefined : decodeURIComponent(rawJob);
      } catch {
        return undefined; // malformed percent-encoding: the job API answers 404
      }
      return {
        route: `${request.method} /${name}`,
        endpointId,
        ...(jobId !== undefined ? { jobId } : {}),
        answer: async (call) => {
          const refused = checkKey(call.request, state.workerKey) ??
            checkEndpoint(state, endpointId) ??
            checkMethod(call.request, [route.method], `/${name}`);
          if (refused) {
            await call.request.body?.cancel().catch(() => {});
            return refused;
          }
          if (!state.endpoints.isExternal(endpointId)) {
            await call.request.body?.cancel().catch(() => {});
            return errorAnswer(
              404,
              `Endpoint '${endpointId}' runs its jobs in the emulator: give it as ` +
                `{ id: "${endpointId}", external: true } for worker processes to take them`,
            );
          }
          const context: WorkerContext = {
            state,
            request: call.request,
            url: call.url,
            endpointId,
            workerId,
            signal: call.signal,
            setJobId: call.setJobId,
          };
          if (jobId !== undefined) context.jobId = jobId;
          return await route.handle(context);
        },
      };
    },
  };
}
