import { errorAnswer } from "../_http.ts";
import type { RateLimitedRoute } from "../../pacing.ts";
import type { EmulatorState } from "../_state.ts";
import { type RouteContext, routeContext } from "./_context.ts";
import {
  checkEndpoint,
  checkKey,
  checkMethod,
  type RouteCall,
  type RouteFamily,
  type RouteMatch,
} from "./_dispatch.ts";
import { cancel } from "./cancel.ts";
import { health } from "./health.ts";
import { purgeQueue } from "./purge_queue.ts";
import { retry } from "./retry.ts";
import { run } from "./run.ts";
import { runsync } from "./runsync.ts";
import { status } from "./status.ts";
import { stream } from "./stream.ts";

/** A job route: its methods, whether it takes a job id, its rate limit, and its handler. */
export interface Route {
  methods: string[];
  withJobId: boolean;
  /** The rate limit it counts against, when RunPod limits it. */
  limit?: RateLimitedRoute;
  handle(context: RouteContext): Response | Promise<Response>;
}

/** The routes under `/v2/{endpointId}/`, by name. */
export function routes(): Record<string, Route> {
  return {
    run: { methods: ["POST"], withJobId: false, limit: "run", handle: run },
    runsync: { methods: ["POST"], withJobId: false, limit: "runsync", handle: runsync },
    status: { methods: ["GET", "POST"], withJobId: true, limit: "status", handle: status },
    stream: { methods: ["GET", "POST"], withJobId: true, limit: "stream", handle: stream },
    cancel: { methods: ["POST"], withJobId: true, limit: "cancel", handle: cancel },
    retry: { methods: ["POST"], withJobId: true, handle: retry },
    "purge-queue": {
      methods: ["POST"],
      withJobId: false,
      limit: "purge-queue",
      handle: purgeQueue,
    },
    health: { methods: ["GET"], withJobId: false, handle: health },
  };
}

/**
 * The job API, `/v2/{endpointId}/{route}[/{jobId}]`: it claims every path of
 * that shape, checks the key, the endpoint, the route, the method and the
 * rate limit, then runs the route's handler.
 */
export function jobRoutes(state: EmulatorState): RouteFamily {
  const table = routes();
  return {
    match(request: Request, url: URL): RouteMatch | undefined {
      const path = parsePath(url.pathname);
      if (!path) return undefined;
      const match: RouteMatch = {
        route: `${request.method} /${path.name}`,
        endpointId: path.endpointId,
        answer: (call) => answer(state, table, path, call),
      };
      if (path.jobId !== undefined) match.jobId = path.jobId;
      return match;
    },
  };
}

async function answer(
  state: EmulatorState,
  table: Record<string, Route>,
  path: ParsedPath,
  call: RouteCall,
): Promise<Response> {
  const { request, url } = call;
  const refused = checkKey(request, state.apiKey) ?? checkEndpoint(state, path.endpointId);
  if (refused) return refused;
  const route = Object.hasOwn(table, path.name) ? table[path.name] : undefined;
  if (!route || route.withJobId !== (path.jobId !== undefined) || path.rest) {
    return errorAnswer(404, `Route '${url.pathname}' not found`);
  }
  const wrongMethod = checkMethod(request, route.methods, `/${path.name}`);
  if (wrongMethod) return wrongMethod;
  const admitted = route.limit ? state.limits.admit(path.endpointId, route.limit) : () => {};
  if (admitted instanceof Response) {
    await request.body?.cancel().catch(() => {});
    return admitted;
  }
  try {
    return await route.handle(routeContext(state, call, path.endpointId, path.jobId));
  } finally {
    admitted();
  }
}

interface ParsedPath {
  endpointId: string;
  name: string;
  jobId?: string;
  rest: boolean;
}

function parsePath(pathname: string): ParsedPath | undefined {
  const match = /^\/v2\/([^/]+)\/([^/]+)(?:\/([^/]+))?(\/.*)?$/.exec(pathname);
  if (!match) return undefined;
  const [, endpointId = "", name = "", jobId, rest] = match;
  try {
    const path: ParsedPath = {
      endpointId: decodeURIComponent(endpointId),
      name,
      rest: rest !== undefined,
    };
    if (jobId !== undefined) path.jobId = decodeURIComponent(jobId);
    return path;
  } catch {
    return undefined; // malformed percent-encoding
  }
}
