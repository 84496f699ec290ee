// The route families every emulator serves, in the order they claim requests
// (see _dispatch.ts). To add a family, write a `RouteFamilyFactory` in its own
// folder and list it here: a family whose paths the job API would also match
// (the OpenAI-compatible routes `/v2/{endpointId}/openai/v1/...`, Batch Jobs
// `/v2/{endpointId}/batch...`, the worker protocol `/v2/{endpointId}/job-take/...`)
// goes before `jobRoutes`.
import type { RouteFamilyFactory } from "./_dispatch.ts";
import { restRoutes } from "../rest/_family.ts";
import { batchRoutes } from "./batch/mod.ts";
import { jobRoutes } from "./mod.ts";
import { loadBalancerRoutes } from "./load_balancer/mod.ts";
import { openaiRoutes } from "./openai/mod.ts";
import { workerRoutes } from "./worker/mod.ts";

/** The route families, first claim wins (the management API under /rest/v2 first). */
export const routeFamilies: readonly RouteFamilyFactory[] = [
  restRoutes,
  // Claims the hosts ID.api.runpod.ai, the paths /lb/ID/..., and /v2/ID/... of its endpoints.
  loadBalancerRoutes,
  openaiRoutes,
  batchRoutes,
  workerRoutes,
  jobRoutes,
];
