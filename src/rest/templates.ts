import { list, mayExist, pages, request, type RestTransport } from "./_client.ts";
import type { CreateTemplateRequest, Template, UpdateTemplateRequest } from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";
import type { ListOptions } from "./types.ts";

/**
 * Templates of the management API (`/templates`): an image with its settings,
 * applied once when an endpoint or a pod is created from it. Get it as
 * `runpod.templates`.
 *
 * @example Listing templates
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const fetch = async () => Response.json({ templates: [{ id: "a1", name: "first" }] });
 * const items = await runpodSdk("my-key", { fetch }).templates.list();
 * assert.equal(items[0]?.id, "a1");
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ templates: [{ id: "a1" }, { id: "a2" }] });
   * const items = await runpodSdk("my-key", { fetch }).templates.list();
   * assert.equal(items.length, 2);
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
   * @example Counting pages
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ templates: [{ id: "a1" }] });
   * let count = 0;
   * for await (const page of runpodSdk("my-key", { fetch }).templates.pages()) count += page.length;
   * assert.equal(count, 1);
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
   * @example Reading a template
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "a1", name: "first" });
   * const item = await runpodSdk("my-key", { fetch }).templates.get("a1");
   * assert.equal(item.name, "first");
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
   * @example Creating a template
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "t1", ...JSON.parse(String(init?.body)) }, { status: 201 });
   * const template = await runpodSdk("my-key", { fetch }).templates.create({
   *   name: "captioner",
   *   image: "me/captioner:1",
   *   serverless: true,
   *   env: { MODEL: "blip" },
   * });
   * assert.equal(template.id, "t1");
   * ```
   */
  async create(body: CreateTemplateRequest, options?: number | CallOptions): Promise<Template> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createTemplate", {
      what: `create template '${name}'`,
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
   * @example Renaming a template
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async (input: Request | URL | string, init?: RequestInit) =>
   *   Response.json({ id: "t1", ...JSON.parse(String(init?.body)) });
   * const template = await runpodSdk("my-key", { fetch }).templates.update("t1", { name: "v2" });
   * assert.equal(template.name, "v2");
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
   * @example Deleting a template
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => new Response(null, { status: 204 });
   * assert.equal(await runpodSdk("my-key", { fetch }).templates.delete("a1"), undefined);
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete template '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deleteTemplate", { what, params }, options);
  }
}
