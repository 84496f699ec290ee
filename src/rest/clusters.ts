import { creating, list, mayExist, pages, request, type RestTransport } from "./_client.ts";
import type {
  Cluster,
  CreateClusterRequest,
  ListPodsResponse,
  Pod,
  UpdateClusterRequest,
} from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";
import type { ListOptions } from "./types.ts";

/**
 * Instant clusters of the management API (`/clusters`): several pods with
 * GPUs on one fast network. Get it as `runpod.clusters`.
 *
 * @example Creating a training cluster, then reading its pods
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const cluster = await runpod.clusters.create({
 *   name: "training",
 *   type: "TRAINING",
 *   image: "me/trainer:1",
 *   compute: { gpuTypeId: "NVIDIA H100 80GB HBM3", gpuCountPerPod: 8, podCount: 2 },
 * });
 * const pods = await runpod.clusters.pods(cluster.id);
 * assert.deepEqual(pods.map((p) => p.gpu?.count), [8, 8]);
 * ```
 */
export class Clusters {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.clusters` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Lists every cluster (all pages, if the server pages).
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries, limit }`.
   * @returns The clusters.
   *
   * @example Listing clusters
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const compute = { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 1, podCount: 2 };
   * await runpod.clusters.create({ name: "train", type: "TRAINING", compute });
   * await runpod.clusters.create({ name: "serve", type: "RAY", compute });
   * const clusters = await runpod.clusters.list();
   * assert.deepEqual(clusters.map((c) => `${c.name}:${c.type}`), ["train:TRAINING", "serve:RAY"]);
   * ```
   */
  async list(options?: number | ListOptions): Promise<Cluster[]> {
    return await list(this.#t, "listClusters", { what: "list clusters", key: "clusters" }, options);
  }

  /**
   * Lists the clusters page by page (one page when the server does not page).
   *
   * @param options A timeout in ms for each page, or `{ timeout, signal, maxRetries, limit }`.
   * @returns An async generator of pages.
   *
   * @example Reading clusters page by page
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const compute = { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 1, podCount: 2 };
   * for (const name of ["a", "b", "c"]) {
   *   await runpod.clusters.create({ name, type: "TRAINING", compute });
   * }
   * const pages: string[][] = [];
   * for await (const page of runpod.clusters.pages({ limit: 2 })) {
   *   pages.push(page.map((c) => c.name));
   * }
   * assert.deepEqual(pages, [["a", "b"], ["c"]]);
   * ```
   */
  async *pages(options?: number | ListOptions): AsyncGenerator<Cluster[]> {
    yield* pages(this.#t, "listClusters", { what: "list clusters", key: "clusters" }, options);
  }

  /**
   * Reads one cluster.
   *
   * @param id The cluster's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The cluster.
   *
   * @example Reading a cluster's pod count
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.clusters.create({
   *   name: "training",
   *   type: "TRAINING",
   *   compute: { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 2, podCount: 3 },
   * });
   * const cluster = await runpod.clusters.get(id);
   * assert.equal(cluster.pods.total, 3);
   * ```
   */
  async get(id: string, options?: number | CallOptions): Promise<Cluster> {
    const what = `read cluster '${id}'`;
    const params = { id: id };
    return await request(this.#t, "getCluster", { what, params }, options);
  }

  /**
   * Creates a cluster. The body is checked against RunPod's spec first (a
   * `TypeError` names a bad field, before any request); a create is retried
   * only on 429, and after a 5xx or a lost answer the error says to look for
   * the cluster by name rather than create it twice.
   *
   * @param body The new cluster.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The new cluster.
   *
   * @example Creating a cluster
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cluster = await runpod.clusters.create({
   *   name: "training",
   *   type: "TRAINING",
   *   image: "me/trainer:1",
   *   compute: { gpuTypeId: "NVIDIA H100 80GB HBM3", gpuCountPerPod: 8, podCount: 2 },
   * });
   * assert.equal(cluster.pods.total, 2);
   * assert.equal(cluster.primary?.podId, (await runpod.clusters.pods(cluster.id))[0]?.id);
   * ```
   */
  async create(body: CreateClusterRequest, options?: number | CallOptions): Promise<Cluster> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createCluster", {
      what: creating("cluster", name),
      body,
      lost: mayExist("cluster", name, "runpod.clusters.list()"),
    }, options);
  }

  /**
   * Changes some fields of a cluster.
   *
   * @param id The cluster's id.
   * @param patch The fields to change.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The cluster as it is now.
   *
   * @example Renaming a cluster
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.clusters.create({
   *   name: "training",
   *   type: "TRAINING",
   *   compute: { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 1, podCount: 2 },
   * });
   * await runpod.clusters.update(id, { name: "training-v2" });
   * assert.equal((await runpod.clusters.get(id)).name, "training-v2");
   * ```
   */
  async update(
    id: string,
    patch: UpdateClusterRequest,
    options?: number | CallOptions,
  ): Promise<Cluster> {
    const what = `update cluster '${id}'`;
    const params = { id: id };
    return await request(this.#t, "updateCluster", { what, params, body: patch }, options);
  }

  /**
   * Deletes a cluster. Retried like a read: if an earlier attempt's answer was
   * lost and the cluster is then gone (404), the delete succeeded.
   *
   * @param id The cluster's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns Nothing, once it is deleted.
   *
   * @example Deleting a cluster takes its pods with it
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.clusters.create({
   *   name: "training",
   *   type: "TRAINING",
   *   compute: { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 1, podCount: 2 },
   * });
   * await runpod.clusters.delete(id);
   * await assert.rejects(
   *   runpod.clusters.get(id),
   *   (error) => error instanceof RunpodApiError && error.status === 404,
   * );
   * assert.deepEqual(await runpod.pods.list({ includeClusterPods: true }), []);
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete cluster '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deleteCluster", { what, params }, options);
  }

  /**
   * Lists the pods of a cluster.
   *
   * @param id The cluster's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The cluster's pods.
   *
   * @example Finding the head of a Ray cluster
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.clusters.create({
   *   name: "ray",
   *   type: "RAY",
   *   compute: { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 1, podCount: 3 },
   * });
   * const pods = await runpod.clusters.pods(id);
   * assert.deepEqual(pods.map((p) => p.cluster?.role), ["RAY_HEAD", "RAY_WORKER", "RAY_WORKER"]);
   * ```
   */
  async pods(id: string, options?: number | CallOptions): Promise<Pod[]> {
    const what = `list the pods of cluster '${id}'`;
    const params = { id: id };
    const answer = await request<ListPodsResponse>(
      this.#t,
      "listClusterPods",
      { what, params },
      options,
    );
    return answer.pods;
  }
}
