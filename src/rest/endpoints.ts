import { creating, list, mayExist, pages, request, type RestTransport } from "./_client.ts";
import { streamLogs } from "./_logs.ts";
import type {
  CreateEndpointRequest,
  ListEndpointReleasesResponse,
  ListEndpointWorkersResponse,
  ServerlessEndpoint,
  UpdateEndpointRequest,
} from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";
import type { ListOptions, LogLine, LogOptions } from "./types.ts";

/**
 * Serverless endpoints of the management API (`/serverless`): create, read,
 * update, scale and delete them, and read their workers, releases and logs.
 * Get it as `runpod.endpoints`; to run jobs on an endpoint, pass it (or its
 * id) to `runpod.endpoint()`.
 *
 * @example Creating an endpoint, then running a job on it
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator(); // serves the job API and the management API
 * const { baseUrl, restUrl, fetch } = emulator;
 * const runpod = runpodSdk("test-key", { baseUrl, restUrl, fetch });
 * const created = await runpod.endpoints.create({
 *   name: "echo",
 *   type: "QUEUE",
 *   image: "me/echo:1",
 *   gpu: { pools: ["ADA_24"] },
 *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
 * });
 * const job = await runpod.endpoint(created).runSync({ input: { prompt: "a horse" } });
 * assert.deepEqual(job.output, { prompt: "a horse" }); // the emulator's default worker echoes
 * ```
 */
export class Endpoints {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.endpoints` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Lists every endpoint of the account (all pages, if the server pages).
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries, limit }`.
   * @returns The endpoints.
   *
   * @example Listing endpoints
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator(); // starts with one endpoint, "test-endpoint"
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.endpoints.create({
   *   name: "captioner",
   *   type: "QUEUE",
   *   image: "me/captioner:1",
   *   gpu: { pools: ["ADA_24"] },
   *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
   * });
   * const endpoints = await runpod.endpoints.list();
   * assert.deepEqual(endpoints.map((e) => e.name), ["test-endpoint", "captioner"]);
   * ```
   */
  async list(options?: number | ListOptions): Promise<ServerlessEndpoint[]> {
    return await list(
      this.#t,
      "listEndpoints",
      { what: "list endpoints", key: "endpoints" },
      options,
    );
  }

  /**
   * Lists the endpoints page by page (one page when the server does not page).
   *
   * @param options A timeout in ms for each page, or `{ timeout, signal, maxRetries, limit }`.
   * @returns An async generator of pages.
   *
   * @example Reading page by page
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator({ endpoints: ["ep-a", "ep-b", "ep-c"] });
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const seen: string[][] = [];
   * for await (const page of runpod.endpoints.pages({ limit: 2 })) {
   *   seen.push(page.map((e) => e.id));
   * }
   * assert.deepEqual(seen, [["ep-a", "ep-b"], ["ep-c"]]);
   * ```
   */
  async *pages(options?: number | ListOptions): AsyncGenerator<ServerlessEndpoint[]> {
    yield* pages(this.#t, "listEndpoints", { what: "list endpoints", key: "endpoints" }, options);
  }

  /**
   * Reads one endpoint.
   *
   * @param id The endpoint's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The endpoint.
   *
   * @example Reading an endpoint's scaling (RunPod's defaults filled in)
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.endpoints.create({
   *   name: "captioner",
   *   type: "QUEUE",
   *   image: "me/captioner:1",
   *   gpu: { pools: ["ADA_24"] },
   *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
   * });
   * const endpoint = await runpod.endpoints.get(id);
   * assert.deepEqual(endpoint.workers, { min: 0, max: 3, idleTimeout: 10 });
   * ```
   */
  async get(id: string, options?: number | CallOptions): Promise<ServerlessEndpoint> {
    const what = `read endpoint '${id}'`;
    const params = { id: id };
    return await request(this.#t, "getEndpoint", { what, params }, options);
  }

  /**
   * Creates an endpoint. The body is checked against RunPod's spec first: an
   * unknown field, a missing one or a value out of range throws a `TypeError`
   * naming it, before any request. A create is never resent after a 5xx or a
   * lost answer (RunPod could create it twice): the error then says to look
   * for it by name.
   *
   * @param body The endpoint: `name`, `type`, `scaling`, and `image` or `templateId`.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }` (retries only on 429).
   * @returns The new endpoint.
   *
   * @example Creating a GPU endpoint: its job routes answer at once
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const { baseUrl, restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { baseUrl, restUrl, fetch });
   * const endpoint = await runpod.endpoints.create({
   *   name: "captioner",
   *   type: "QUEUE",
   *   image: "me/captioner:1",
   *   gpu: { pools: ["ADA_24"], count: 1 },
   *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
   * });
   * assert.equal(endpoint.requestUrls?.health, `${baseUrl}/${endpoint.id}/health`);
   * assert.equal((await runpod.endpoint(endpoint).health()).jobs.inQueue, 0);
   * ```
   *
   * @example A body that RunPod would refuse throws before any request
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await assert.rejects(
   *   runpod.endpoints.create({
   *     name: "captioner",
   *     type: "QUEUE",
   *     image: "me/captioner:1",
   *     scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
   *     workers: { idleTimeout: 0 },
   *   }),
   *   { name: "TypeError", message: /\$\.workers\.idleTimeout: must be at least 1/ },
   * );
   * assert.equal(emulator.requests.length, 0);
   * ```
   */
  async create(
    body: CreateEndpointRequest,
    options?: number | CallOptions,
  ): Promise<ServerlessEndpoint> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createEndpoint", {
      what: creating("endpoint", name),
      body,
      lost: mayExist("endpoint", name, "runpod.endpoints.list()"),
    }, options);
  }

  /**
   * Changes some fields of an endpoint (`type` cannot change; `env`, when
   * given, replaces the whole map).
   *
   * @param id The endpoint's id.
   * @param patch The fields to change, such as `{ workers: { max: 5 } }`.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The endpoint as it is now.
   *
   * @example Scaling out
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const updated = await runpod.endpoints.update("test-endpoint", { workers: { max: 5 } });
   * assert.equal(updated.workers.max, 5);
   * assert.equal((await runpod.endpoints.get("test-endpoint")).workers.max, 5);
   * ```
   */
  async update(
    id: string,
    patch: UpdateEndpointRequest,
    options?: number | CallOptions,
  ): Promise<ServerlessEndpoint> {
    const what = `update endpoint '${id}'`;
    const params = { id: id };
    return await request(this.#t, "updateEndpoint", { what, params, body: patch }, options);
  }

  /**
   * Deletes an endpoint. Retried like a read: if an earlier attempt's answer
   * was lost and the endpoint is then gone (404), the delete succeeded.
   *
   * @param id The endpoint's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns Nothing, once it is deleted.
   *
   * @example Deleting an endpoint: its job routes and its record then answer 404
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const { baseUrl, restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { baseUrl, restUrl, fetch });
   * await runpod.endpoints.delete("test-endpoint");
   * const gone = (error: unknown) => error instanceof RunpodApiError && error.status === 404;
   * await assert.rejects(runpod.endpoints.get("test-endpoint"), gone);
   * await assert.rejects(runpod.endpoint("test-endpoint").run({ input: {} }), gone);
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete endpoint '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deleteEndpoint", { what, params }, options);
  }

  /**
   * Reads an endpoint's workers and their states. (A job stuck in the queue
   * while workers are `UNHEALTHY` is a crash loop, not a lack of GPUs.)
   *
   * @param id The endpoint's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns `{ workers, summary, endpointVersion }`.
   *
   * @example Seeing which workers are up after a job
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const { baseUrl, restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { baseUrl, restUrl, fetch });
   * await runpod.endpoint("test-endpoint").runSync({ input: "hello" });
   * const { workers, summary } = await runpod.endpoints.workers("test-endpoint");
   * assert.deepEqual(workers.map((w) => w.status), ["IDLE"]); // up for idleTimeout after its job
   * assert.equal(summary.unhealthy, 0); // the emulator has no crash loops to show
   * ```
   */
  async workers(id: string, options?: number | CallOptions): Promise<ListEndpointWorkersResponse> {
    const what = `read the workers of endpoint '${id}'`;
    const params = { id: id };
    return await request(this.#t, "listEndpointWorkers", { what, params }, options);
  }

  /**
   * Reads an endpoint's releases (its versions) and how far the latest one
   * has rolled out.
   *
   * @param id The endpoint's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns `{ releases, rollout, endpointVersion }`.
   *
   * @example A new image makes a release
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.endpoints.update("test-endpoint", { image: "me/worker:2" });
   * const { releases, endpointVersion } = await runpod.endpoints.releases("test-endpoint");
   * assert.equal(endpointVersion, 2);
   * assert.deepEqual(releases[0]?.diff.map((d) => d.field), ["image"]); // newest first
   * ```
   */
  async releases(
    id: string,
    options?: number | CallOptions,
  ): Promise<ListEndpointReleasesResponse> {
    const what = `read the releases of endpoint '${id}'`;
    const params = { id: id };
    return await request(this.#t, "listEndpointReleases", { what, params }, options);
  }

  /**
   * Streams a worker's log lines (Server-Sent Events). Without `follow`, it
   * ends once the lines so far have arrived; with `follow`, it keeps reading
   * and resumes after a dropped connection without repeating or losing a
   * line. `break`, the `signal` or the `timeout` closes the connection.
   *
   * @param id The endpoint's id.
   * @param workerId The worker's id (from `workers()`).
   * @param options `{ source, tail, since, follow, idle, timeout, signal, maxRetries }`.
   * @returns An async generator of `{ source, line, ts }`.
   *
   * @example Reading a worker's log after a job
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock(); // the log's 2 s of quiet pass at once
   * await using emulator = createEmulator({ clock });
   * const { baseUrl, restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { baseUrl, restUrl, fetch, clock });
   * const job = await runpod.endpoint("test-endpoint").runSync({ input: "hello" });
   * const { workers: [worker] } = await runpod.endpoints.workers("test-endpoint");
   * const lines: string[] = [];
   * for await (const log of runpod.endpoints.logs("test-endpoint", worker!.id, { tail: 10 })) {
   *   lines.push(log.line);
   * }
   * assert.ok(lines.includes(`Job ${job.id} started`));
   * ```
   */
  async *logs(
    id: string,
    workerId: string,
    options?: number | LogOptions,
  ): AsyncGenerator<LogLine> {
    const what = `worker '${workerId}' of endpoint '${id}'`;
    const params = {
      id,
      workerId,
    };
    yield* streamLogs(this.#t, "getWorkerLogs", params, what, options);
  }
}
