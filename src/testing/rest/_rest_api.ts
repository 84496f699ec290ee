import type { Clock } from "../../clock.ts";
import { REST_RATE_LIMIT_EXAMPLE } from "../../_runpod_facts.ts";
import type { Timers } from "../_timers.ts";
import { REST_PREFIX, type RestHandlers, RestPipeline } from "./_api.ts";
import { catalogHandlers } from "./_catalog.ts";
import { endpointHandlers, seedEndpoints } from "./_endpoints.ts";
import type { JobApiLink } from "./_link.ts";
import { LogHub } from "./_logs.ts";
import { podHandlers } from "./_pods.ts";
import { resourceHandlers } from "./_resources.ts";
import { RestState } from "./_state.ts";
import type { RestEmulatorOptions } from "./options.ts";

export { REST_PREFIX };

/** The management API (REST v2) of the emulator: its data, routes and log streams. */
export class RestApi {
  #pipeline: RestPipeline;

  constructor(options: {
    apiKey: string;
    clock: Clock;
    timers: Timers;
    link: JobApiLink;
    rest?: RestEmulatorOptions;
  }) {
    const { requestsPerMinute = REST_RATE_LIMIT_EXAMPLE.quota, catalog = true } = options.rest ??
      {};
    if (!Number.isInteger(requestsPerMinute) || requestsPerMinute < 1) {
      throw new RangeError(
        `Cannot create emulator: rest.requestsPerMinute must be a positive integer, received ${requestsPerMinute}`,
      );
    }
    const state = new RestState({
      clock: options.clock,
      link: options.link,
      logs: new LogHub(options.clock, options.timers),
      catalog,
    });
    seedEndpoints(state);
    const handlers: RestHandlers = {
      ...endpointHandlers(state),
      ...resourceHandlers(state),
      ...podHandlers(state),
      ...catalogHandlers(state),
    };
    this.#pipeline = new RestPipeline({
      apiKey: options.apiKey,
      clock: options.clock,
      requestsPerMinute,
      window: REST_RATE_LIMIT_EXAMPLE.window,
      handlers,
    });
  }

  /** The route name of a management API request (`"GET /serverless/{id}"`), or `undefined` for another path. */
  routeName(method: string, pathname: string): string | undefined {
    return this.#pipeline.routeName(method, pathname);
  }

  /** Answers a management API request. */
  handle(request: Request, url: URL, signal: AbortSignal): Promise<Response> {
    return this.#pipeline.handle(request, url, signal);
  }
}
