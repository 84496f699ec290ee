// The OpenAI-compatible routes of vLLM workers, `/v2/{endpointId}/openai/v1/...`
// (chat completions, completions, models), as a route family (see
// ../_dispatch.ts): the key, endpoint, method and rate-limit checks here, the
// job and its answer in ./answer.ts.
import { errorAnswer } from "../../_http.ts";
import type { EmulatorState } from "../../_state.ts";
import {
  checkEndpoint,
  checkKey,
  checkMethod,
  type RouteCall,
  type RouteFamily,
  type RouteMatch,
} from "../_dispatch.ts";
import { answerOpenAI, type OpenAIRoute } from "./answer.ts";

/** The OpenAI-compatible routes below `/v2/{endpointId}/openai/v1/`, with their method. */
const ROUTES: Record<string, { method: string; route: OpenAIRoute }> = {
  "/v1/chat/completions": { method: "POST", route: "/v1/chat/completions" },
  "/v1/completions": { method: "POST", route: "/v1/completions" },
  "/v1/models": { method: "GET", route: "/v1/models" },
};

/**
 * The OpenAI-compatible routes, `/v2/{endpointId}/openai/...`: the family
 * claims every path under `/openai` (listed before the job API, which would
 * claim them too), checks the key, the endpoint, the route, the method and
 * the `openai` rate limit, then answers with {@linkcode answerOpenAI}.
 */
export function openaiRoutes(state: EmulatorState): RouteFamily {
  return {
    match(request: Request, url: URL): RouteMatch | undefined {
      const match = /^\/v2\/([^/]+)\/openai(\/.*)?$/.exec(url.pathname);
      if (!match) return undefined;
      let endpointId: string;
      try {
        endpointId = decodeURIComponent(match[1] ?? "");
      } catch {
        return undefined; // malformed percent-encoding: the job API answers 404
      }
      const rest = match[2] ?? "";
      return {
        route: `${request.method} /openai${rest}`,
        endpointId,
        answer: (call) => answer(state, endpointId, rest, call),
      };
    },
  };
}

async function answer(
  state: EmulatorState,
  endpointId: string,
  rest: string,
  call: RouteCall,
): Promise<Response> {
  const { request, url } = call;
  const refused = checkKey(request, state.apiKey) ?? checkEndpoint(state, endpointId);
  if (refused) return refused;
  const known = Object.hasOwn(ROUTES, rest) ? ROUTES[rest] : undefined;
  if (!known) return errorAnswer(404, `Route '${url.pathname}' not found`);
  const wrongMethod = checkMethod(request, [known.method], `/openai${rest}`);
  if (wrongMethod) return wrongMethod;
  const admitted = state.limits.admit(endpointId, "openai");
  if (admitted instanceof Response) {
    await request.body?.cancel().catch(() => {});
    return admitted;
  }
  return await answerOpenAI(known.route, {
    request,
    signal: call.signal,
    table: state.table,
    endpointId,
    setJobId: call.setJobId,
  }, admitted);
}
