import { list, mayExist, pages, request, type RestTransport } from "./_client.ts";
import type {
  CreateDelegationRequest,
  CreateRegistryRequest,
  EcrDelegation,
  ListDelegationsResponse,
  Registry,
} from "./schemas.gen.ts";
import type { CallOptions } from "../types.ts";
import type { ListOptions } from "./types.ts";

/**
 * Container registry credentials of the management API (`/registries`), for
 * private images. RunPod has no route to change one: delete it and create it
 * again. Get it as `runpod.registries`.
 *
 * @example Listing registry credentials
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const fetch = async () => Response.json({ registries: [{ id: "a1", name: "first" }] });
 * const items = await runpodSdk("my-key", { fetch }).registries.list();
 * assert.equal(items[0]?.id, "a1");
 * ```
 */
export class Registries {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.registries` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Lists every registry credential (all pages, if the server pages).
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries, limit }`.
   * @returns The registry credentials.
   *
   * @example Listing registry credentials
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ registries: [{ id: "a1" }, { id: "a2" }] });
   * const items = await runpodSdk("my-key", { fetch }).registries.list();
   * assert.equal(items.length, 2);
   * ```
   */
  async list(options?: number | ListOptions): Promise<Registry[]> {
    return await list(this.#t, "listRegistries", {
      what: "list registry credentials",
      key: "registries",
    }, options);
  }

  /**
   * Lists the registry credentials page by page (one page when the server does not page).
   *
   * @param options A timeout in ms for each page, or `{ timeout, signal, maxRetries, limit }`.
   * @returns An async generator of pages.
   *
   * @example Counting pages
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ registries: [{ id: "a1" }] });
   * let count = 0;
   * for await (const page of runpodSdk("my-key", { fetch }).registries.pages()) count += page.length;
   * assert.equal(count, 1);
   * ```
   */
  async *pages(options?: number | ListOptions): AsyncGenerator<Registry[]> {
    yield* pages(this.#t, "listRegistries", {
      what: "list registry credentials",
      key: "registries",
    }, options);
  }

  /**
   * Reads one registry credential.
   *
   * @param id The registry credential's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The registry credential.
   *
   * @example Reading a registry credential
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "a1", name: "first" });
   * const item = await runpodSdk("my-key", { fetch }).registries.get("a1");
   * assert.equal(item.name, "first");
   * ```
   */
  async get(id: string, options?: number | CallOptions): Promise<Registry> {
    const what = `read registry credential '${id}'`;
    const params = { id: id };
    return await request(this.#t, "getRegistry", { what, params }, options);
  }

  /**
   * Creates a registry credential. The body is checked against RunPod's spec first (a
   * `TypeError` names a bad field, before any request); a create is retried
   * only on 429, and after a 5xx or a lost answer the error says to look for
   * the registry credential by name rather than create it twice.
   *
   * @param body The new registry credential.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The new registry credential.
   *
   * @example Creating a registry credential
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "r1", name: "docker-hub" }, { status: 201 });
   * const registry = await runpodSdk("my-key", { fetch }).registries.create({
   *   name: "docker-hub",
   *   username: "me",
   *   password: "a-token",
   * });
   * assert.deepEqual(registry, { id: "r1", name: "docker-hub" }); // the password is never read back
   * ```
   */
  async create(body: CreateRegistryRequest, options?: number | CallOptions): Promise<Registry> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createRegistry", {
      what: `create registry credential '${name}'`,
      body,
      lost: mayExist("registry credential", name, "runpod.registries.list()"),
    }, options);
  }

  /**
   * Deletes a registry credential. Retried like a read: if an earlier attempt's answer was
   * lost and the registry credential is then gone (404), the delete succeeded.
   *
   * @param id The registry credential's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns Nothing, once it is deleted.
   *
   * @example Deleting a registry credential
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => new Response(null, { status: 204 });
   * assert.equal(await runpodSdk("my-key", { fetch }).registries.delete("a1"), undefined);
   * ```
   */
  async delete(id: string, options?: number | CallOptions): Promise<void> {
    const what = `delete registry credential '${id}'`;
    const params = { id: id };
    return await request(this.#t, "deleteRegistry", { what, params }, options);
  }

  /**
   * Lists the AWS ECR delegations (a beta of RunPod's: RunPod pulls from your
   * ECR repository through a role you grant).
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The delegations.
   *
   * @example Listing delegations
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ delegations: [{ id: "d1" }] });
   * assert.equal((await runpodSdk("my-key", { fetch }).registries.delegations()).length, 1);
   * ```
   */
  async delegations(options?: number | CallOptions): Promise<EcrDelegation[]> {
    const answer = await request<ListDelegationsResponse>(this.#t, "listDelegations", {
      what: "list ECR delegations",
    }, options);
    return answer.delegations;
  }

  /**
   * Creates an AWS ECR delegation (beta) for a repository.
   *
   * @param body `{ resource, name? }`: the ECR repository and a name.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }` (retries only on 429).
   * @returns The delegation.
   *
   * @example Delegating a repository
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ id: "d1" }, { status: 201 });
   * const delegation = await runpodSdk("my-key", { fetch }).registries.delegate({
   *   resource: "arn:aws:ecr:us-east-1:123456789012:repository/worker",
   * });
   * assert.equal(delegation.id, "d1");
   * ```
   */
  async delegate(
    body: CreateDelegationRequest,
    options?: number | CallOptions,
  ): Promise<EcrDelegation> {
    const resource = (body as { resource?: unknown } | undefined)?.resource;
    return await request(this.#t, "createDelegation", {
      what: `delegate ECR repository '${resource}'`,
      body,
      lost:
        "the delegation may have been created anyway: look for it in runpod.registries.delegations() before creating it again",
    }, options);
  }

  /**
   * Revokes an AWS ECR delegation (beta).
   *
   * @param id The delegation's id.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns Nothing, once it is revoked.
   *
   * @example Revoking a delegation
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => new Response(null, { status: 204 });
   * assert.equal(await runpodSdk("my-key", { fetch }).registries.revokeDelegation("d1"), undefined);
   * ```
   */
  async revokeDelegation(id: string, options?: number | CallOptions): Promise<void> {
    const what = `revoke ECR delegation '${id}'`;
    const params = { id: id };
    return await request(this.#t, "revokeDelegation", { what, params }, options);
  }
}
