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
 * @example Choosing a GPU pool for an endpoint from the catalog
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator(); // its catalog is small and plausible, not RunPod's
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const gpus = await runpod.catalog.gpus({ product: ["SERVERLESS"] });
 * const pool = gpus.find((gpu) => gpu.memory >= 48 && gpu.pool !== null)!.pool!;
 * const endpoint = await runpod.endpoints.create({
 *   name: "llm",
 *   type: "QUEUE",
 *   image: "me/llm:1",
 *   gpu: { pools: [pool] },
 *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
 * });
 * assert.deepEqual(endpoint.gpu?.pools, [pool]);
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
   * @example Asking where a GPU is available
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const gpus = await runpod.catalog.gpus({ include: ["AVAILABILITY"], product: ["POD"] });
   * assert.ok(gpus.length > 0);
   * for (const gpu of gpus) {
   *   assert.ok(gpu.availability !== undefined && gpu.dataCenters !== undefined);
   * }
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
   * @example Reading a GPU type, then renting it as a pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const gpu = await runpod.catalog.gpu("NVIDIA GeForce RTX 4090");
   * assert.equal(gpu.memory, 24);
   * const pod = await runpod.pods.create({
   *   name: "dev",
   *   image: "me/dev:1",
   *   gpu: { id: gpu.id, count: gpu.maxCount.secure },
   * });
   * assert.equal(pod.gpu?.count, gpu.maxCount.secure);
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
   * @example CPU types with at least 32 vCPUs
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpus = await runpod.catalog.cpus({ vcpuCount: 32 });
   * assert.ok(cpus.length > 0);
   * assert.ok(cpus.every((cpu) => cpu.vcpu.max >= 32));
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
   * @example Reading a CPU type, then sizing a CPU pod with it
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const type = await runpod.catalog.cpu("cpu3c");
   * const cpu = { id: type.id, vcpuCount: type.vcpu.min };
   * const pod = await runpod.pods.create({ name: "web", image: "me/web:1", cpu });
   * assert.equal(pod.cpu?.memory, type.vcpu.min * type.ramGbPerVcpu); // GB
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
   * @example Data centers in Europe
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const centers = await runpod.catalog.dataCenters({ regions: ["EUROPE"] });
   * assert.ok(centers.length > 0);
   * assert.ok(centers.every((center) => center.region === "EUROPE"));
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
   * @example Which GPUs a data center has
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const center = await runpod.catalog.dataCenter("EU-RO-1", { include: ["GPU_AVAILABILITY"] });
   * assert.equal(center.id, "EU-RO-1");
   * assert.ok((center.gpuAvailability ?? []).length > 0);
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
   * @example Deploying an official serverless template
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const templates = await runpod.catalog.templates({ source: "official" });
   * const worker = templates.find((template) => template.serverless)!;
   * const endpoint = await runpod.endpoints.create({
   *   name: "from-catalog",
   *   type: "QUEUE",
   *   templateId: worker.id,
   *   gpu: { pools: ["ADA_24"] },
   *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
   * });
   * assert.equal(endpoint.image, worker.image);
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
