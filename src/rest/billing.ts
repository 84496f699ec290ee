import { queryOf, request, type RestTransport } from "./_client.ts";
import type {
  ListBillingResponse,
  ListClusterBillingResponse,
  ListEndpointBillingResponse,
  ListNetworkVolumeBillingResponse,
  ListPodBillingResponse,
  ListServerlessBillingResponse,
} from "./schemas.gen.ts";
import type { OperationId } from "./_operations.gen.ts";
import type { BillingOptions } from "./types.ts";
import { quote } from "../_validate.ts";

const BUCKETS = ["hour", "day", "week", "month", "year"];

/**
 * What the account spent (`/billing`), in time buckets: everything, or by
 * pod, serverless endpoint, public endpoint, network volume or cluster. Every
 * method takes a time range, `startTime` and `endTime` or `lastN` buckets,
 * and a `bucketSize`. Get it as `runpod.billing`.
 *
 * @example What a GPU pod cost, by day
 * ```ts
 * import runpodSdk, { delay } from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock(); // a day passes at once
 * await using emulator = createEmulator({ clock }); // bills at its catalog's prices
 * const { restUrl, fetch } = emulator;
 * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
 * const gpu = { id: "NVIDIA L4", count: 1 };
 * await runpod.pods.create({ name: "dev", image: "me/dev:1", gpu });
 * await delay(86_400_000, { clock });
 * const { metadata } = await runpod.billing.all({ bucketSize: "day", lastN: 7 });
 * assert.ok(metadata.totals.podGpuAmount > 0);
 * ```
 */
export class Billing {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.billing` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * The whole account's spending, by bucket.
   *
   * @param options The time range and bucket size, and call options; or a timeout in ms.
   * @returns `{ records, metadata }`.
   *
   * @example The last four weeks, by week
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const endTime = new Date();
   * const startTime = new Date(endTime.getTime() - 28 * 86_400_000);
   * const { records } = await runpod.billing.all({ startTime, endTime, bucketSize: "week" });
   * assert.ok(records.length > 0);
   * assert.ok(records.every((record) => Date.parse(record.startTime) >= startTime.getTime()));
   * ```
   */
  async all(options?: number | BillingOptions): Promise<ListBillingResponse> {
    return await this.#get("listBilling", "read the billing", options);
  }

  /**
   * Spending on pods, optionally of one pod.
   *
   * @param options `podId`, the time range and bucket size, and call options; or a timeout in ms.
   * @returns `{ records, metadata }`.
   *
   * @example One pod's spending, by hour
   * ```ts
   * import runpodSdk, { delay } from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock });
   * const { restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
   * const gpu = { id: "NVIDIA L4", count: 1 };
   * const pod = await runpod.pods.create({ name: "dev", image: "me/dev:1", gpu });
   * await delay(3_600_000, { clock }); // an hour of fake time
   * const { records } = await runpod.billing.pods({ podId: pod.id, bucketSize: "hour", lastN: 2 });
   * assert.ok(records.every((record) => record.podId === pod.id));
   * assert.ok(records.some((record) => record.gpuAmount > 0));
   * ```
   */
  async pods(
    options?: number | (BillingOptions & { podId?: string }),
  ): Promise<ListPodBillingResponse> {
    return await this.#get("listPodBilling", "read the billing of pods", options);
  }

  /**
   * Spending on your serverless endpoints, optionally of one.
   *
   * @param options `serverlessId` (an endpoint id), the time range and bucket size, and call
   *   options; or a timeout in ms.
   * @returns `{ records, metadata }`.
   *
   * @example One endpoint's spending after a minute-long job
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({
   *   clock,
   *   worker: async (job) => await job.sleep(60_000), // a minute of simulated GPU time
   * });
   * const { baseUrl, restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { baseUrl, restUrl, fetch, clock });
   * await runpod.endpoint("test-endpoint").runSync({ input: {} });
   * const billing = await runpod.billing.serverless({ serverlessId: "test-endpoint", lastN: 1 });
   * assert.ok(billing.metadata.totals.gpuAmount > 0);
   * ```
   */
  async serverless(
    options?: number | (BillingOptions & { serverlessId?: string }),
  ): Promise<ListServerlessBillingResponse> {
    return await this.#get("listServerlessBilling", "read the billing of endpoints", options);
  }

  /**
   * Spending on RunPod's public endpoints.
   *
   * @param options The time range and bucket size, and call options; or a timeout in ms.
   * @returns `{ records, metadata }`.
   *
   * @example Public endpoints this year, by month
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * // The emulator runs none of RunPod's public endpoints: it bills them nothing.
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const billing = await runpod.billing.endpoints({ bucketSize: "month", lastN: 12 });
   * assert.equal(billing.records.length, billing.metadata.recordCount);
   * assert.equal(billing.metadata.totals.totalAmount, 0);
   * ```
   */
  async endpoints(options?: number | BillingOptions): Promise<ListEndpointBillingResponse> {
    return await this.#get("listEndpointBilling", "read the billing of public endpoints", options);
  }

  /**
   * Spending on network volumes, optionally of one.
   *
   * @param options `networkVolumeId`, the time range and bucket size, and call options; or a
   *   timeout in ms.
   * @returns `{ records, metadata }`.
   *
   * @example One volume's storage, by day
   * ```ts
   * import runpodSdk, { delay } from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock });
   * const { restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
   * const volume = await runpod.networkVolumes.create({
   *   name: "weights",
   *   size: 100,
   *   dataCenter: "EU-RO-1",
   * });
   * await delay(86_400_000, { clock });
   * const billing = await runpod.billing.networkVolumes({ networkVolumeId: volume.id, lastN: 2 });
   * assert.ok(billing.metadata.totals.standardAmount > 0);
   * ```
   */
  async networkVolumes(
    options?: number | (BillingOptions & { networkVolumeId?: string }),
  ): Promise<ListNetworkVolumeBillingResponse> {
    return await this.#get(
      "listNetworkVolumeBilling",
      "read the billing of network volumes",
      options,
    );
  }

  /**
   * Spending on clusters, optionally of one.
   *
   * @param options `clusterId`, the time range and bucket size, and call options; or a timeout
   *   in ms.
   * @returns `{ records, metadata }`.
   *
   * @example One cluster's spending
   * ```ts
   * import runpodSdk, { delay } from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock });
   * const { restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
   * const cluster = await runpod.clusters.create({
   *   name: "training",
   *   type: "TRAINING",
   *   compute: { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 1, podCount: 2 },
   * });
   * await delay(3_600_000, { clock });
   * const billing = await runpod.billing.clusters({ clusterId: cluster.id, bucketSize: "hour" });
   * assert.ok(billing.metadata.totals.gpuAmount > 0);
   * ```
   */
  async clusters(
    options?: number | (BillingOptions & { clusterId?: string }),
  ): Promise<ListClusterBillingResponse> {
    return await this.#get("listClusterBilling", "read the billing of clusters", options);
  }

  async #get<T>(op: OperationId, what: string, options: unknown): Promise<T> {
    return await request<T>(this.#t, op, { what, query: billingQuery(what, op, options) }, options);
  }
}

/** The query of a billing call, checked: a range is `startTime`/`endTime` or `lastN`, not both. */
function billingQuery(what: string, op: OperationId, options: unknown): Record<string, unknown> {
  if (typeof options !== "object" || options === null) return {};
  const o = options as BillingOptions & Record<string, unknown>;
  const time = (name: "startTime" | "endTime") => {
    const value = o[name];
    if (value === undefined) return undefined;
    const date = value instanceof Date
      ? value
      : typeof value === "string"
      ? new Date(value)
      : undefined;
    if (!date || isNaN(date.getTime())) {
      throw new RangeError(
        `Cannot ${what}: ${name} must be an RFC 3339 time or a Date, received ${quote(value)}`,
      );
    }
    return typeof value === "string" ? value : date.toISOString();
  };
  if (o.lastN !== undefined && (!Number.isInteger(o.lastN) || o.lastN < 1)) {
    throw new RangeError(
      `Cannot ${what}: lastN must be a positive integer, received ${quote(o.lastN)}`,
    );
  }
  if (o.lastN !== undefined && (o.startTime !== undefined || o.endTime !== undefined)) {
    throw new TypeError(`Cannot ${what}: give either lastN or startTime/endTime, not both`);
  }
  if (o.bucketSize !== undefined && !BUCKETS.includes(o.bucketSize)) {
    throw new RangeError(
      `Cannot ${what}: bucketSize must be one of ${BUCKETS.join(", ")}, received ${
        quote(o.bucketSize)
      }`,
    );
  }
  const query = queryOf(op, options);
  for (const name of ["startTime", "endTime"] as const) {
    if (query[name] !== undefined) query[name] = time(name);
  }
  return query;
}
