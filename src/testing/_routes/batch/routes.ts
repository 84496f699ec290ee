import { BATCH_LIMITS } from "../../../_runpod_facts.ts";
import { type BatchRecord, BatchRefusal, BatchStore } from "../../_batches.ts";
import { errorAnswer, json, readJsonBody } from "../../_http.ts";
import type { RouteContext } from "../_context.ts";
import { type JobRequest, readJobRequest } from "../_job_request.ts";

/** The longest page of `GET /batch/{id}/requests`, and the one given without `limit`. */
const PAGE = { max: 1_000, default: 100 } as const;

/**
 * The Batch Jobs API (beta), one store per emulator:
 * `POST /batch` (a JSON array of requests) creates a DRAFT batch;
 * `GET /batch/{id}` reads it with its counts;
 * `POST /batch/{id}/requests` (`{requests: [...]}`) adds to a DRAFT batch;
 * `POST /batch/{id}/finalize` queues its jobs; `POST /batch/{id}/cancel` cancels them;
 * `GET /batch/{id}/requests?offset=&limit=` pages through its requests.
 */
export function batchRoute(): (context: RouteContext) => Promise<Response> {
  const store = new BatchStore();
  return async (context) => {
    const { request, url, endpointId, table } = context;
    const match = /\/batch(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/.exec(url.pathname);
    if (!match) return errorAnswer(404, `Route '${url.pathname}' not found`);
    const [, rawId, action] = match;
    const method = request.method;
    const refuse = (allow: string) =>
      errorAnswer(405, `Method ${method} not allowed on ${url.pathname}`, { allow });
    if (rawId === undefined) {
      if (method !== "POST") return refuse("POST");
      const read = await readRequests(request, "array", endpointTimeout(context));
      if (read instanceof Response) return read;
      const batch = store.create(endpointId, read, context.clock, table);
      if (batch instanceof BatchRefusal) return errorAnswer(batch.status, batch.message);
      context.setJobId(batch.id);
      return json(store.view(batch, table));
    }
    const id = decodeURIComponent(rawId);
    const batch = store.get(endpointId, id);
    if (!batch) {
      await request.body?.cancel().catch(() => {});
      return errorAnswer(404, `Batch '${id}' not found`);
    }
    switch (action) {
      case undefined:
        return method === "GET" ? json(store.view(batch, table)) : refuse("GET");
      case "requests":
        if (method === "GET") return page(context, store, batch);
        if (method === "POST") {
          const read = await readRequests(request, "object", endpointTimeout(context));
          if (read instanceof Response) return read;
          return answer(store.add(batch, read, table), store, batch, context);
        }
        return refuse("GET, POST");
      case "finalize":
        return method === "POST"
          ? answer(store.finalize(batch, table), store, batch, context)
          : refuse("POST");
      case "cancel":
        if (method !== "POST") return refuse("POST");
        store.cancel(batch, table);
        return json(store.view(batch, table));
      default:
        return errorAnswer(404, `Route '${url.pathname}' not found`);
    }
  };
}

function answer(
  refused: BatchRefusal | undefined,
  store: BatchStore,
  batch: BatchRecord,
  context: RouteContext,
): Response {
  if (refused) return errorAnswer(refused.status, refused.message);
  return json(store.view(batch, context.table));
}

/** Reads the requests of a create (a top-level array) or an add (`{requests: [...]}`). */
async function readRequests(
  request: Request,
  shape: "array" | "object",
  timeout: number | undefined,
): Promise<JobRequest[] | Response> {
  const read = await readJsonBody(request, BATCH_LIMITS.bodyBytes);
  if ("answer" in read) return read.answer;
  const list = shape === "array"
    ? read.json
    : read.json !== null && typeof read.json === "object" && !Array.isArray(read.json)
    ? (read.json as Record<string, unknown>).requests
    : undefined;
  if (!Array.isArray(list)) {
    return errorAnswer(
      400,
      shape === "array"
        ? 'Request body must be a JSON array of requests, such as [{"input": ...}]'
        : 'Request body must be {"requests": [{"input": ...}, ...]}',
    );
  }
  const requests: JobRequest[] = [];
  for (const [i, item] of list.entries()) {
    if (item === null || typeof item !== "object" || Array.isArray(item) || !("input" in item)) {
      return errorAnswer(400, `Request ${i} must be a JSON object with an 'input' field`);
    }
    const checked = readJobRequest(item as Record<string, unknown>, timeout);
    if (checked instanceof Response) {
      const { error } = await checked.json() as { error: string };
      return errorAnswer(400, `Request ${i}: ${error}`);
    }
    requests.push(checked);
  }
  return requests;
}

function page(context: RouteContext, store: BatchStore, batch: BatchRecord): Response {
  const { searchParams } = context.url;
  const offset = integer(searchParams.get("offset"), 0);
  const limit = integer(searchParams.get("limit"), PAGE.default);
  if (offset === undefined || offset < 0) {
    return errorAnswer(
      400,
      `Invalid offset '${searchParams.get("offset")}': expected an integer ≥ 0`,
    );
  }
  if (limit === undefined || limit < 1 || limit > PAGE.max) {
    return errorAnswer(
      400,
      `Invalid limit '${searchParams.get("limit")}': expected an integer from 1 to ${PAGE.max}`,
    );
  }
  const total = batch.requests.length;
  return json({
    requests: store.page(batch, offset, limit, context.table),
    total,
    offset,
    limit,
    hasMore: offset + limit < total,
  });
}

function integer(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  return Number.isInteger(value) ? value : undefined;
}

/** The endpoint's execution timeout, a request's default `policy.executionTimeout`. */
function endpointTimeout(context: RouteContext): number | undefined {
  return context.state.endpoints.get(context.endpointId)?.timeout;
}
