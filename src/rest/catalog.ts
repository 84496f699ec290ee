import { queryOf, request, type RestTransport } from "./_client.ts";
import { quote } from "../_validate.ts";
import type {
  CpuType,
  DataCenter,
  GetCpuTypeQuery,
  GetDataCenterQuery,
  GetGpuTypeQuery,
  GpuType,
  ListCpuTypesQuery,
  ListCpuTypesResponse,
  ListDataCentersQuery,
  ListDataCentersResponse,
  ListGpuTypesQuery,
  ListGpuTypesResponse,
  ListPublicTemplatesQuery,
  ListTemplatesResponse,
  Template,
} from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";

/**
 * RunPod's catalog (`/catalog`): GPU and CPU types with their prices and
 * availability, data centers, and public templates. Get it as `runpod.catalog`.
 *
 * @example Finding the GPU pool ids an endpoint can use
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const fetch = async () =>
 *   Response.json({ gpus: [{ id: "NVIDIA RTX 4090", pool: "ADA_24" }] });
 * const gpus = await runpodSdk("my-key", { fetch }).catalog.gpus();
 * assert.deepEqual(gpus.map((g) => g.pool), ["ADA_24"]);
 * ```
 */
export class Catalog {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.catalog` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Lists the GPU types; with `include: ["AVAILABILITY"]` and a `product`,
   * with their availability.
   *
   * @param options Filters (`include`, `product`, `count`, `cloud`, `countryCodes`,
   *   `cudaVersions`, `minCudaVersion`) and `{ timeout, signal, maxRetries }`, or a timeout in ms.
   * @returns The GPU types.
   *
   * @example Asking for availability
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const urls: string[] = [];
   * const fetch = async (input: Request | URL | string) => {
   *   urls.push(new URL(String(input)).search);
   *   return Response.json({ gpus: [] });
   * };
   * await runpodSdk("my-key", { fetch }).catalog.gpus({ include: ["AVAILABILITY"], product: ["POD", "SERVERLESS"] });
   * assert.deepEqual(urls, ["?include=AVAILABILITY&product=POD%2CSERVERLESS"]);
   * ```
   */
  async gpus(options?: number | (CallOptions & ListGpuTypesQuery)): Promise<GpuType[]> {
    const query = queryOf("listGpuTypes", options);
    const answer = await request<ListGpuTypesResponse>(this.#t, "listGpuTypes", {
      what: "list GPU types",
      query,
    }, options);
    return answer.gpus;
  }

  /**
   * Reads one GPU type.
   *
   * @param id The GPU type's id, such as `"NVIDIA RTX 4090"`.
   * @param options The same filters as `gpus()`, and call options, or a timeout in ms.
   * @returns The GPU type.
   *
   * @example Reading a GPU type
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "NVIDIA RTX 4090", memoryInGb: 24 });
   * const gpu = await runpodSdk("my-key", { fetch }).catalog.gpu("NVIDIA RTX 4090");
   * assert.equal(gpu.id, "NVIDIA RTX 4090");
   * ```
   */
  async gpu(id: string, options?: number | (CallOptions & GetGpuTypeQuery)): Promise<GpuType> {
    const what = `read GPU type '${id}'`;
    const params = { id: checkId(what, id) };
    const query = queryOf("getGpuType", options);
    return await request(this.#t, "getGpuType", { what, params, query }, options);
  }

  /**
   * Lists the CPU types.
   *
   * @param options Filters (`include`, `product`, `vcpuCount`) and call options, or a timeout in ms.
   * @returns The CPU types.
   *
   * @example Listing CPU types
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ cpus: [{ id: "cpu3c" }] });
   * assert.equal((await runpodSdk("my-key", { fetch }).catalog.cpus()).length, 1);
   * ```
   */
  async cpus(options?: number | (CallOptions & ListCpuTypesQuery)): Promise<CpuType[]> {
    const query = queryOf("listCpuTypes", options);
    const answer = await request<ListCpuTypesResponse>(this.#t, "listCpuTypes", {
      what: "list CPU types",
      query,
    }, options);
    return answer.cpus;
  }

  /**
   * Reads one CPU type.
   *
   * @param id The CPU type's id.
   * @param options The same filters as `cpus()`, and call options, or a timeout in ms.
   * @returns The CPU type.
   *
   * @example Reading a CPU type
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "cpu3c" });
   * assert.equal((await runpodSdk("my-key", { fetch }).catalog.cpu("cpu3c")).id, "cpu3c");
   * ```
   */
  async cpu(id: string, options?: number | (CallOptions & GetCpuTypeQuery)): Promise<CpuType> {
    const what = `read CPU type '${id}'`;
    const params = { id: checkId(what, id) };
    const query = queryOf("getCpuType", options);
    return await request(this.#t, "getCpuType", { what, params, query }, options);
  }

  /**
   * Lists the data centers.
   *
   * @param options Filters (`include`, `regions`, `networkVolumeTypes`, `compliance`,
   *   `globalNetwork`) and call options, or a timeout in ms.
   * @returns The data centers.
   *
   * @example Listing data centers
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ dataCenters: [{ id: "EU-RO-1" }] });
   * const centers = await runpodSdk("my-key", { fetch }).catalog.dataCenters();
   * assert.deepEqual(centers.map((c) => c.id), ["EU-RO-1"]);
   * ```
   */
  async dataCenters(
    options?: number | (CallOptions & ListDataCentersQuery),
  ): Promise<DataCenter[]> {
    const query = queryOf("listDataCenters", options);
    const answer = await request<ListDataCentersResponse>(this.#t, "listDataCenters", {
      what: "list data centers",
      query,
    }, options);
    return answer.dataCenters;
  }

  /**
   * Reads one data center.
   *
   * @param id The data center's id, such as `"EU-RO-1"`.
   * @param options `include` and call options, or a timeout in ms.
   * @returns The data center.
   *
   * @example Reading a data center
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "EU-RO-1" });
   * assert.equal((await runpodSdk("my-key", { fetch }).catalog.dataCenter("EU-RO-1")).id, "EU-RO-1");
   * ```
   */
  async dataCenter(
    id: string,
    options?: number | (CallOptions & GetDataCenterQuery),
  ): Promise<DataCenter> {
    const what = `read data center '${id}'`;
    const params = { id: checkId(what, id) };
    const query = queryOf("getDataCenter", options);
    return await request(this.#t, "getDataCenter", { what, params, query }, options);
  }

  /**
   * Lists RunPod's public templates (official, verified or community).
   *
   * @param options `source` and call options, or a timeout in ms.
   * @returns The templates.
   *
   * @example Listing official templates
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ templates: [{ id: "t1", name: "PyTorch" }] });
   * const templates = await runpodSdk("my-key", { fetch }).catalog.templates({ source: "official" });
   * assert.equal(templates[0]?.name, "PyTorch");
   * ```
   */
  async templates(
    options?: number | (CallOptions & ListPublicTemplatesQuery),
  ): Promise<Template[]> {
    const query = queryOf("listPublicTemplates", options);
    const answer = await request<ListTemplatesResponse>(this.#t, "listPublicTemplates", {
      what: "list public templates",
      query,
    }, options);
    return answer.templates;
  }
}

/** Catalog ids hold spaces ("NVIDIA RTX 4090"): any non-empty text, sent URL-encoded. */
function checkId(what: string, id: unknown): string {
  if (typeof id !== "string" || id.trim() === "" || id.length > 256) {
    throw new TypeError(
      `Cannot ${what}: the id must be a non-empty string of at most 256 characters, received ${
        quote(id)
      }`,
    );
  }
  return id;
}
