import { list, mayExist, pages, request, type RestTransport } from "./_client.ts";
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
 * @example Listing clusters
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const fetch = async () => Response.json({ clusters: [{ id: "a1", name: "first" }] });
 * const items = await runpodSdk("my-key", { fetch }).clusters.list();
 * assert.equal(items[0]?.id, "a1");
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ clusters: [{ id: "a1" }, { id: "a2" }] });
   * const items = await runpodSdk("my-key", { fetch }).clusters.list();
   * assert.equal(items.length, 2);
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
   * @example Counting pages
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ clusters: [{ id: "a1" }] });
   * let count = 0;
   * for await (const page of runpodSdk("my-key", { fetch }).clusters.pages()) count += page.length;
   * assert.equal(count, 1);
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
   * @example Reading a cluster
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "a1", name: "first" });
   * const item = await runpodSdk("my-key", { fetch }).clusters.get("a1");
   * assert.equal(item.name, "first");
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "c1", ...JSON.parse(String(init?.body)) }, { status: 201 });
   * const cluster = await runpodSdk("my-key", { fetch }).clusters.create({
   *   name: "training",
   *   type: "TRAINING",
   *   image: "me/trainer:1",
   *   compute: { gpuTypeId: "NVIDIA H100 80GB HBM3", gpuCountPerPod: 8, podCount: 2 },
   * });
   * assert.equal(cluster.id, "c1");
   * ```
   */
  async create(body: CreateClusterRequest, options?: number | CallOptions): Promise<Cluster> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createCluster", {
      what: `create cluster '${name}'`,
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "c1", ...JSON.parse(String(init?.body)) });
   * const cluster = await runpodSdk("my-key", { fetch }).clusters.update("c1", { name: "v2" });
   * assert.equal(cluster.name, "v2");
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
   * @example Deleting a cluster
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => new Response(null, { status: 204 });
   * assert.equal(await runpodSdk("my-key", { fetch }).clusters.delete("a1"), undefined);
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
   * @example Listing a cluster's pods
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ pods: [{ id: "p1" }, { id: "p2" }] });
   * const pods = await runpodSdk("my-key", { fetch }).clusters.pods("c1");
   * assert.equal(pods.length, 2);
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
