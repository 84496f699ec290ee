/**
 * The types of RunPod's management API (REST v2), generated from its OpenAPI
 * document: every schema as its own type (`ServerlessEndpoint`, the spec's
 * `Endpoint`, renamed so as not to clash with the job client's `Endpoint`;
 * `CreateEndpointRequest`, `Pod`, `Template`...) and each operation's query
 * parameters (`ListGpuTypesQuery`...). The management client itself
 * (`runpod.endpoints`, `runpod.pods`...) and its own options and results
 * (`ListOptions`, `LogLine`, `RateLimit`...) are in the main entry. Types only:
 * this entry has no code.
 *
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import type { CreateEndpointRequest, ServerlessEndpoint } from "@runpod/sdk/rest";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * const request: CreateEndpointRequest = {
 *   name: "captioner",
 *   type: "QUEUE",
 *   image: "me/captioner:1",
 *   gpu: { pools: ["ADA_24"] },
 *   scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
 * };
 * const created: ServerlessEndpoint = await runpod.endpoints.create(request);
 * assert.equal(created.name, "captioner");
 * ```
 *
 * @module
 */
export type * from "./src/rest/schemas.gen.ts";
