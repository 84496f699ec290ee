import { creating, list, mayExist, pages, request, type RestTransport } from "./_client.ts";
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
 * @example Pulling a private image with a stored credential
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const registry = await runpod.registries.create({
 *   name: "ghcr",
 *   username: "me",
 *   password: "a-token",
 * });
 * const template = await runpod.templates.create({
 *   name: "private",
 *   image: "ghcr.io/me/private:1",
 *   registry: registry.id,
 * });
 * assert.equal(template.registry, registry.id);
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.registries.create({ name: "docker-hub", username: "me", password: "a-token" });
   * await runpod.registries.create({ name: "ghcr", username: "me", password: "another-token" });
   * const registries = await runpod.registries.list();
   * assert.deepEqual(registries.map((r) => r.name), ["docker-hub", "ghcr"]);
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
   * @example Reading credentials page by page
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * for (const name of ["a", "b", "c"]) {
   *   await runpod.registries.create({ name, username: "me", password: "a-token" });
   * }
   * const pages: string[][] = [];
   * for await (const page of runpod.registries.pages({ limit: 2 })) {
   *   pages.push(page.map((r) => r.name));
   * }
   * assert.deepEqual(pages, [["a", "b"], ["c"]]);
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
   * @example Reading a credential: the password is never read back
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.registries.create({
   *   name: "docker-hub",
   *   username: "me",
   *   password: "a-token",
   * });
   * assert.deepEqual(await runpod.registries.get(id), { id, name: "docker-hub" });
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const registry = await runpod.registries.create({
   *   name: "docker-hub",
   *   username: "me",
   *   password: "a-token",
   * });
   * assert.equal(registry.name, "docker-hub");
   * assert.equal("password" in registry, false);
   * ```
   */
  async create(body: CreateRegistryRequest, options?: number | CallOptions): Promise<Registry> {
    const name = (body as { name?: unknown } | undefined)?.name;
    return await request(this.#t, "createRegistry", {
      what: creating("registry credential", name),
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
   * @example Replacing a credential (there is no update): delete, then create
   * ```ts
   * import runpodSdk, { RunpodApiError } from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const old = await runpod.registries.create({ name: "ghcr", username: "me", password: "old" });
   * await runpod.registries.delete(old.id);
   * await runpod.registries.create({ name: "ghcr", username: "me", password: "new" });
   * await assert.rejects(
   *   runpod.registries.get(old.id),
   *   (error) => error instanceof RunpodApiError && error.status === 404,
   * );
   * assert.equal((await runpod.registries.list()).length, 1);
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.registries.delegate({
   *   resource: "arn:aws:ecr:us-east-1:123456789012:repository/worker",
   * });
   * const delegations = await runpod.registries.delegations();
   * assert.deepEqual(delegations.map((d) => d.repository), ["worker"]);
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
   * @param body `{ resource, name? }`: the ECR repository's ARN (`arn:aws:ecr:REGION:ACCOUNT:repository/NAME`) and a name.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }` (retries only on 429).
   * @returns The delegation.
   *
   * @example Delegating a repository
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const delegation = await runpod.registries.delegate({
   *   name: "worker",
   *   resource: "arn:aws:ecr:us-east-1:123456789012:repository/team/worker", // its ARN
   * });
   * assert.deepEqual([delegation.awsRegion, delegation.repository, delegation.tag], [
   *   "us-east-1",
   *   "team/worker",
   *   "latest",
   * ]);
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
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { id } = await runpod.registries.delegate({
   *   resource: "arn:aws:ecr:us-east-1:123456789012:repository/worker",
   * });
   * await runpod.registries.revokeDelegation(id);
   * assert.deepEqual(await runpod.registries.delegations(), []);
   * ```
   */
  async revokeDelegation(id: string, options?: number | CallOptions): Promise<void> {
    const what = `revoke ECR delegation '${id}'`;
    const params = { id: id };
    return await request(this.#t, "revokeDelegation", { what, params }, options);
  }
}
