/**
 * A local RunPod serverless API for tests and demos: `@runpod/sdk/testing`.
 *
 * {@linkcode createEmulator} makes an emulator that implements every route of
 * `https://api.runpod.ai/v2/{endpointId}/…` (`/run`, `/runsync`, `/status`,
 * `/stream`, `/cancel`, `/retry`, `/purge-queue`, `/health`) with RunPod's
 * semantics: job statuses and times, held `/runsync` and `/stream` polls,
 * `policy.executionTimeout` and `policy.ttl`, result expiry, payload limits,
 * the API key, webhooks with their retries. Jobs are run by a worker function
 * shaped like a RunPod worker (a generator's yields become stream items),
 * and end as RunPod's Python worker reports them (its JSON error report for
 * a throw, a returned `{ error }`, `returnAggregateStream`). RunPod's rate
 * limits and deep-queue 429 are on by default (`rateLimits`, `deepQueue`).
 * Endpoints may be given as `{ id, timeout, workers: { max } }`. In Node,
 * `@runpod/sdk/testing/node` serves the emulator over HTTP.
 *
 * Pass `emulator.fetch` as the client's `fetch` to test without a network,
 * or serve `emulator.handler` (`Deno.serve`, `Bun.serve`, a Worker's
 * `fetch`) to call it over HTTP. Run it on a {@linkcode FakeClock}, shared
 * with the client, and minutes of jobs and polling take milliseconds.
 * {@linkcode Emulator.inject} makes the next answers of a route fail
 * (a status with `Retry-After`, a delay, a dropped connection, a truncated or
 * malformed body, an HTML error page); {@linkcode Emulator.requests} and
 * {@linkcode Emulator.jobs} show what happened, the API key redacted.
 *
 * {@linkcode parseWebhook} reads a RunPod webhook on the receiving side.
 *
 * The emulator also serves the OpenAI-compatible routes of vLLM workers
 * (`/v2/{endpointId}/openai/v1/chat/completions`, `/completions`, `/models`)
 * for the `openai` package: each call becomes a job whose input is
 * `{ openai_route, openai_input }`, and a stream is relayed as the worker
 * yields it. {@linkcode openaiWorker} is such a worker.
 *
 * An endpoint given as `{ id, external: true }` is served by worker
 * processes instead, over RunPod's own worker protocol (`job-take`,
 * `job-done`, `job-stream`, `job-stop`, `ping`): its jobs wait IN_QUEUE until
 * a worker takes them, and {@linkcode Emulator.workerEnv} gives the
 * `RUNPOD_*` variables that point a worker (runpod-python's
 * `serverless.start`, `@runpod/sdk/worker`) at the emulator.
 *
 * Nothing runs at import time, and the module uses web standards only.
 *
 * @example Testing against the emulator
 * ```ts
 * import { createEmulator, FakeClock } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * await using emulator = createEmulator({
 *   clock,
 *   worker: async (job) => {
 *     await job.sleep(5_000);
 *     return { echo: job.input };
 *   },
 * });
 * emulator.inject("POST /runsync", { status: 503, retryAfter: "1" });
 * const send = () =>
 *   emulator.fetch(`${emulator.baseUrl}/test-endpoint/runsync`, {
 *     method: "POST",
 *     headers: { authorization: "Bearer test-key", "content-type": "application/json" },
 *     body: JSON.stringify({ input: "hello" }),
 *   });
 * const failed = await send();
 * assert.equal(failed.status, 503);
 * await failed.body?.cancel();
 * const job = await (await send()).json();
 * assert.equal(job.status, "COMPLETED");
 * assert.deepEqual(job.output, { echo: "hello" });
 * assert.equal(job.executionTime, 5_000);
 * assert.equal(emulator.requests[0]?.headers.authorization, "Bearer [redacted]");
 * ```
 *
 * @module
 */
export {
  createEmulator,
  Emulator,
  type EmulatorEndpoint,
  type EmulatorJob,
  type EmulatorOptions,
  type RateLimits,
  type RecordedRequest,
  type WebhookDelivery,
  type WorkerEnv,
  type WorkerEnvOptions,
} from "./src/testing/emulator.ts";
export type { LimitedRoute } from "./src/testing/_limits.ts";
export type { RateLimitedRoute, RouteLimit } from "./src/pacing.ts";
export { FakeClock, type FakeClockOptions } from "./src/testing/fake_clock.ts";
export type {
  DelayFault,
  DropFault,
  Fault,
  HtmlFault,
  JsonFault,
  MalformedFault,
  RedirectFault,
  StatusFault,
  TruncateFault,
} from "./src/testing/faults.ts";
export { parseWebhook, type WebhookPayload } from "./src/testing/webhook.ts";
export { echoWorker, type EmulatorWorker, type WorkerJob } from "./src/testing/worker.ts";
export {
  echoServer,
  type LoadBalancerEmulatorOptions,
  type LoadBalancerHandler,
} from "./src/testing/load_balancer.ts";
export {
  type OpenAIJobInput,
  openaiWorker,
  type OpenAIWorkerOptions,
} from "./src/testing/openai_worker.ts";
// Types of the main entry that this one's API mentions.
export type { Clock } from "./src/clock.ts";
export type { JobPolicy, JobStatus, StreamItem } from "./src/types.ts";
export type { RestEmulatorOptions } from "./src/testing/rest/options.ts";
