// The worker processes of external endpoints, as the emulator knows them from
// the worker protocol: their heartbeats (`/ping`), and the stops waiting for
// them on the stop channel (`/job-stop`).
import type { Clock } from "../clock.ts";
import { WORKER_PROTOCOL } from "../_runpod_facts.ts";

/**
 * How many heartbeats in a row a worker may miss before `/health` no longer
 * counts it (the emulator's choice: what RunPod does is unknown).
 */
export const MISSED_PINGS = 3;

/** One worker process of an external endpoint. */
export interface WorkerRecord {
  /** The clock time of its latest `/ping`. */
  lastPing?: number;
  /** The `runpod_version` its latest `/ping` sent. */
  version?: string;
  /** Job ids RunPod stopped that the stop channel has not told it yet. */
  stops: string[];
  /** Held `/job-stop` polls, woken when a stop arrives. */
  waiters: Set<() => void>;
}

/** The worker processes of every external endpoint, by endpoint and worker id. */
export class WorkerPool {
  #clock: Clock;
  #workers = new Map<string, Map<string, WorkerRecord>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The worker's record, made on first sight. */
  get(endpointId: string, workerId: string): WorkerRecord {
    let workers = this.#workers.get(endpointId);
    if (!workers) this.#workers.set(endpointId, workers = new Map());
    let worker = workers.get(workerId);
    if (!worker) workers.set(workerId, worker = { stops: [], waiters: new Set() });
    return worker;
  }

  /** Records a heartbeat. */
  ping(endpointId: string, workerId: string, version: string | undefined): void {
    const worker = this.get(endpointId, workerId);
    worker.lastPing = this.#clock.now();
    if (version !== undefined) worker.version = version;
  }

  /** Tells the worker (at its next or held `/job-stop`) that RunPod stopped `jobId`. */
  stop(endpointId: string, workerId: string, jobId: string): void {
    const worker = this.get(endpointId, workerId);
    worker.stops.push(jobId);
    for (const wake of [...worker.waiters]) wake();
  }

  /** The stops waiting for the worker, taken (each is told once). */
  takeStops(endpointId: string, workerId: string): string[] {
    return this.get(endpointId, workerId).stops.splice(0);
  }

  /** The ids of the workers whose heartbeat is current: a ping within the last `MISSED_PINGS` intervals. */
  alive(endpointId: string): string[] {
    const since = this.#clock.now() - MISSED_PINGS * WORKER_PROTOCOL.pingInterval;
    const alive: string[] = [];
    for (const [id, worker] of this.#workers.get(endpointId) ?? []) {
      if (worker.lastPing !== undefined && worker.lastPing > since) alive.push(id);
    }
    return alive;
  }
}
