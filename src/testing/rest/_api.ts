import type { Clock } from "../../clock.ts";
import { checkBody } from "../../rest/_check_body.ts";
import { type OperationId, OPERATIONS } from "../../rest/_operations.gen.ts";
import { problem } from "./_problem.ts";
import { RateLimiter } from "./_rate_limit.ts";

/** The path prefix under which the emulator serves the management API. */
export const REST_PREFIX = "/rest/v2";

/** What a management API route handler gets. */
export interface RestContext {
  request: Request;
  url: URL;
  /** The path parameters (`id`, `workerId`). */
  params: Record<string, string>;
  /** The JSON body, checked against the spec (absent for routes without one). */
  body: Record<string, unknown>;
  /** The origin of the job API, for an endpoint's `requestUrls`. */
  origin: string;
  /** Aborts when the request is aborted or the emulator closes. */
  signal: AbortSignal;
}

/** A route handler of the management API. */
export type RestHandler = (context: RestContext) => Response | Promise<Response>;

/** A handler for every operation of the spec: the type makes sure none is missing. */
export type RestHandlers = Record<OperationId, RestHandler>;

interface CompiledRoute {
  template: string;
  regex: RegExp;
  names: string[];
  literals: number;
  operations: Map<string, OperationId>;
}

/** The routes of the spec, compiled once per emulator. */
function compileRoutes(): CompiledRoute[] {
  const byPath = new Map<string, CompiledRoute>();
  for (const [operationId, operation] of Object.entries(OPERATIONS)) {
    let route = byPath.get(operation.path);
    if (!route) {
      const names: string[] = [];
      const segments = operation.path.split("/").slice(1);
      const pattern = segments.map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(param[1]);
        return "([^/]+)";
      }).join("/");
      route = {
        template: operation.path,
        regex: new RegExp(`^/${pattern}/?$`),
        names,
        literals: segments.length - names.length,
        operations: new Map(),
      };
      byPath.set(operation.path, route);
    }
    route.operations.set(operation.method, operationId as OperationId);
  }
  // A literal segment wins over a parameter: /registries/delegations before /registries/{id}.
  return [...byPath.values()].sort((a, b) => b.literals - a.literals);
}

/** Options of the request pipeline. */
export interface PipelineOptions {
  apiKey: string;
  clock: Clock;
  requestsPerMinute: number;
  window: number;
  handlers: RestHandlers;
}

/**
 * The request pipeline of the management API: request id, API key, rate
 * limit, route and method, body checked against the spec, then the route's
 * handler. Every answer carries `x-request-id`; every authenticated one the
 * rate-limit headers.
 */
export class RestPipeline {
  #options: PipelineOptions;
  #routes = compileRoutes();
  #limiter: RateLimiter;

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#limiter = new RateLimiter(options.clock, options.requestsPerMinute, options.window);
  }

  /**
   * The route name of a request for the request log and faults, such as
   * `"PATCH /serverless/{id}"`; `undefined` when the path is not under {@linkcode REST_PREFIX}.
   */
  routeName(method: string, pathname: string): string | undefined {
    const path = restPath(pathname);
    if (path === undefined) return undefined;
    const match = this.#match(path);
    return `${method} ${match ? match.route.template : REST_PREFIX + path}`;
  }

  /** Answers a request whose path is under {@linkcode REST_PREFIX}. */
  async handle(request: Request, url: URL, signal: AbortSignal): Promise<Response> {
    const requestId = crypto.randomUUID();
    const response = await this.#answer(request, url, signal);
    response.headers.set("x-request-id", requestId);
    return response;
  }

  async #answer(request: Request, url: URL, signal: AbortSignal): Promise<Response> {
    const authorization = request.headers.get("authorization");
    if (authorization !== `Bearer ${this.#options.apiKey}`) {
      await request.body?.cancel().catch(() => {});
      return problem(401, authorization === null ? "missing bearer token" : "invalid API key");
    }
    const verdict = this.#limiter.take();
    const response = verdict.allowed
      ? await this.#route(request, url, signal)
      : problem(429, "rate limit exceeded for the minute window");
    if (!verdict.allowed) await request.body?.cancel().catch(() => {});
    for (const [name, value] of Object.entries(verdict.headers)) response.headers.set(name, value);
    return response;
  }

  async #route(request: Request, url: URL, signal: AbortSignal): Promise<Response> {
    const path = restPath(url.pathname) ?? "";
    const match = this.#match(path);
    if (!match) {
      await request.body?.cancel().catch(() => {});
      return problem(404, `No route '${url.pathname}' in the management API`);
    }
    const operationId = match.route.operations.get(request.method);
    if (operationId === undefined) {
      await request.body?.cancel().catch(() => {});
      const allow = [...match.route.operations.keys()].join(", ");
      return problem(405, `Method ${request.method} is not allowed on ${match.route.template}`, {
        headers: { allow },
      });
    }
    let body: Record<string, unknown> = {};
    if (OPERATIONS[operationId].body) {
      const text = await request.text();
      let parsed: unknown = undefined;
      if (text.trim() !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          return problem(400, "The request body is not valid JSON");
        }
      }
      const problems = checkBody(operationId, parsed);
      if (problems.length > 0) {
        return problem(422, "Request validation failed.", { errors: problems });
      }
      body = parsed as Record<string, unknown>;
    } else {
      await request.body?.cancel().catch(() => {});
    }
    const handler = this.#options.handlers[operationId];
    return await handler({ request, url, params: match.params, body, origin: url.origin, signal });
  }

  #match(path: string): { route: CompiledRoute; params: Record<string, string> } | undefined {
    for (const route of this.#routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? "")));
      } catch {
        return undefined;
      }
      return { route, params };
    }
    return undefined;
  }
}

/** The path after {@linkcode REST_PREFIX}, or `undefined` for a path outside it. */
export function restPath(pathname: string): string | undefined {
  if (pathname === REST_PREFIX) return "/";
  return pathname.startsWith(`${REST_PREFIX}/`) ? pathname.slice(REST_PREFIX.length) : undefined;
}
