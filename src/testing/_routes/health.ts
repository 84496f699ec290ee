import { json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";

/** `GET /health`: job counts by status and worker counts. */
export function health(context: RouteContext): Response {
  return json(context.table.health(context.endpointId));
}
