// The dispatch: which route answers a request, and the checks every job route
// shares (the API key, the endpoint, the method).
//
// The emulator holds an ordered list of route families (`RouteFamily`); the
// first family whose `match` claims a request answers it, and a request no
// family claims answers 404. The request log, `inject`ed faults, CORS and
// `close()` apply to every family alike, since they wrap the dispatch. To add
// a family (the management API at `restUrl`, the OpenAI-compatible routes
// `/v2/{endpointId}/openai/v1/...`, Batch Jobs `/v2/{endpointId}/batch...`),
// write a `RouteFamilyFactory` over the shared `EmulatorState` and list it in
// `families.ts`, before any family whose paths would also match its own (the
// job API claims `/v2/{endpointId}/{name}[/{jobId}]`, so families under
// `/v2/{endpointId}/` go first). `checkKey`, `checkEndpoint`, `checkMethod`
// and `state.limits.admit(endpointId, "openai")` are there to reuse.
import { errorAnswer } from "../_http.ts";
import type { EmulatorState } from "../_state.ts";

/** What a matched route is called with. */
export interface RouteCall {
  request: Request;
  url: URL;
  /** Aborts when the client goes away or the emulator closes. */
  signal: AbortSignal;
  /** Records the job the request created, for the request log. */
  setJobId(id: string): void;
}

/** A request claimed by one route of a family. */
export interface RouteMatch {
  /** The route as the request log, `countRequests` and `inject` name it, such as `"POST /run"`. */
  route: string;
  /** The endpoint id in the path, when there is one. */
  endpointId?: string;
  /** The job id in the path, when there is one. */
  jobId?: string;
  /** Answers the request: the family's checks first (key, endpoint, method), then the route. */
  answer(call: RouteCall): Response | Promise<Response>;
}

/** A family of routes: it claims the requests whose URL is one of its own. */
export interface RouteFamily {
  /** The route a request is for, or `undefined` when its URL is not this family's. */
  match(request: Request, url: URL): RouteMatch | undefined;
}

/** Makes a route family over the emulator's shared state. */
export type RouteFamilyFactory = (state: EmulatorState) => RouteFamily;

/** The first family's claim on `request`, or a 404 route when no family claims it. */
export function dispatch(families: readonly RouteFamily[], request: Request, url: URL): RouteMatch {
  if (MANAGEMENT_PATH.test(url.pathname)) return managementOnJobApi(request, url);
  for (const family of families) {
    const match = family.match(request, url);
    if (match) return match;
  }
  return {
    route: `${request.method} ${url.pathname}`,
    answer: () =>
      errorAnswer(404, `Not found: '${url.pathname}' (routes are /v2/{endpointId}/...)`),
  };
}

/**
 * 401 unless the request carries the API key: `Authorization: Bearer <key>`,
 * or the bare key, which RunPod's own cURL examples send and RunPod accepts.
 */
export function checkKey(request: Request, apiKey: string): Response | undefined {
  const header = request.headers.get("authorization");
  if (header === null) return errorAnswer(401, "Unauthorized: missing API key");
  const bearer = /^bearer\s+(.*)$/i.exec(header);
  const key = bearer ? bearer[1] : header;
  if (key !== apiKey) return errorAnswer(401, "Unauthorized: invalid API key");
  return undefined;
}

/** 404 unless the endpoint exists now (a deleted one answers 404 too). */
export function checkEndpoint(state: EmulatorState, endpointId: string): Response | undefined {
  if (state.endpoints.has(endpointId)) return undefined;
  return errorAnswer(404, `Endpoint '${endpointId}' not found`);
}

/** 405 with `Allow` unless the request's method is one of `methods`. */
export function checkMethod(
  request: Request,
  methods: readonly string[],
  name: string,
): Response | undefined {
  if (methods.includes(request.method)) return undefined;
  return errorAnswer(405, `Method ${request.method} not allowed on ${name}`, {
    allow: methods.join(", "),
  });
}

/** The management API's paths (REST v2), sent to the job API's `/v2` by a client without `restUrl`. */
const MANAGEMENT_PATH =
  /^\/v2\/(serverless|templates|pods|network-volumes|registries|clusters|billing|catalog|account)(\/|$)/;

/** A 404 that says where the management API is, for a client that sent it to the job API. */
function managementOnJobApi(request: Request, url: URL): RouteMatch {
  return {
    route: `${request.method} ${url.pathname}`,
    answer: () =>
      errorAnswer(
        404,
        `'${url.pathname}' is a management API route, served at emulator.restUrl (/rest/v2), not on the job API: set restUrl: emulator.restUrl, or use emulator.client()`,
      ),
  };
}
