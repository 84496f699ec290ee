import type { Clock } from "../clock.ts";
import type { EndpointRegistry } from "./_endpoints.ts";
import type { JobTable } from "./_jobs.ts";
import type { RateLimiter } from "./_limits.ts";
import type { Timers } from "./_timers.ts";
import type { WorkerPool } from "./_worker_pool.ts";
import type { RestEmulatorOptions } from "./rest/options.ts";
import type { LoadBalancers } from "./_routes/load_balancer/mod.ts";

/** What every route family shares: the emulator's key, endpoints, jobs, clock and limits. */
export interface EmulatorState {
  /** The API key requests must carry. */
  apiKey: string;
  /** The endpoints that exist now. */
  endpoints: EndpointRegistry;
  /** The jobs. */
  table: JobTable;
  clock: Clock;
  /** Timers cleared when the emulator closes. */
  timers: Timers;
  /** The hold of an empty `/stream` poll without `wait`. */
  streamHold: number;
  /** RunPod's per-endpoint, per-route rate limits. */
  limits: RateLimiter;
  /** Whether `/run` and `/runsync` answer 429 when the queue is deep. */
  deepQueue: boolean;
  /** The key worker processes send (`RUNPOD_AI_API_KEY`), bare, on the worker protocol's routes. */
  workerKey: string;
  /** The worker processes of external endpoints. */
  workers: WorkerPool;
  /** The load-balancing endpoints and their workers. */
  loadBalancers: LoadBalancers;
  /** The management API's options (`rest` of the emulator's options). */
  rest: RestEmulatorOptions;
}
