// The workers of one load-balancing endpoint, on the emulator's clock:
// request-count scaling (workers = ceil((waiting + in progress) / requestCount)
// within workers.min and workers.max), a cold start per new worker (its
// server asked for its health until it answers 200), a request waiting up to
// RunPod's 2 minutes for a worker, "no workers available" when every worker
// that can exist is busy, and idle workers scaled down after idleTimeout.
import { LOAD_BALANCER } from "../../../_runpod_facts.ts";
import type { Timers } from "../../_timers.ts";

/** A load-balancing endpoint's settings, RunPod's names. */
export interface PoolSettings {
  min: number;
  max: number;
  /** Seconds a worker stays up with nothing to do. */
  idleTimeout: number;
  /**
   * `scaling.requestCount`: requests per worker the scaler counts on. The
   * emulator also takes it as one worker's most requests at once (whether
   * RunPod does is not documented).
   */
  requestCount: number;
}

/** What a pool needs of its emulator: timers, and how to read a worker's health. */
export interface PoolEnv {
  timers: Timers;
  /** Reads the health path once: its status (a thrown error counts as unhealthy). */
  health(): Promise<number>;
  coldStart: number;
  healthInterval: number;
}

/** One worker: starting (its cold start) or ready, and its requests in progress. */
export interface PoolWorker {
  id: string;
  state: "starting" | "ready";
  inFlight: number;
  /** Cancels its pending timer (a health check or its idle timeout). */
  stop?: (() => void) | undefined;
}

interface Waiter {
  resolve(taken: PoolWorker | "timeout"): void;
  stopTimer(): void;
}

/** The workers of one endpoint. */
export class Pool {
  settings: PoolSettings;
  readonly workers: PoolWorker[] = [];
  #env: PoolEnv;
  #waiting: Waiter[] = [];
  #seq = 0;
  #closed = false;

  constructor(env: PoolEnv, settings: PoolSettings) {
    this.#env = env;
    this.settings = settings;
    this.#scale();
  }

  /** How many requests wait for a worker. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * A worker for one request: a ready one with room at once, else a wait of
   * up to 2 minutes while workers start ("timeout" after it), or
   * "no-workers" when none can start and every one is busy.
   */
  take(signal: AbortSignal): PoolWorker | "no-workers" | Promise<PoolWorker | "timeout"> {
    const free = this.#free();
    if (free) {
      this.#occupy(free);
      return free;
    }
    const starting = this.workers.some((worker) => worker.state === "starting");
    if (this.workers.length >= this.settings.max && !starting) return "no-workers";
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#remove(waiter);
        waiter.stopTimer();
        reject(signal.reason);
      };
      const waiter: Waiter = {
        resolve: (taken) => {
          signal.removeEventListener("abort", onAbort);
          resolve(taken);
        },
        stopTimer: this.#env.timers.set(() => {
          this.#remove(waiter);
          waiter.resolve("timeout");
          this.#scale();
        }, LOAD_BALANCER.workerWait),
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(waiter);
      this.#scale();
    });
  }

  /** A request of `worker` ended. */
  release(worker: PoolWorker): void {
    worker.inFlight--;
    if (worker.inFlight === 0 && this.workers.length > this.settings.max) {
      return this.#stop(worker);
    }
    this.#drain();
    if (worker.inFlight === 0) this.#idle(worker);
  }

  /** New settings (a management API update): scales to them; workers over `max` stop once idle. */
  resize(settings: PoolSettings): void {
    this.settings = settings;
    for (const worker of [...this.workers]) {
      if (this.workers.length <= settings.max) break;
      if (worker.inFlight === 0) this.#stop(worker);
    }
    this.#scale();
    for (const worker of [...this.workers]) {
      if (worker.state === "ready" && worker.inFlight === 0) this.#idle(worker);
    }
  }

  #stop(worker: PoolWorker): void {
    worker.stop?.();
    worker.stop = undefined;
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
  }

  /** Stops every worker (the endpoint was deleted or the emulator closes); waiters are ended by their signals. */
  close(): void {
    this.#closed = true;
    for (const worker of this.workers) worker.stop?.();
    this.workers.length = 0;
    for (const waiter of this.#waiting) waiter.stopTimer();
  }

  #free(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const worker of this.workers) {
      if (worker.state !== "ready" || worker.inFlight >= this.settings.requestCount) continue;
      if (!best || worker.inFlight < best.inFlight) best = worker;
    }
    return best;
  }

  #occupy(worker: PoolWorker): void {
    if (worker.inFlight === 0) {
      worker.stop?.();
      worker.stop = undefined;
    }
    worker.inFlight++;
  }

  #remove(waiter: Waiter): void {
    const at = this.#waiting.indexOf(waiter);
    if (at >= 0) this.#waiting.splice(at, 1);
  }

  /** Starts workers until there are as many as the demand asks, within min and max. */
  #scale(): void {
    if (this.#closed) return;
    const { min, max, requestCount } = this.settings;
    let demand = this.#waiting.length;
    for (const worker of this.workers) demand += worker.inFlight;
    const wanted = Math.min(max, Math.max(min, Math.ceil(demand / requestCount)));
    while (this.workers.length < wanted) this.#start();
  }

  #start(): void {
    const worker: PoolWorker = { id: `worker-${++this.#seq}`, state: "starting", inFlight: 0 };
    this.workers.push(worker);
    worker.stop = this.#env.timers.set(() => void this.#check(worker), this.#env.coldStart);
  }

  /** Reads a starting worker's health: ready on 200, read again later otherwise. */
  async #check(worker: PoolWorker): Promise<void> {
    worker.stop = undefined;
    let status = 0;
    try {
      status = await this.#env.health();
    } catch {
      // Unreachable: not ready.
    }
    if (this.#closed || !this.workers.includes(worker)) return;
    if (status !== 200) {
      worker.stop = this.#env.timers.set(
        () => void this.#check(worker),
        this.#env.healthInterval,
      );
      return;
    }
    worker.state = "ready";
    this.#drain();
    if (worker.inFlight === 0) this.#idle(worker);
  }

  /** Hands ready workers' room to the waiting requests, oldest first. */
  #drain(): void {
    while (this.#waiting.length > 0) {
      const worker = this.#free();
      if (!worker) return;
      const waiter = this.#waiting.shift()!;
      waiter.stopTimer();
      this.#occupy(worker);
      waiter.resolve(worker);
    }
  }

  /** A worker with nothing to do: scaled down after idleTimeout, unless it is one of `min`. */
  #idle(worker: PoolWorker): void {
    worker.stop?.();
    worker.stop = undefined;
    if (this.workers.length <= this.settings.min) return;
    worker.stop = this.#env.timers.set(() => {
      worker.stop = undefined;
      if (worker.inFlight > 0 || this.workers.length <= this.settings.min) return;
      this.#stop(worker);
    }, this.settings.idleTimeout * 1000);
  }
}
