import { creating, list, mayExist, pages, request, type RestTransport } from "./_client.ts";
import type {
  CreateNetworkVolumeRequest,
  NetworkVolume,
  UpdateNetworkVolumeRequest,
} from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";
import type { ListOptions } from "./types.ts";

/**
 * Network volumes of the management API (`/network-volumes`): storage in one
 * data center that endpoints and pods mount. Get it as `runpod.networkVolumes`.
 *
 * @example Creating a volume, then mounting it on an endpoint
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const volume = await runpod.networkVolumes.create({
 *   name: "weights",
 *   size: 50,
 *   dataCenter: "EU-RO-1",
 * });
 * const endpoint = await runpod.endpoints.create({
 *   name: "captioner",
 *   type: "QUEUE",
 *   image: "me/captioner:1",
 *   gpu: { pools: ["ADA_24"] },
 *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
 *   networkVolumes: [volume.id],
 *   dataCenterIds: [volume.dataCenter], // a volume lives in one data center
 * });
 * assert.deepEqual(endpoint.networkVolumes, [volume.id]);
 * ```
 */
export class NetworkVolumes {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.networkVolumes` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Lists every network volume (all pages, if the server pages).
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries, limit }`.
   * @returns The network volumes.
   *
   * @example Listing network volumes
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.networkVolumes.create({ name: "weights", size: 50, dataCenter: "EU-RO-1" });
   * await runpod.networkVolumes.create({ name: "cache", size: 10, dataCenter: "US-TX-3" });
   * const volumes = await runpod.networkVolumes.list();
   * assert.deepEqual(volumes.map((v) => `${v.name}@${v.dataCenter}`), [
   *   "weights@EU-RO-1",
   *   "cache@US-TX-3",
   * ]);
   * ```
   */
  async list(options?: number | ListOptions): Promise<NetworkVolume[]> {
    return await list(this.#t, "listNetworkVolumes", {
      what: "list network volumes",
      key: "networkVolumes",
    }, options);
  }

  /**
   * Lists the network volumes page by page (one page when the server does not page).
   *
   * @param options A timeout in ms for each page, or `{ timeout, signal, maxRetries, limit }`.
   * @returns An async generator of pages.
   *
   * @example Reading volumes page by page
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * for (const name of ["a", "b", "c"]) {
   *   await runpod.networkVolumes.create({ name, size: 10, dataCenter: "EU-RO-1" });
   * }
   * const pages: string[][] = [];
   * for await (const page of runpod.networkVolumes.pages({ limit: 2 })) {
   *   pages.push(page.map((v) => v.name));
   * }
   * assert.deepEqual(pages, [["a", "b"], ["c"]]);
   * ```
   */
  async *pages(options?: number | ListOptions): AsyncGenerator<NetworkVolume[]> {
    yield* pages(this.#t, "listNetworkVolumes", {
      what: "list network volumes",
      key: "networkVolumes",
    }, options);
  }

  /**
   * Reads one network volume.
   *
   * @param id The network volume's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The network volume.
   *
   * @example Reading a network volume
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.networkVolumes.create({
   *   name: "weights",
   *   size: 50,
   *   dataCenter: "EU-RO-1",
   * });
   * const volume = await runpod.networkVolumes.get(id);
   * assert.deepEqual([volume.size, volume.type], [50, "STANDARD"]); // STANDARD unless asked
   * ```
   */
  async get(id: string, options?: number | CallOptions): Promise<NetworkVolume> {
    const what = `read network volume '${id}'`;
    const params = { id: id };
    return await request(this.#t, "getNetworkVolume", { what, params }, options);
  }

  /**
   * Creates a network volume. The body is checked against RunPod's spec first (a
   * `TypeError` names a bad field, before any request); a create is retried
   * only on 429, and after a 5xx or a lost answer the error says to look for
   * the network volume by name rather than create it twice.
   *
   * @param body The new network volume.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The new network volume.
   *
   * @example Creating a fast volume where the catalog offers one
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const [center] = await runpod.catalog.dataCenters({
   *   networkVolumeTypes: ["HIGH_PERFORMANCE"],
   * });
   * const volume = await runpod.networkVolumes.create({
   *   name: "weights",
   *   size: 50,
   *   dataCenter: center!.id,
   *   type: "HIGH_PERFORMANCE",
   * });
   * assert.equal(volume.dataCenter, center!.id);
   * ```
   */
  async create(
    body: CreateNetworkVolumeRequest,
    options?: number | CallOptions,
  ): Promise<NetworkVolume> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createNetworkVolume", {
      what: creating("network volume", name),
      body,
      lost: mayExist("network volume", name, "runpod.networkVolumes.list()"),
    }, options);
  }

  /**
   * Changes some fields of a network volume.
   *
   * @param id The network volume's id.
   * @param patch The fields to change.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The network volume as it is now.
   *
   * @example Growing a volume (it can never shrink)
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.networkVolumes.create({
   *   name: "weights",
   *   size: 50,
   *   dataCenter: "EU-RO-1",
   * });
   * assert.equal((await runpod.networkVolumes.update(id, { size: 100 })).size, 100);
   * await assert.rejects(
   *   runpod.networkVolumes.update(id, { size: 20 }),
   *   (error) => error instanceof RunpodApiError && error.status === 400,
   * );
   * ```
   */
  async update(
    id: string,
    patch: UpdateNetworkVolumeRequest,
    options?: number | CallOptions,
  ): Promise<NetworkVolume> {
    const what = `update network volume '${id}'`;
    const params = { id: id };
    return await request(this.#t, "updateNetworkVolume", { what, params, body: patch }, options);
  }

  /**
   * Deletes a network volume. Retried like a read: if an earlier attempt's answer was
   * lost and the network volume is then gone (404), the delete succeeded.
   *
   * @param id The network volume's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns Nothing, once it is deleted.
   *
   * @example Deleting a network volume: reading it then answers 404
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.networkVolumes.create({
   *   name: "weights",
   *   size: 50,
   *   dataCenter: "EU-RO-1",
   * });
   * await runpod.networkVolumes.delete(id);
   * await assert.rejects(
   *   runpod.networkVolumes.get(id),
   *   (error) => error instanceof RunpodApiError && error.status === 404,
   * );
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete network volume '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deleteNetworkVolume", { what, params }, options);
  }
}
