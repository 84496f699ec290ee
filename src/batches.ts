import type { CallOptions, RunRequest } from "./types.ts";
import { type Transport, transports } from "./_http.ts";
import type { Batch, BatchPage, BatchRequest, BatchWaitOptions } from "./batch.ts";

/** The Batch Jobs client's code, loaded on first use (see src/_batches.ts). */
const code = () => import("./_batches.ts");

/**
 * The Batch Jobs API (**beta**) of one endpoint: many requests submitted as
 * one batch, run on the endpoint's workers once finalized, read back page by
 * page. Get it as `endpoint.batches`. RunPod marks the API beta (2026-08): its
 * routes and fields may change. Limits: 10 active batches per endpoint (a
 * DRAFT one, or a FINALIZED one not done), 5,000 requests per batch, 10 MiB
 * per create or add (this client splits larger sets of requests into several
 * adds), 50,000 batch requests waiting per endpoint.
 *
 * Creating and adding are sent once (retried only on 429, when nothing was
 * taken): after a server error or a lost answer the error says what may have
 * happened. Reading, finalizing and cancelling are retried as usual.
 *
 * Its code loads on its first call (a dynamic import of a module of its
 * own), so that an app that never uses batches does not carry it.
 *
 * @typeParam I The shape of `input` the worker expects.
 * @typeParam O The shape of the worker's `output`.
 *
 * @experimental RunPod's Batch Jobs API is in beta.
 *
 * @example Running a batch and reading its results
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator<number>({ clock, workers: 4, worker: ({ input }) => input * input });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
 *   .endpoint<number, number>("test-endpoint");
 * const batch = await endpoint.batches.create([{ input: 1 }, { input: 2 }]);
 * await endpoint.batches.add(batch.id, [{ input: 3 }]);
 * await endpoint.batches.finalize(batch.id);
 * const done = await endpoint.batches.waitFor(batch.id);
 * assert.equal(done.requestCompleted, 3);
 * const outputs: unknown[] = [];
 * for await (const request of endpoint.batches.requests(batch.id)) outputs.push(request.output);
 * assert.deepEqual(outputs, [1, 4, 9]);
 * ```
 */
export class BatchJobs<I = unknown, O = unknown> {
  /** The endpoint id. */
  readonly endpointId: string;
  #t: Transport;

  /**
   * The batches of an endpoint; `endpoint.batches` is the same.
   *
   * @param endpoint An endpoint made by `runpod.endpoint(id)`.
   */
  constructor(endpoint: { readonly id: string }) {
    const transport = transports.get(endpoint);
    if (!transport) {
      throw new TypeError("Cannot create BatchJobs: pass an endpoint made by runpod.endpoint()");
    }
    this.endpointId = endpoint.id;
    this.#t = transport;
  }

  /**
   * Creates a DRAFT batch from requests (`POST /batch`, then
   * `POST /batch/{id}/requests` for what does not fit in 10 MiB). Nothing
   * runs until {@linkcode BatchJobs.finalize}.
   *
   * @param requests The jobs, `{ input, webhook?, policy? }` each; at most 5,000.
   * @param options A timeout in ms, or call options.
   * @returns The batch.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const batch = await endpoint.batches.create([{ input: "a" }, { input: "b" }]);
   * assert.equal(batch.status, "DRAFT");
   * assert.equal(batch.requestTotal, 2);
   * ```
   */
  async create(requests: RunRequest<I>[], options?: number | CallOptions): Promise<Batch> {
    return (await code()).create(this.#t, this.endpointId, requests, options);
  }

  /**
   * Adds requests to a DRAFT batch (`POST /batch/{id}/requests`, in as many
   * calls of at most 10 MiB as needed).
   *
   * @param batchId The batch id.
   * @param requests The jobs to add.
   * @param options A timeout in ms, or call options.
   * @returns The batch.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.batches.create([{ input: 1 }]);
   * const batch = await endpoint.batches.add(id, [{ input: 2 }, { input: 3 }]);
   * assert.equal(batch.requestTotal, 3);
   * ```
   */
  async add(
    batchId: string,
    requests: RunRequest<I>[],
    options?: number | CallOptions,
  ): Promise<Batch> {
    return (await code()).add(this.#t, this.endpointId, batchId, requests, options);
  }

  /**
   * Finalizes a DRAFT batch (`POST /batch/{id}/finalize`): its requests are
   * queued as jobs. Finalizing a FINALIZED batch again is harmless.
   *
   * @param batchId The batch id.
   * @param options A timeout in ms, or call options.
   * @returns The batch, FINALIZED.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.batches.create([{ input: 1 }]);
   * assert.equal((await endpoint.batches.finalize(id)).status, "FINALIZED");
   * ```
   */
  async finalize(batchId: string, options?: number | CallOptions): Promise<Batch> {
    return (await code()).batchCall(this.#t, this.endpointId, "finalize", batchId, options);
  }

  /**
   * Reads a batch and its counts (`GET /batch/{id}`).
   *
   * @param batchId The batch id.
   * @param options A timeout in ms, or call options.
   * @returns The batch.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.batches.create([{ input: 1 }]);
   * assert.equal((await endpoint.batches.get(id)).requestTotal, 1);
   * ```
   */
  async get(batchId: string, options?: number | CallOptions): Promise<Batch> {
    return (await code()).batchCall(this.#t, this.endpointId, "get", batchId, options);
  }

  /**
   * Cancels a batch (`POST /batch/{id}/cancel`): its jobs not finished are
   * cancelled. Cancelling a cancelled batch again is harmless.
   *
   * @param batchId The batch id.
   * @param options A timeout in ms, or call options.
   * @returns The batch, CANCELLED.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.batches.create([{ input: 1 }]);
   * assert.equal((await endpoint.batches.cancel(id)).status, "CANCELLED");
   * ```
   */
  async cancel(batchId: string, options?: number | CallOptions): Promise<Batch> {
    return (await code()).batchCall(this.#t, this.endpointId, "cancel", batchId, options);
  }

  /**
   * Reads one page of a batch's requests (`GET /batch/{id}/requests?offset=&limit=`).
   *
   * @param batchId The batch id.
   * @param page `offset` (default 0) and `limit` (default 100).
   * @param options A timeout in ms, or call options.
   * @returns The page.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.batches.create([{ input: 1 }, { input: 2 }, { input: 3 }]);
   * const page = await endpoint.batches.page(id, { offset: 1, limit: 1 });
   * assert.equal(page.total, 3);
   * assert.equal(page.requests.length, 1);
   * assert.equal(page.hasMore, true);
   * ```
   */
  async page(
    batchId: string,
    page: { offset?: number; limit?: number } = {},
    options?: number | CallOptions,
  ): Promise<BatchPage<O>> {
    return (await code()).page<O>(this.#t, this.endpointId, batchId, page, options);
  }

  /**
   * Every request of a batch, page after page, as an async generator.
   *
   * @param batchId The batch id.
   * @param options `pageSize` (default 100), and a timeout in ms (for the whole walk) or a signal.
   * @returns An async generator of the batch's requests, in order.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
   *   .endpoint("test-endpoint");
   * const requests = Array.from({ length: 250 }, (_, n) => ({ input: n }));
   * const { id } = await endpoint.batches.create(requests);
   * let count = 0;
   * for await (const _request of endpoint.batches.requests(id, { pageSize: 100 })) count++;
   * assert.equal(count, 250);
   * assert.equal(emulator.countRequests("GET /batch"), 3);
   * ```
   */
  async *requests(
    batchId: string,
    options: CallOptions & { pageSize?: number } = {},
  ): AsyncGenerator<BatchRequest<O>, void, undefined> {
    yield* (await code()).requests<O>(this.#t, this.endpointId, batchId, options);
  }

  /**
   * Waits until a batch is done (see {@linkcode isBatchDone}), reading it
   * every second at first, then up to every 10 s.
   *
   * @param batchId The batch id.
   * @param options A timeout in ms (none by default), or options (`onStatus`, `cancelOnAbort`, ...).
   * @returns The batch once done.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock, worker: ({ sleep }) => sleep(60_000) });
   * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
   *   .endpoint("test-endpoint");
   * const { id } = await endpoint.batches.create([{ input: 1 }, { input: 2 }]);
   * await endpoint.batches.finalize(id);
   * const done = await endpoint.batches.waitFor(id); // two minutes of fake time
   * assert.equal(done.requestCompleted, 2);
   * ```
   */
  async waitFor(batchId: string, options?: number | BatchWaitOptions): Promise<Batch> {
    return (await code()).waitFor(this.#t, this.endpointId, batchId, options);
  }
}
