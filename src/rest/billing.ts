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
 * @example The last 7 days, by day
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const urls: string[] = [];
 * const fetch = async (input: Request | URL | string) => {
 *   urls.push(new URL(String(input)).search);
 *   return Response.json({ records: [], metadata: {} });
 * };
 * await runpodSdk("my-key", { fetch }).billing.all({ bucketSize: "day", lastN: 7 });
 * assert.deepEqual(urls, ["?bucketSize=day&lastN=7"]);
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
   * @example A month by week
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ records: [{ totalAmount: 12.5 }], metadata: {} });
   * const { records } = await runpodSdk("my-key", { fetch }).billing.all({
   *   startTime: new Date("2026-05-01T00:00:00Z"),
   *   endTime: "2026-06-01T00:00:00Z",
   *   bucketSize: "week",
   * });
   * assert.equal(records[0]?.totalAmount, 12.5);
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
   * @example One pod's spending
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const urls: string[] = [];
   * const fetch = async (input: Request | URL | string) => {
   *   urls.push(new URL(String(input)).search);
   *   return Response.json({ records: [], metadata: {} });
   * };
   * await runpodSdk("my-key", { fetch }).billing.pods({ podId: "p1", lastN: 3 });
   * assert.deepEqual(urls, ["?lastN=3&podId=p1"]);
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
   * @example One endpoint's spending
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ records: [], metadata: {} });
   * const billing = await runpodSdk("my-key", { fetch }).billing.serverless({ serverlessId: "ep1" });
   * assert.deepEqual(billing.records, []);
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ records: [], metadata: {} });
   * const billing = await runpodSdk("my-key", { fetch }).billing.endpoints({ bucketSize: "month", lastN: 12 });
   * assert.deepEqual(billing.records, []);
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
   * @example One volume's spending
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ records: [], metadata: {} });
   * const billing = await runpodSdk("my-key", { fetch }).billing.networkVolumes({ networkVolumeId: "v1" });
   * assert.deepEqual(billing.records, []);
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
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ records: [], metadata: {} });
   * const billing = await runpodSdk("my-key", { fetch }).billing.clusters({ clusterId: "c1" });
   * assert.deepEqual(billing.records, []);
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
