/**
 * A RunPod serverless worker runtime for TypeScript: `@runpod/sdk/worker`,
 * the counterpart of runpod-python's `runpod.serverless.start`, wire-compatible
 * with RunPod's worker protocol, for Node 20+, Deno and Bun.
 *
 * ```ts ignore
 * // handler.ts: deno run -A handler.ts, bun handler.ts, or node handler.mjs
 * import { start } from "@runpod/sdk/worker";
 *
 * start({
 *   handler: async (job, ctx) => ({ text: `hello ${job.input.name}` }),
 *   concurrency: 4,
 * });
 * ```
 *
 * {@linkcode start} takes jobs the moment a slot frees (a held take; the
 * batch form when several slots are free), posts every result until it is
 * delivered, streams what a generator handler yields, sends heartbeats,
 * aborts `ctx.signal` when RunPod stops a job, and drains on SIGTERM. Without
 * RunPod's variables it runs the handler once on `--test-input` or
 * `./test_input.json`; `--serve-api [--port N]` serves this project's emulator
 * on that port with the handler as its worker. Nothing runs at import time; the engine uses web
 * standards only, and the runtime (environment, arguments, signals, exit) is
 * reached by feature detection.
 *
 * @module
 */
export { start } from "./src/worker/start.ts";
export type { Clock } from "./src/clock.ts";
export type {
  Handler,
  JobContext,
  LogLevel,
  StartOptions,
  WorkerHandle,
  WorkerJob,
  WorkerLogger,
} from "./src/worker/types.ts";
