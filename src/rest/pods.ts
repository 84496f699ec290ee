import {
  creating,
  list,
  mayExist,
  pages,
  queryOf,
  request,
  type RestTransport,
} from "./_client.ts";
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
 * @example Creating a pod, then stopping it
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const pod = await runpod.pods.create({
 *   name: "notebook",
 *   image: "runpod/pytorch:2.4",
 *   gpu: { id: "NVIDIA RTX A5000", count: 1 },
 * });
 * const stopped = await runpod.pods.stop(pod.id);
 * assert.equal(stopped?.status, "EXITED");
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
   * @example Listing the pods that are stopped
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * await runpod.pods.create({ name: "web", image: "me/web:1", cpu });
   * const { id } = await runpod.pods.create({ name: "batch", image: "me/batch:1", cpu });
   * await runpod.pods.stop(id);
   * const pods = await runpod.pods.list();
   * assert.deepEqual(pods.filter((p) => p.status === "EXITED").map((p) => p.name), ["batch"]);
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * for (const name of ["a", "b", "c"]) await runpod.pods.create({ name, image: "me/dev:1", cpu });
   * const sizes: number[] = [];
   * for await (const page of runpod.pods.pages({ limit: 2 })) sizes.push(page.length);
   * assert.deepEqual(sizes, [2, 1]);
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
   * @example Waiting for a new pod to run
   * ```ts
   * import runpodSdk, { delay } from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock(); // the seconds of waiting pass at once
   * await using emulator = createEmulator({ clock });
   * const { restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
   * const gpu = { id: "NVIDIA L4", count: 1 };
   * const pod = await runpod.pods.create({ name: "dev", image: "me/dev:1", gpu });
   * let status = pod.status;
   * while (status !== "RUNNING") {
   *   await delay(1_000, { clock });
   *   status = (await runpod.pods.get(pod.id)).status;
   * }
   * assert.equal((await runpod.pods.get(pod.id)).runtime?.gpus?.length, 1);
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const pod = await runpod.pods.create({
   *   name: "notebook",
   *   image: "runpod/pytorch:2.4",
   *   gpu: { id: "NVIDIA RTX A5000", count: 1 },
   * });
   * assert.equal(pod.status, "PROVISIONING"); // it starts (and bills) at once
   * assert.ok(pod.actions?.includes("stop"));
   * ```
   */
  async create(body: CreatePodRequest, options?: number | CallOptions): Promise<Pod> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createPod", {
      what: creating("pod", name),
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const { id } = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * assert.equal((await runpod.pods.update(id, { locked: true })).locked, true);
   * assert.equal((await runpod.pods.get(id)).locked, true);
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
   * @example Deleting a pod: reading it then answers 404
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const { id } = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * await runpod.pods.delete(id);
   * await assert.rejects(
   *   runpod.pods.get(id),
   *   (error) => error instanceof RunpodApiError && error.status === 404,
   * );
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
   * @example Starting a stopped pod
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const { id } = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * await runpod.pods.stop(id);
   * const pod = await runpod.pods.start(id);
   * assert.equal(pod?.status, "STARTING");
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const { id } = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * await runpod.pods.stop(id);
   * const pod = await runpod.pods.get(id);
   * assert.equal(pod.status, "EXITED");
   * assert.deepEqual(pod.actions, ["start", "terminate"]);
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
   * @example Restarting a running pod
   * ```ts
   * import runpodSdk, { delay } from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock();
   * await using emulator = createEmulator({ clock });
   * const { restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const { id } = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * await delay(10_000, { clock }); // on the emulator a pod runs 5 s after its create
   * assert.equal((await runpod.pods.get(id)).status, "RUNNING");
   * assert.equal((await runpod.pods.restart(id))?.status, "STARTING");
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
   * @example Terminating a pod: it is gone
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const { id } = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * assert.equal(await runpod.pods.terminate(id), undefined); // a 204, without the pod
   * await assert.rejects(
   *   runpod.pods.get(id),
   *   (error) => error instanceof RunpodApiError && error.status === 404,
   * );
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
   * import runpodSdk, { delay } from "@runpod/sdk";
   * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * using clock = new FakeClock(); // the log's 2 s of quiet pass at once
   * await using emulator = createEmulator({ clock });
   * const { restUrl, fetch } = emulator;
   * const runpod = runpodSdk("test-key", { restUrl, fetch, clock });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const pod = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * await delay(10_000, { clock });
   * const lines: string[] = [];
   * for await (const log of runpod.pods.logs(pod.id, { source: "system" })) {
   *   lines.push(log.line);
   * }
   * assert.equal(lines.at(-1), `Pod ${pod.id} is RUNNING`);
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
