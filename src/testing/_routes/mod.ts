import type { RouteContext } from "./_context.ts";
import { batchRoute } from "./batch.ts";
import { cancel } from "./cancel.ts";
import { health } from "./health.ts";
import { purgeQueue } from "./purge_queue.ts";
import { retry } from "./retry.ts";
import { run } from "./run.ts";
import { runsync } from "./runsync.ts";
import { status } from "./status.ts";
import { stream } from "./stream.ts";

/** A route: its methods, whether it takes a job id, and its handler. */
export interface Route {
  methods: string[];
  withJobId: boolean;
  /** The route parses its own path below its name (`/batch/{id}/requests`...). */
  subpaths?: boolean;
  handle(context: RouteContext): Response | Promise<Response>;
}

/** The routes under `/v2/{endpointId}/`, by name. */
export function routes(): Record<string, Route> {
  return {
    run: { methods: ["POST"], withJobId: false, handle: run },
    runsync: { methods: ["POST"], withJobId: false, handle: runsync },
    status: { methods: ["GET", "POST"], withJobId: true, handle: status },
    stream: { methods: ["GET", "POST"], withJobId: true, handle: stream },
    cancel: { methods: ["POST"], withJobId: true, handle: cancel },
    retry: { methods: ["POST"], withJobId: true, handle: retry },
    "purge-queue": { methods: ["POST"], withJobId: false, handle: purgeQueue },
    health: { methods: ["GET"], withJobId: false, handle: health },
    batch: { methods: ["GET", "POST"], withJobId: false, subpaths: true, handle: batchRoute() },
  };
}
