import { creating, list, mayExist, pages, request, type RestTransport } from "./_client.ts";
import type { CreateTemplateRequest, Template, UpdateTemplateRequest } from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";
import type { ListOptions } from "./types.ts";

/**
 * Templates of the management API (`/templates`): an image with its settings,
 * applied once when an endpoint or a pod is created from it. Get it as
 * `runpod.templates`.
 *
 * @example Deploying an endpoint from a template
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const template = await runpod.templates.create({
 *   name: "captioner",
 *   image: "me/captioner:1",
 *   serverless: true,
 *   env: { MODEL: "blip" },
 * });
 * const endpoint = await runpod.endpoints.create({
 *   name: "captioner",
 *   type: "QUEUE",
 *   templateId: template.id,
 *   gpu: { pools: ["ADA_24"] },
 *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
 * });
 * assert.deepEqual([endpoint.image, endpoint.env], ["me/captioner:1", { MODEL: "blip" }]);
 * ```
 */
export class Templates {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.templates` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Lists every template (all pages, if the server pages).
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries, limit }`.
   * @returns The templates.
   *
   * @example Listing templates
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.templates.create({ name: "whisper", image: "me/whisper:1" });
   * await runpod.templates.create({ name: "sdxl", image: "me/sdxl:1" });
   * const templates = await runpod.templates.list();
   * assert.deepEqual(templates.map((t) => t.name), ["whisper", "sdxl"]);
   * ```
   */
  async list(options?: number | ListOptions): Promise<Template[]> {
    return await list(
      this.#t,
      "listTemplates",
      { what: "list templates", key: "templates" },
      options,
    );
  }

  /**
   * Lists the templates page by page (one page when the server does not page).
   *
   * @param options A timeout in ms for each page, or `{ timeout, signal, maxRetries, limit }`.
   * @returns An async generator of pages.
   *
   * @example Reading templates page by page
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * for (const name of ["a", "b", "c"]) {
   *   await runpod.templates.create({ name, image: `me/${name}:1` });
   * }
   * const pages: string[][] = [];
   * for await (const page of runpod.templates.pages({ limit: 2 })) {
   *   pages.push(page.map((t) => t.name));
   * }
   * assert.deepEqual(pages, [["a", "b"], ["c"]]);
   * ```
   */
  async *pages(options?: number | ListOptions): AsyncGenerator<Template[]> {
    yield* pages(this.#t, "listTemplates", { what: "list templates", key: "templates" }, options);
  }

  /**
   * Reads one template.
   *
   * @param id The template's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The template.
   *
   * @example Reading a template back
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.templates.create({ name: "whisper", image: "me/whisper:1" });
   * const template = await runpod.templates.get(id);
   * assert.equal(template.image, "me/whisper:1");
   * assert.equal(template.serverless, false); // a pod template unless you say serverless: true
   * ```
   */
  async get(id: string, options?: number | CallOptions): Promise<Template> {
    const what = `read template '${id}'`;
    const params = { id: id };
    return await request(this.#t, "getTemplate", { what, params }, options);
  }

  /**
   * Creates a template. The body is checked against RunPod's spec first (a
   * `TypeError` names a bad field, before any request); a create is retried
   * only on 429, and after a 5xx or a lost answer the error says to look for
   * the template by name rather than create it twice.
   *
   * @param body The new template.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The new template.
   *
   * @example Creating a serverless template
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const template = await runpod.templates.create({
   *   name: "captioner",
   *   image: "me/captioner:1",
   *   serverless: true,
   *   env: { MODEL: "blip" },
   * });
   * assert.equal(typeof template.id, "string");
   * assert.deepEqual(template.env, { MODEL: "blip" });
   * ```
   */
  async create(body: CreateTemplateRequest, options?: number | CallOptions): Promise<Template> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createTemplate", {
      what: creating("template", name),
      body,
      lost: mayExist("template", name, "runpod.templates.list()"),
    }, options);
  }

  /**
   * Changes some fields of a template.
   *
   * @param id The template's id.
   * @param patch The fields to change.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The template as it is now.
   *
   * @example Moving a template to a new image
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.templates.create({ name: "whisper", image: "me/whisper:1" });
   * const updated = await runpod.templates.update(id, { image: "me/whisper:2" });
   * assert.equal(updated.image, "me/whisper:2");
   * assert.equal(updated.name, "whisper"); // fields not given stay as they were
   * ```
   */
  async update(
    id: string,
    patch: UpdateTemplateRequest,
    options?: number | CallOptions,
  ): Promise<Template> {
    const what = `update template '${id}'`;
    const params = { id: id };
    return await request(this.#t, "updateTemplate", { what, params, body: patch }, options);
  }

  /**
   * Deletes a template. Retried like a read: if an earlier attempt's answer was
   * lost and the template is then gone (404), the delete succeeded.
   *
   * @param id The template's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns Nothing, once it is deleted.
   *
   * @example Deleting a template: reading it then answers 404
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.templates.create({ name: "whisper", image: "me/whisper:1" });
   * await runpod.templates.delete(id);
   * await assert.rejects(
   *   runpod.templates.get(id),
   *   (error) => error instanceof RunpodApiError && error.status === 404,
   * );
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete template '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deleteTemplate", { what, params }, options);
  }
}
