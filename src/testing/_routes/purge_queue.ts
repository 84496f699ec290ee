import { json } from "../_http.ts";
import type { RouteContext } from "./_context.ts";

/** `POST /purge-queue`: removes the endpoint's queued jobs (running ones carry on). */
export function purgeQueue(context: RouteContext): Response {
  const removed = context.table.purge(context.endpointId);
  return json({ removed, status: "completed" });
}
