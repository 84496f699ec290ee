import { POLICY } from "../_runpod_facts.ts";

/**
 * An endpoint of the emulator, shaped like the management API's (REST v2)
 * endpoint object: its id, its execution timeout and its workers. Give these
 * in {@linkcode EmulatorOptions.endpoints} instead of bare ids to set them.
 *
 * @example An endpoint with a short execution timeout and two workers
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type EmulatorEndpoint, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * const endpoint: EmulatorEndpoint = { id: "slow", timeout: 30_000, workers: { max: 2 } };
 * await using emulator = createEmulator({
 *   clock,
 *   endpoints: [endpoint],
 *   worker: (job) => job.sleep(60_000),
 * });
 * const slow = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
 *   .endpoint("slow");
 * const job = await slow.runSync({ input: {} });
 * assert.equal(job.status, "TIMED_OUT"); // the endpoint's 30 s, not RunPod's default 600 s
 * const overridden = await slow.runSync({ input: {}, policy: { executionTimeout: 120_000 } });
 * assert.equal(overridden.status, "COMPLETED"); // a job's policy overrides its endpoint
 * ```
 */
export interface EmulatorEndpoint {
  /** The endpoint id, as in `/v2/{id}/run`. */
  id: string;
  /**
   * Its kind: a job queue, or a load-balancing endpoint whose requests go
   * straight to a worker's server (see `LoadBalancerEmulatorOptions`).
   *
   * @default {"QUEUE"}
   */
  type?: "QUEUE" | "LOAD_BALANCER";
  /**
   * A load-balancing endpoint's scaling: `requestCount` requests per worker
   * (the emulator also caps one worker's requests at once to it).
   *
   * @default {{ requestCount: 4 }}
   */
  scaling?: { requestCount?: number };
  /**
   * The endpoint's execution timeout in ms: a job that runs longer ends
   * TIMED_OUT, unless its `policy.executionTimeout` says otherwise.
   *
   * @default {600000}
   */
  timeout?: number;
  /** The endpoint's workers. */
  workers?: {
    /**
     * How many jobs run at once (0: jobs wait in the queue).
     *
     * @default {the emulator's `workers` option}
     */
    max?: number;
    /**
     * A load-balancing endpoint's workers always up (the queue ignores it).
     *
     * @default {0}
     */
    min?: number;
    /**
     * Seconds a load-balancing endpoint's worker stays up with nothing to do
     * (the queue ignores it).
     *
     * @default {10}
     */
    idleTimeout?: number;
  };
  /**
   * Whether worker processes serve the endpoint over RunPod's worker
   * protocol instead of the emulator's worker function: its jobs wait
   * IN_QUEUE until a worker takes them (`GET /v2/{id}/job-take/{workerId}`),
   * and {@linkcode Emulator.workerEnv} gives the `RUNPOD_*` variables that
   * point a worker at it. `workers.max` does not apply: as many jobs run at
   * once as the workers take.
   *
   * @default {false}
   */
  external?: boolean;
}

/** An endpoint's settings with its defaults filled in. */
export interface EndpointSettings {
  id: string;
  /** The execution timeout, in ms. */
  timeout: number;
  /** How many jobs run at once. */
  maxWorkers: number;
  /** Served by worker processes over the worker protocol (set when added, never changed). */
  external?: true;
}

/** What the registry tells the job table when an endpoint changes. */
export interface EndpointEvents {
  /** Its worker count changed (jobs may start, or wait). */
  resized(id: string): void;
  /** It was removed: its jobs are gone with it. */
  removed(id: string): void;
}

/**
 * The endpoints that exist, with their settings. Internal: the management
 * emulator creates, updates and deletes endpoints here at run time (reach it
 * with {@linkcode endpointsOf}); a removed endpoint's routes answer 404.
 */
export class EndpointRegistry {
  #endpoints = new Map<string, EndpointSettings>();
  #defaultWorkers: number;
  #events: EndpointEvents | undefined;

  constructor(defaultWorkers: number) {
    this.#defaultWorkers = defaultWorkers;
  }

  /** Connects the job table (once, at construction). */
  listen(events: EndpointEvents): void {
    this.#events = events;
  }

  /** Whether the endpoint exists. */
  has(id: string): boolean {
    return this.#endpoints.has(id);
  }

  /** The endpoint's settings, or `undefined` when it does not exist. */
  get(id: string): EndpointSettings | undefined {
    const settings = this.#endpoints.get(id);
    return settings && { ...settings };
  }

  /** Whether the endpoint exists and is served by worker processes (`external: true`). */
  isExternal(id: string): boolean {
    return this.#endpoints.get(id)?.external === true;
  }

  /** Every endpoint, in the order created. */
  list(): EndpointSettings[] {
    return [...this.#endpoints.values()].map((settings) => ({ ...settings }));
  }

  /** Adds an endpoint; a `TypeError` or `RangeError` when its id exists or a setting is invalid. */
  add(endpoint: EmulatorEndpoint | string): EndpointSettings {
    const input = typeof endpoint === "string" ? { id: endpoint } : endpoint;
    if (input === null || typeof input !== "object") {
      throw new TypeError(
        `Cannot add endpoint: expected an id or { id, timeout?, workers? }, received ${
          String(input)
        }`,
      );
    }
    const { id } = input;
    if (typeof id !== "string" || id === "") {
      throw new TypeError(
        `Cannot add endpoint: id must be a non-empty string, received ${JSON.stringify(id)}`,
      );
    }
    if (this.#endpoints.has(id)) {
      throw new TypeError(`Cannot add endpoint '${id}': an endpoint with this id exists`);
    }
    const settings: EndpointSettings = {
      id,
      timeout: POLICY.executionTimeout.default,
      maxWorkers: this.#defaultWorkers,
    };
    applySettings(settings, input, `Cannot add endpoint '${id}'`);
    const { external } = input;
    if (external !== undefined && typeof external !== "boolean") {
      throw new TypeError(
        `Cannot add endpoint '${id}': external must be a boolean, received ${
          JSON.stringify(external)
        }`,
      );
    }
    if (external === true) settings.external = true;
    this.#endpoints.set(id, settings);
    this.#events?.resized(id);
    return { ...settings };
  }

  /** Changes an endpoint's timeout or worker count; a `TypeError` when it does not exist. */
  update(id: string, changes: Omit<EmulatorEndpoint, "id" | "external">): EndpointSettings {
    const settings = this.#endpoints.get(id);
    if (!settings) throw new TypeError(`Cannot update endpoint '${id}': it does not exist`);
    const next = { ...settings };
    applySettings(next, changes, `Cannot update endpoint '${id}'`);
    this.#endpoints.set(id, next);
    if (next.maxWorkers !== settings.maxWorkers) this.#events?.resized(id);
    return { ...next };
  }

  /** Removes an endpoint and its jobs; returns whether it existed. */
  remove(id: string): boolean {
    if (!this.#endpoints.delete(id)) return false;
    this.#events?.removed(id);
    return true;
  }
}

function applySettings(
  settings: EndpointSettings,
  input: Omit<EmulatorEndpoint, "id" | "external">,
  what: string,
): void {
  const { timeout, workers } = input;
  if (timeout !== undefined) {
    if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
      throw new RangeError(`${what}: timeout must be a positive number of ms, received ${timeout}`);
    }
    settings.timeout = timeout;
  }
  if (workers !== undefined) {
    if (workers === null || typeof workers !== "object") {
      throw new TypeError(`${what}: workers must be an object such as { max: 2 }`);
    }
    const { max } = workers;
    if (max !== undefined) {
      if (!Number.isInteger(max) || max < 0) {
        throw new RangeError(
          `${what}: workers.max must be a non-negative integer, received ${max}`,
        );
      }
      settings.maxWorkers = max;
    }
  }
}

const registries = new WeakMap<object, EndpointRegistry>();

/** Ties an emulator to its endpoint registry (called by the emulator's constructor). */
export function attachEndpoints(emulator: object, registry: EndpointRegistry): void {
  registries.set(emulator, registry);
}

/**
 * The endpoint registry of an emulator, for internal code such as the
 * management emulator: `endpointsOf(emulator).add({ id, timeout, workers })`,
 * `.update(id, changes)`, `.remove(id)`, `.get(id)`, `.list()`.
 */
export function endpointsOf(emulator: object): EndpointRegistry {
  const registry = registries.get(emulator);
  if (!registry) throw new TypeError("Not an emulator made by createEmulator()");
  return registry;
}
