import { list, mayExist, pages, request, type RestTransport } from "./_client.ts";
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
 * @example Listing network volumes
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const fetch = async () => Response.json({ networkVolumes: [{ id: "a1", name: "first" }] });
 * const items = await runpodSdk("my-key", { fetch }).networkVolumes.list();
 * assert.equal(items[0]?.id, "a1");
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ networkVolumes: [{ id: "a1" }, { id: "a2" }] });
   * const items = await runpodSdk("my-key", { fetch }).networkVolumes.list();
   * assert.equal(items.length, 2);
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
   * @example Counting pages
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ networkVolumes: [{ id: "a1" }] });
   * let count = 0;
   * for await (const page of runpodSdk("my-key", { fetch }).networkVolumes.pages()) count += page.length;
   * assert.equal(count, 1);
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "a1", name: "first" });
   * const item = await runpodSdk("my-key", { fetch }).networkVolumes.get("a1");
   * assert.equal(item.name, "first");
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
   * @example Creating a network volume
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "v1", ...JSON.parse(String(init?.body)) }, { status: 201 });
   * const volume = await runpodSdk("my-key", { fetch }).networkVolumes.create({
   *   name: "weights",
   *   size: 50,
   *   dataCenter: "EU-RO-1",
   * });
   * assert.equal(volume.size, 50);
   * ```
   */
  async create(
    body: CreateNetworkVolumeRequest,
    options?: number | CallOptions,
  ): Promise<NetworkVolume> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createNetworkVolume", {
      what: `create network volume '${name}'`,
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
   * @example Renaming a network volume
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "v1", ...JSON.parse(String(init?.body)) });
   * const volume = await runpodSdk("my-key", { fetch }).networkVolumes.update("v1", { size: 100 });
   * assert.equal(volume.size, 100); // a volume can grow, never shrink
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
   * @example Deleting a network volume
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => new Response(null, { status: 204 });
   * assert.equal(await runpodSdk("my-key", { fetch }).networkVolumes.delete("a1"), undefined);
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete network volume '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deleteNetworkVolume", { what, params }, options);
  }
}
