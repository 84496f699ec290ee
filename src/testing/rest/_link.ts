import type { JobStatus } from "../../types.ts";

/**
 * The settings of an endpoint that the job API serves: its job execution
 * timeout (ms) and how many of its jobs run at once.
 */
export interface LiveEndpoint {
  id: string;
  timeout?: number;
  workers?: { max?: number; min?: number; idleTimeout?: number };
  /** A load-balancing endpoint's type and `scaling.requestCount` (a queue's: none). */
  type?: "LOAD_BALANCER";
  requestCount?: number;
}

/** A job of an endpoint as the management API sees it (for workers and logs). */
export interface LinkedJob {
  id: string;
  status: JobStatus;
  createdAt: number;
  workerId?: string;
  startedAt?: number;
  completedAt?: number;
}

/**
 * What the management API needs from the job API of the same emulator: the
 * endpoints it serves, and their jobs. An endpoint created over REST is added
 * here, updated when its `timeout` or `workers.max` change, and removed when
 * deleted (its job routes then answer 404).
 */
export interface JobApiLink {
  /** The endpoints the job API serves from the start (the emulator's options). */
  initial(): LiveEndpoint[];
  /** Makes an endpoint live on the job API. */
  add(endpoint: LiveEndpoint): void;
  /** Changes a live endpoint's timeout or worker count. */
  update(endpoint: LiveEndpoint): void;
  /** Takes an endpoint off the job API, cancelling its queued and running jobs. */
  remove(id: string): void;
  /** Serves a load-balancing endpoint (its workers, scaling), or changes its settings. */
  setLoadBalancer(endpoint: {
    id: string;
    workers: { min: number; max: number; idleTimeout: number };
    scaling: Record<string, unknown>;
  }): void;
  /** Takes a load-balancing endpoint away (its requests then answer 404). */
  removeLoadBalancer(id: string): void;
  /** The jobs of an endpoint, oldest first. */
  jobs(id: string): LinkedJob[];
}
