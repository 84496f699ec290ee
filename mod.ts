/**
 * A TypeScript client for RunPod serverless endpoints, built only on web
 * standards (`fetch`, `AbortSignal`, `ReadableStream`), for Deno, Node, Bun
 * and Cloudflare Workers, with zero dependencies.
 *
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * // Against RunPod: runpodSdk(Deno.env.get("RUNPOD_API_KEY")!).endpoint(ENDPOINT_ID)
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch });
 * const endpoint = runpod.endpoint("test-endpoint");
 *
 * const job = await endpoint.runSync({ input: { prompt: "a horse" } }, 5000);
 * assert.equal(job.status, "COMPLETED");
 * ```
 *
 * @module
 */
import { runpodSdk } from "./src/runpod_sdk.ts";

export default runpodSdk;
export { RunpodSdk, runpodSdk } from "./src/runpod_sdk.ts";
export { Endpoint } from "./src/endpoint.ts";
export {
  JobError,
  parseWorkerError,
  RunpodApiError,
  type RunpodApiErrorOptions,
  RunpodConnectionError,
  RunpodError,
  type RunpodErrorOptions,
  StreamGapError,
  TimeoutError,
  type WorkerErrorReport,
} from "./src/errors.ts";
export { type NoWorkerReason, WorkerUnavailableError } from "./src/load_balancer/errors.ts";
export { LoadBalancer } from "./src/load_balancer/load_balancer.ts";
export type * from "./src/load_balancer/types.ts";
export { isTerminalStatus } from "./src/is_terminal_status.ts";
export { type Clock, realClock } from "./src/clock.ts";
export { delay, type DelayOptions } from "./src/delay.ts";
export { VERSION } from "./src/version.ts";
export type * from "./src/types.ts";
export type { Endpoints } from "./src/rest/endpoints.ts";
export type { Templates } from "./src/rest/templates.ts";
export type { NetworkVolumes } from "./src/rest/network_volumes.ts";
export type { Registries } from "./src/rest/registries.ts";
export type { Pods } from "./src/rest/pods.ts";
export type { Clusters } from "./src/rest/clusters.ts";
export type { Catalog } from "./src/rest/catalog.ts";
export type { Billing } from "./src/rest/billing.ts";
export type { SshKeys } from "./src/rest/ssh_keys.ts";
export type * from "./src/rest/types.ts";
export type { PacedRoute, PacingOptions, RateLimitedRoute, RouteLimit } from "./src/pacing.ts";
export type { RunManyOptions, RunManyResult } from "./src/run_many.ts";
export { BatchJobs } from "./src/batches.ts";
export {
  type Batch,
  type BatchPage,
  type BatchRequest,
  type BatchStatus,
  type BatchWaitOptions,
  isBatchDone,
} from "./src/batch.ts";
