// The routes of the Batch Jobs API (beta) and their parsers, as src/_routes.ts
// holds the job routes: in a file of their own so that they load with the
// Batch Jobs code (src/_batches.ts), on its first use.
import { RunpodError } from "./errors.ts";
import { isObject, type Parser } from "./_parse.ts";
import type { Risk } from "./_retry.ts";
import { job, type Method, type RouteDef } from "./_routes.ts";
import type { Batch, BatchPage } from "./batch.ts";

function failBatch(route: string, what: string): never {
  throw new RunpodError(
    `${route} answered with an unexpected shape: ${what}; the Batch Jobs API is in beta and may have changed: update @runpod/sdk or report it`,
    { route },
  );
}

/** A batch of the Batch Jobs API (beta): an id, a status and its four counts. */
export function parseBatch(route: string, value: unknown): Batch {
  if (!isObject(value)) failBatch(route, "not a JSON object");
  if (typeof value.id !== "string" || value.id === "") failBatch(route, "no batch 'id'");
  if (typeof value.status !== "string") failBatch(route, "no batch 'status'");
  for (const count of ["requestTotal", "requestInProgress", "requestCompleted", "requestFailed"]) {
    if (typeof value[count] !== "number") failBatch(route, `no number '${count}'`);
  }
  return value as unknown as Batch;
}

/** A page of a batch's requests: `requests` (objects, passed through) and `hasMore`. */
export function parseBatchPage<O>(route: string, value: unknown): BatchPage<O> {
  if (!isObject(value)) failBatch(route, "not a JSON object");
  if (!Array.isArray(value.requests) || !value.requests.every(isObject)) {
    failBatch(route, "no 'requests' array of objects");
  }
  if (typeof value.hasMore !== "boolean") failBatch(route, "no boolean 'hasMore'");
  return value as unknown as BatchPage<O>;
}

const LOST_BATCH =
  "the batch may or may not have been created: an unused DRAFT batch counts against the endpoint's 10 active batches until cancelled (find it by the id of a later create, or wait for RunPod to expire it)";
const LOST_ADD =
  "the requests may or may not have been added: read the batch (get() or requests()) before adding them again, since requests added twice run and bill twice once finalized";

/** Fills the fields every Batch Jobs route shares. */
function batch<T>(
  method: Method,
  path: string,
  risk: Risk,
  parse: Parser<T>,
  call: string,
  extra: Partial<RouteDef<T>> = {},
): RouteDef<T> {
  return job(method, path, risk, parse, call, {
    notFound: "check the endpoint and batch ids",
    ...extra,
  });
}

/** The Batch Jobs API's routes (beta), on the job host (`.../v2/{endpointId}/batch...`). */
export const BATCH_ROUTES = {
  create: batch<Batch>(
    "POST",
    "/batch",
    "duplicate",
    parseBatch,
    "create a batch on endpoint {endpointId}",
    { lost: LOST_BATCH },
  ),
  add: batch<Batch>(
    "POST",
    "/batch/{batchId}/requests",
    "double-bill",
    parseBatch,
    "add requests to batch {batchId}",
    { lost: LOST_ADD },
  ),
  finalize: batch<Batch>(
    "POST",
    "/batch/{batchId}/finalize",
    "nothing",
    parseBatch,
    "finalize batch {batchId}",
  ),
  get: batch<Batch>("GET", "/batch/{batchId}", "nothing", parseBatch, "read batch {batchId}"),
  cancel: batch<Batch>(
    "POST",
    "/batch/{batchId}/cancel",
    "nothing",
    parseBatch,
    "cancel batch {batchId}",
  ),
  requests: batch<BatchPage>(
    "GET",
    "/batch/{batchId}/requests",
    "nothing",
    parseBatchPage,
    "read the requests of batch {batchId}",
  ),
} as const;
