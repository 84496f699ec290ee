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
import { openaiRoutes } from "./openai/mod.ts";
import { workerRoutes } from "./worker/mod.ts";

/** The route families, first claim wins (the management API under /rest/v2 first). */
export const routeFamilies: readonly RouteFamilyFactory[] = [
  restRoutes,
  openaiRoutes,
  batchRoutes,
  workerRoutes,
  jobRoutes,
];
