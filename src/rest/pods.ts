import { list, mayExist, pages, queryOf, request, type RestTransport } from "./_client.ts";
import { streamLogs } from "./_logs.ts";
import type {
  CreatePodRequest,
  ListPodsQuery,
  Pod,
  PodAction,
  UpdatePodRequest,
} from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";
import type { ListOptions, LogLine, LogOptions } from "./types.ts";

/**
 * Pods of the management API (`/pods`): GPU or CPU machines you run your
 * own container on. Get it as `runpod.pods`.
 *
 * @example Stopping a pod
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const fetch = async () => Response.json({ id: "p1", status: "EXITED" });
 * const pod = await runpodSdk("my-key", { fetch }).pods.stop("p1");
 * assert.equal(pod?.status, "EXITED");
 * ```
 */
export class Pods {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.pods` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Lists every pod (all pages, if the server pages).
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries, limit, includeClusterPods }`.
   * @returns The pods.
   *
   * @example Listing running pods
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () =>
   *   Response.json({ pods: [{ id: "p1", status: "RUNNING" }, { id: "p2", status: "EXITED" }] });
   * const pods = await runpodSdk("my-key", { fetch }).pods.list();
   * assert.deepEqual(pods.filter((p) => p.status === "RUNNING").map((p) => p.id), ["p1"]);
   * ```
   */
  async list(options?: number | (ListOptions & ListPodsQuery)): Promise<Pod[]> {
    const query = queryOf("listPods", options);
    return await list(this.#t, "listPods", { what: "list pods", key: "pods", query }, options);
  }

  /**
   * Lists the pods page by page (one page when the server does not page).
   *
   * @param options A timeout in ms for each page, or `{ timeout, signal, maxRetries, limit, includeClusterPods }`.
   * @returns An async generator of pages.
   *
   * @example Counting pods page by page
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ pods: [{ id: "p1" }] });
   * let count = 0;
   * for await (const page of runpodSdk("my-key", { fetch }).pods.pages()) count += page.length;
   * assert.equal(count, 1);
   * ```
   */
  async *pages(options?: number | (ListOptions & ListPodsQuery)): AsyncGenerator<Pod[]> {
    const query = queryOf("listPods", options);
    yield* pages(this.#t, "listPods", { what: "list pods", key: "pods", query }, options);
  }

  /**
   * Reads one pod.
   *
   * @param id The pod's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The pod.
   *
   * @example Reading a pod's status
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "p1", status: "RUNNING" });
   * assert.equal((await runpodSdk("my-key", { fetch }).pods.get("p1")).status, "RUNNING");
   * ```
   */
  async get(id: string, options?: number | CallOptions): Promise<Pod> {
    const what = `read pod '${id}'`;
    const params = { id: id };
    return await request(this.#t, "getPod", { what, params }, options);
  }

  /**
   * Creates a pod (it starts, and bills, at once). The body is checked
   * against RunPod's spec first; a create is retried only on 429, and after a
   * 5xx or a lost answer the error says to look for the pod by name rather
   * than create (and pay for) it twice.
   *
   * @param body The pod: `name`, `image` or `templateId`, and `gpu` or `cpu`.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The new pod.
   *
   * @example Creating a GPU pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "p1", status: "PROVISIONING", ...JSON.parse(String(init?.body)) }, {
   *     status: 201,
   *   });
   * const pod = await runpodSdk("my-key", { fetch }).pods.create({
   *   name: "notebook",
   *   image: "runpod/pytorch:2.4",
   *   gpu: { id: "NVIDIA RTX A5000", count: 1 },
   * });
   * assert.equal(pod.status, "PROVISIONING");
   * ```
   */
  async create(body: CreatePodRequest, options?: number | CallOptions): Promise<Pod> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createPod", {
      what: `create pod '${name}'`,
      body,
      lost: mayExist("pod", name, "runpod.pods.list()"),
    }, options);
  }

  /**
   * Changes some fields of a pod (RunPod may restart it to apply them).
   *
   * @param id The pod's id.
   * @param patch The fields to change.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The pod as it is now.
   *
   * @example Locking a pod against changes
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "p1", ...JSON.parse(String(init?.body)) });
   * const pod = await runpodSdk("my-key", { fetch }).pods.update("p1", { locked: true });
   * assert.equal(pod.locked, true);
   * ```
   */
  async update(id: string, patch: UpdatePodRequest, options?: number | CallOptions): Promise<Pod> {
    const what = `update pod '${id}'`;
    const params = { id: id };
    return await request(this.#t, "updatePod", { what, params, body: patch }, options);
  }

  /**
   * Deletes a pod. Retried like a read: if an earlier attempt's answer was
   * lost and the pod is then gone (404), the delete succeeded.
   *
   * @param id The pod's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns Nothing, once it is deleted.
   *
   * @example Deleting a pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => new Response(null, { status: 204 });
   * assert.equal(await runpodSdk("my-key", { fetch }).pods.delete("p1"), undefined);
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete pod '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deletePod", { what, params }, options);
  }

  /**
   * Starts a stopped pod.
   *
   * @param id The pod's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The pod, or undefined when RunPod answers 204.
   *
   * @example Starting a pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "p1", status: "STARTING" });
   * assert.equal((await runpodSdk("my-key", { fetch }).pods.start("p1"))?.status, "STARTING");
   * ```
   */
  async start(id: string, options?: number | CallOptions): Promise<Pod | undefined> {
    return await this.#action(id, "start", options);
  }

  /**
   * Stops a pod (its container disk is kept; a stopped pod bills for storage only).
   *
   * @param id The pod's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The pod, or undefined when RunPod answers 204.
   *
   * @example Stopping a pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => new Response(null, { status: 204 });
   * assert.equal(await runpodSdk("my-key", { fetch }).pods.stop("p1"), undefined);
   * ```
   */
  async stop(id: string, options?: number | CallOptions): Promise<Pod | undefined> {
    return await this.#action(id, "stop", options);
  }

  /**
   * Restarts a pod.
   *
   * @param id The pod's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The pod, or undefined when RunPod answers 204.
   *
   * @example Restarting a pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const bodies: string[] = [];
   * const fetch = async (input: Request | URL | string, init?: RequestInit) => {
   *   bodies.push(String(init?.body));
   *   return new Response(null, { status: 204 });
   * };
   * await runpodSdk("my-key", { fetch }).pods.restart("p1");
   * assert.deepEqual(bodies, ['{"action":"restart"}']);
   * ```
   */
  async restart(id: string, options?: number | CallOptions): Promise<Pod | undefined> {
    return await this.#action(id, "restart", options);
  }

  /**
   * Terminates a pod: it stops for good and its container disk is gone.
   *
   * @param id The pod's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The pod, or undefined when RunPod answers 204.
   *
   * @example Terminating a pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "p1", status: "TERMINATED" });
   * assert.equal((await runpodSdk("my-key", { fetch }).pods.terminate("p1"))?.status, "TERMINATED");
   * ```
   */
  async terminate(id: string, options?: number | CallOptions): Promise<Pod | undefined> {
    return await this.#action(id, "terminate", options);
  }

  /**
   * Streams a pod's log lines (Server-Sent Events); see `LogOptions` for
   * `follow`, `tail`, `since` and `source`. `break`, the `signal` or the
   * `timeout` closes the connection.
   *
   * @param id The pod's id.
   * @param options `{ source, tail, since, follow, idle, timeout, signal, maxRetries }`.
   * @returns An async generator of `{ source, line, ts }`.
   *
   * @example Reading a pod's system log
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () =>
   *   new Response('id: 1\ndata: {"source":"system","line":"Pulling image","ts":"2026-06-01T12:00:00Z"}\n\n');
   * const lines = [];
   * for await (const log of runpodSdk("my-key", { fetch }).pods.logs("p1", { source: "system" })) {
   *   lines.push(log.line);
   * }
   * assert.deepEqual(lines, ["Pulling image"]);
   * ```
   */
  async *logs(id: string, options?: number | LogOptions): AsyncGenerator<LogLine> {
    const what = `pod '${id}'`;
    const params = { id };
    yield* streamLogs(this.#t, "getPodLogs", params, what, options);
  }

  async #action(
    id: string,
    action: PodAction,
    options: number | CallOptions | undefined,
  ): Promise<Pod | undefined> {
    const what = `${action} pod '${id}'`;
    const params = { id: id };
    return await request(this.#t, "podAction", { what, params, body: { action } }, options);
  }
}
