import type { Clock } from "../clock.ts";

/**
 * A job as the worker received it from RunPod: its `id`, its `input`, and
 * any other field RunPod sent (`webhook`, `policy`, a batch id...), as sent.
 *
 * @example A handler reading a job
 * ```ts
 * import type { WorkerJob } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const job: WorkerJob<{ name: string }> = { id: "job-1", input: { name: "Ada" } };
 * assert.equal(job.input.name, "Ada");
 * ```
 */
// deno-lint-ignore no-explicit-any
export interface WorkerJob<I = any> {
  /** The job's id. */
  id: string;
  /** The job's input, as the client sent it. */
  input: I;
  /** Any other field RunPod sent with the job. */
  [key: string]: unknown;
}

/**
 * What a handler gets besides its job.
 *
 * @example Reporting progress and honouring the signal
 * ```ts
 * import type { JobContext, WorkerJob } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * async function handler(job: WorkerJob, ctx: JobContext) {
 *   await ctx.progress({ step: 1 });
 *   ctx.signal.throwIfAborted();
 *   return { ok: true };
 * }
 * const sent: unknown[] = [];
 * const ctx: JobContext = {
 *   signal: new AbortController().signal,
 *   progress: async (value) => void sent.push(value),
 *   workerId: "worker-1",
 * };
 * assert.deepEqual(await handler({ id: "a", input: {} }, ctx), { ok: true });
 * assert.deepEqual(sent, [{ step: 1 }]);
 * ```
 */
export interface JobContext {
  /**
   * Aborts when RunPod stops the job (cancelled or timed out: nothing is
   * posted for it then) or when the worker is shut down hard (a second
   * SIGTERM/SIGINT, or {@linkcode WorkerHandle.abort}).
   */
  signal: AbortSignal;
  /**
   * Reports progress: RunPod's `/status` shows `value` as the job's output
   * while it is IN_PROGRESS. Best effort: resolves once sent (or given up
   * on), never rejects; ignored once the job has ended.
   */
  progress(value: unknown): Promise<void>;
  /** This worker's id (`RUNPOD_POD_ID`). */
  workerId: string;
}

/**
 * A job handler: returns (or resolves to) the job's output, or is a
 * generator (sync or async) whose every yielded value is one stream item.
 *
 * A returned object's `error` fails the job with that error; its
 * `refresh_worker: true` replaces the worker after this job. A throw fails
 * the job with an error report that `parseWorkerError` reads.
 *
 * @example The four kinds of handler
 * ```ts
 * import type { Handler } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const sync: Handler = (job) => ({ echo: job.input });
 * const asyncHandler: Handler = async (job) => ({ echo: job.input });
 * const generator: Handler = function* () { yield "a"; yield "b"; };
 * const asyncGenerator: Handler = async function* () { yield "a"; };
 * assert.equal([sync, asyncHandler, generator, asyncGenerator].length, 4);
 * ```
 */
// deno-lint-ignore no-explicit-any
export type Handler<I = any, O = unknown> = (
  job: WorkerJob<I>,
  ctx: JobContext,
) =>
  | O
  | Promise<O>
  | Iterator<unknown, unknown, undefined>
  | AsyncIterator<unknown, unknown, undefined>;

/**
 * A log level, from the most to the least verbose.
 *
 * @example
 * ```ts
 * import type { LogLevel } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const level: LogLevel = "warn";
 * assert.equal(level, "warn");
 * ```
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * Where a worker's log lines go. The default writes to the console: JSON
 * lines `{requestId, message, level}` when `RUNPOD_ENDPOINT_ID` is set (as
 * RunPod's log view reads them), plain text otherwise; filtered by
 * `RUNPOD_LOG_LEVEL`. The worker's key never appears in a line.
 *
 * @example Collecting log lines in a test
 * ```ts
 * import type { WorkerLogger } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const logger: WorkerLogger = {
 *   log: (level, message, jobId) => void lines.push(`${level} ${jobId ?? "-"} ${message}`),
 * };
 * logger.log("info", "started");
 * assert.deepEqual(lines, ["info - started"]);
 * ```
 */
export interface WorkerLogger {
  /**
   * Writes one line.
   *
   * @param level The line's level.
   * @param message What happened.
   * @param jobId The job it is about, if any.
   */
  log(level: LogLevel, message: string, jobId?: string): void;
}

/**
 * Options of {@linkcode start}.
 *
 * @example A worker on a fake protocol server
 * ```ts
 * import { start, type StartOptions } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const options: StartOptions = {
 *   handler: (job) => ({ echo: job.input }),
 *   concurrency: 2,
 *   env: {}, // no RUNPOD_WEBHOOK_GET_JOB and no test input: nothing to do
 *   args: [],
 *   handleSignals: false,
 *   logger: { log: () => {} },
 *   exit: () => {},
 * };
 * const worker = start(options);
 * assert.equal(await worker.done, 1);
 * ```
 */
export interface StartOptions {
  /** The job handler. */
  handler: Handler;
  /**
   * How many jobs to run at once: a number, or a function given the current
   * concurrency and returning the new one, asked before every take.
   *
   * @default {1}
   */
  concurrency?: number | ((current: number) => number);
  /**
   * For a generator handler: the final result's `output` is every yielded
   * value (else `[]`), as runpod-python's `return_aggregate_stream`.
   *
   * @default {false}
   */
  returnAggregateStream?: boolean;
  /**
   * Replace the worker after every job: each result carries `stopPod: true`
   * and the worker takes nothing more and exits after it. A handler can ask
   * the same for one job by returning `refresh_worker: true`.
   *
   * @default {false}
   */
  refreshWorker?: boolean;
  /**
   * The environment (`RUNPOD_*` variables).
   *
   * @default {the process's environment}
   */
  env?: Record<string, string | undefined>;
  /**
   * The command-line arguments (`--test-input`, `--serve-api`...).
   *
   * @default {the process's arguments}
   */
  args?: string[];
  /**
   * The `fetch` used for every request to RunPod.
   *
   * @default {globalThis.fetch}
   */
  fetch?: typeof fetch;
  /**
   * The clock for heartbeats, timeouts and backoff.
   *
   * @default {realClock}
   */
  clock?: Clock;
  /**
   * Where log lines go.
   *
   * @default {the console, as RUNPOD_ENDPOINT_ID and RUNPOD_LOG_LEVEL say}
   */
  logger?: WorkerLogger;
  /**
   * Called with the exit code when the worker ends by itself (after a
   * SIGTERM/SIGINT, a refresh, or a local test run), not when
   * {@linkcode WorkerHandle.stop} ended it.
   *
   * @default {the runtime's exit}
   */
  exit?: (code: number) => void;
  /**
   * Whether SIGTERM and SIGINT drain the worker (the first) and abort its
   * jobs (the second), then exit.
   *
   * @default {true}
   */
  handleSignals?: boolean;
}

/**
 * A running worker, as {@linkcode start} returns it.
 *
 * @example Draining a worker
 * ```ts
 * import { start, type WorkerHandle } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const worker: WorkerHandle = start({
 *   handler: () => "ok",
 *   env: {
 *     RUNPOD_WEBHOOK_GET_JOB: "http://runpod.test/job-take/$ID?gpu=x",
 *     RUNPOD_WEBHOOK_POST_OUTPUT: "http://runpod.test/job-done/$RUNPOD_POD_ID/$ID?gpu=x",
 *   },
 *   fetch: (_url, init) =>
 *     new Promise((_resolve, reject) =>
 *       init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))
 *     ),
 *   args: [],
 *   handleSignals: false,
 *   logger: { log: () => {} },
 * });
 * await worker.stop();
 * assert.equal(await worker.done, 0);
 * ```
 */
export interface WorkerHandle {
  /** This worker's id. */
  readonly workerId: string;
  /**
   * Takes nothing more, lets the jobs in hand finish and post their results,
   * then resolves (with every request and timer of the worker ended).
   */
  stop(): Promise<void>;
  /**
   * Takes nothing more and aborts every job's `ctx.signal`; resolves once
   * their handlers have settled and what they ended with is posted.
   */
  abort(): Promise<void>;
  /** Resolves with the exit code once the worker has ended (0, or 1 after a failure). */
  readonly done: Promise<number>;
}
