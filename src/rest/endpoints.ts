import { list, mayExist, pages, request, type RestTransport } from "./_client.ts";
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
 * import assert from "node:assert/strict";
 *
 * // A stand-in for RunPod: answers the create with the new endpoint.
 * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
 *   Response.json({ id: "ep1", ...JSON.parse(String(init?.body)) }, { status: 201 });
 * const runpod = runpodSdk("my-key", { fetch });
 * const created = await runpod.endpoints.create({
 *   name: "captioner",
 *   type: "QUEUE",
 *   image: "me/captioner:1",
 *   gpu: { pools: ["ADA_24"] },
 *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
 * });
 * assert.equal(runpod.endpoint(created).id, "ep1");
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ endpoints: [{ id: "ep1", name: "captioner" }] });
   * const endpoints = await runpodSdk("my-key", { fetch }).endpoints.list();
   * assert.deepEqual(endpoints.map((e) => e.name), ["captioner"]);
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string) =>
   *   new URL(String(input)).searchParams.get("cursor") === "p2"
   *     ? Response.json({ endpoints: [{ id: "ep2" }] })
   *     : Response.json({ endpoints: [{ id: "ep1" }], pagination: { hasNextPage: true, nextCursor: "p2" } });
   * const seen = [];
   * for await (const page of runpodSdk("my-key", { fetch }).endpoints.pages({ limit: 1 })) {
   *   seen.push(page.map((e) => e.id));
   * }
   * assert.deepEqual(seen, [["ep1"], ["ep2"]]);
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
   * @example Reading an endpoint's scaling
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "ep1", workers: { min: 0, max: 3 } });
   * const endpoint = await runpodSdk("my-key", { fetch }).endpoints.get("ep1");
   * assert.equal(endpoint.workers.max, 3);
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
   * @example A body that RunPod would refuse throws before any request
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const runpod = runpodSdk("my-key", { fetch: () => Promise.reject(new Error("not sent")) });
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
   * ```
   */
  async create(
    body: CreateEndpointRequest,
    options?: number | CallOptions,
  ): Promise<ServerlessEndpoint> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createEndpoint", {
      what: `create endpoint '${name}'`,
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "ep1", ...JSON.parse(String(init?.body)) });
   * const updated = await runpodSdk("my-key", { fetch }).endpoints.update("ep1", {
   *   workers: { max: 5 },
   * });
   * assert.equal(updated.workers.max, 5);
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
   * @example Deleting an endpoint
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const sent: string[] = [];
   * const fetch = async (input: Request | URL | string, init?: RequestInit) => {
   *   sent.push(`${init?.method} ${new URL(String(input)).pathname}`);
   *   return new Response(null, { status: 204 });
   * };
   * await runpodSdk("my-key", { fetch }).endpoints.delete("ep1");
   * assert.deepEqual(sent, ["DELETE /v2/serverless/ep1"]);
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
   * @example Counting unhealthy workers
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () =>
   *   Response.json({ workers: [{ id: "w1", status: "UNHEALTHY" }], summary: { unhealthy: 1 } });
   * const { summary } = await runpodSdk("my-key", { fetch }).endpoints.workers("ep1");
   * assert.equal(summary.unhealthy, 1);
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
   * @example Reading the rollout
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () =>
   *   Response.json({ releases: [], rollout: { inProgress: false, percentOnLatest: 100 } });
   * const { rollout } = await runpodSdk("my-key", { fetch }).endpoints.releases("ep1");
   * assert.equal(rollout.percentOnLatest, 100);
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
   * @example Reading the last lines of a worker's log
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () =>
   *   new Response(
   *     'id: 1\ndata: {"source":"container","line":"Worker ready.","ts":"2026-06-01T12:05:04Z"}\n\n',
   *     { headers: { "content-type": "text/event-stream" } },
   *   );
   * const lines = [];
   * for await (const log of runpodSdk("my-key", { fetch }).endpoints.logs("ep1", "w1", { tail: 10 })) {
   *   lines.push(log.line);
   * }
   * assert.deepEqual(lines, ["Worker ready."]);
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
