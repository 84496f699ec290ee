// The Batch Jobs API (beta) as a route family: `/v2/{endpointId}/batch[...]`.
// Listed in families.ts before the job API (whose `/v2/{endpointId}/{name}`
// would claim `/batch/{id}` too).
import type { EmulatorState } from "../../_state.ts";
import { routeContext } from "../_context.ts";
import { checkEndpoint, checkKey, type RouteFamily } from "../_dispatch.ts";
import { batchRoute } from "./routes.ts";

/** The Batch Jobs routes, one store of batches per emulator. */
export function batchRoutes(state: EmulatorState): RouteFamily {
  const handle = batchRoute();
  return {
    match(request, url) {
      const match = /^\/v2\/([^/]+)\/batch(?:\/([^/]+))?(?:\/.*)?$/.exec(url.pathname);
      if (!match) return undefined;
      let endpointId: string;
      let batchId: string | undefined;
      try {
        endpointId = decodeURIComponent(match[1] ?? "");
        batchId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
      } catch {
        return undefined; // malformed percent-encoding: the job API answers 404
      }
      return {
        route: `${request.method} /batch`,
        endpointId,
        ...(batchId !== undefined ? { jobId: batchId } : {}),
        answer: (call) => {
          const refused = checkKey(call.request, state.apiKey) ?? checkEndpoint(state, endpointId);
          if (refused) return refused;
          return handle(routeContext(state, call, endpointId));
        },
      };
    },
  };
}
