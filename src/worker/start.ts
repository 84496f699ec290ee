import { type Clock, realClock } from "../clock.ts";
import { parseArgs, type WorkerArgs } from "./_args.ts";
import { logLevelOf, readConfig } from "./_config.ts";
import { Engine } from "./_engine.ts";
import { runLocal } from "./_local.ts";
import { consoleLogger, type Log, makeLog } from "./_logger.ts";
import { detectRuntime, type Runtime } from "./_runtime.ts";
import { DEFAULT_API_PORT, serveApi } from "./_serve_api.ts";
import type { StartOptions, WorkerHandle } from "./types.ts";
import { checkKnownKeys, type KnownKeys, optionKeys } from "../_known_keys.ts";

/**
 * Starts a RunPod serverless worker: the TypeScript counterpart of
 * runpod-python's `runpod.serverless.start`, speaking the same protocol.
 *
 * On RunPod (`RUNPOD_WEBHOOK_GET_JOB` set) it takes jobs, runs `handler` on
 * each (up to `concurrency` at once, the next taken the moment a slot frees),
 * posts every result (retried with backoff until delivered), streams what a
 * generator yields, sends heartbeats with the ids of the jobs in hand, and
 * aborts a job's `ctx.signal` when RunPod stops it (posting nothing for it).
 * The first SIGTERM or SIGINT drains it (nothing more taken, the jobs in hand
 * finish and post, exit 0), a second aborts the jobs in hand, a third exits at once.
 *
 * Elsewhere it runs in local mode: `--test-input '{"input": ...}'` (or
 * `./test_input.json`) runs the handler once, prints the result and exits
 * 0, or 1 when the job failed. `--serve-api [--port N] [--host H]` serves this
 * project's emulator (default port 8000) with the handler as the worker of its
 * endpoint `local`; runpod-python's spellings (`--test_input`,
 * `--rp_serve_api`, `--rp_api_port`, `--rp_api_host`, `--rp_log_level`) work too.
 *
 * Bad options throw `TypeError` or `RangeError` before any request.
 *
 * @param options The handler, the concurrency, and what tests inject.
 * @returns The running worker.
 *
 * @example A worker taking two jobs from a fake RunPod
 * ```ts
 * import { start } from "@runpod/sdk/worker";
 * import assert from "node:assert/strict";
 *
 * const queue = [{ id: "a", input: { name: "Ada" } }, { id: "b", input: { name: "Bo" } }];
 * const results: Record<string, unknown> = {};
 * const fakeRunpod: typeof fetch = (url, init) => {
 *   const { pathname } = new URL(String(url));
 *   if (pathname.includes("/job-take/")) {
 *     const job = queue.shift();
 *     if (job) return Promise.resolve(Response.json(job));
 *   }
 *   if (pathname.includes("/job-done/")) {
 *     results[pathname.split("/").pop()!] = JSON.parse(String(init?.body));
 *     return Promise.resolve(new Response(null, { status: 200 }));
 *   }
 *   return new Promise((_resolve, reject) => // hold other polls until aborted
 *     init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))
 *   );
 * };
 * const worker = start({
 *   handler: async (job) => ({ text: `hello ${job.input.name}` }),
 *   env: {
 *     RUNPOD_WEBHOOK_GET_JOB: "http://runpod.test/v2/ep/job-take/$ID?gpu=L4",
 *     RUNPOD_WEBHOOK_POST_OUTPUT: "http://runpod.test/v2/ep/job-done/$RUNPOD_POD_ID/$ID?gpu=L4",
 *     RUNPOD_POD_ID: "worker-1",
 *   },
 *   fetch: fakeRunpod,
 *   args: [],
 *   handleSignals: false,
 *   logger: { log: () => {} },
 * });
 * while (Object.keys(results).length < 2) await new Promise((r) => setTimeout(r, 1));
 * await worker.stop();
 * assert.deepEqual(results, { a: { output: { text: "hello Ada" } }, b: { output: { text: "hello Bo" } } });
 * ```
 */
export function start(options: StartOptions): WorkerHandle {
  checkOptions(options);
  const runtime = detectRuntime();
  const env = options.env ?? runtime.env();
  const args = parseArgs(options.args ?? runtime.args());
  const config = readConfig(env);
  if (args.logLevel !== undefined) config.logLevel = logLevelOf(args.logLevel);
  const logger = options.logger ?? consoleLogger(config.endpointId !== undefined);
  const log = makeLog(logger, config.logLevel, config.key);
  const exit = options.exit ?? ((code: number) => runtime.exit(code));
  const clock: Clock = options.clock ?? realClock;
  const refreshAll = options.refreshWorker ?? false;

  if (args.serveApi) {
    return serveLocalApi(options, runtime, args, clock, log, exit);
  }

  const { takeUrl, outputTemplate } = config;
  if (args.testInput !== undefined || takeUrl === undefined || outputTemplate === undefined) {
    const controller = new AbortController();
    let inputText = args.testInput;
    let source = "--test-input";
    if (inputText === undefined) {
      inputText = runtime.readText("test_input.json");
      source = "./test_input.json";
    }
    const done = inputText === undefined
      ? Promise.resolve(noJobs(log, takeUrl !== undefined))
      : runLocal(options.handler, inputText, source, config, log, {
        refreshAll,
        signal: controller.signal,
      });
    void done.then(exit);
    return {
      workerId: config.workerId,
      stop: () => done.then(() => {}),
      abort: () => {
        controller.abort(new DOMException("the worker is shutting down", "AbortError"));
        return done.then(() => {});
      },
      done,
    };
  }

  const engine = new Engine({
    config: { ...config, takeUrl, outputTemplate },
    handler: options.handler,
    concurrency: options.concurrency ?? 1,
    aggregate: options.returnAggregateStream ?? false,
    refreshAll,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock,
    log,
  });
  let byHandle = false;
  let signals = 0;
  const removeSignals = options.handleSignals === false ? () => {} : runtime.onSignals((signal) => {
    signals++;
    if (signals === 1) {
      log(
        "info",
        `${signal}: finishing the jobs in hand, then exiting (send it again to abort them)`,
      );
      void engine.drain();
    } else if (signals === 2) {
      log("warn", `${signal} again: aborting the jobs in hand (a third time exits at once)`);
      void engine.abort();
    } else {
      log("error", `${signal} a third time: exiting now; results not yet posted are lost`);
      exit(1);
    }
  });
  const done = engine.ended.then((reason) => {
    removeSignals();
    if (!byHandle) {
      if (reason === "refresh") {
        log("info", "refresh_worker: exiting so RunPod replaces this worker");
      }
      exit(0);
    }
    return 0;
  });
  engine.start();
  return {
    workerId: config.workerId,
    stop: async () => {
      byHandle = true;
      await engine.drain();
      await done;
    },
    abort: async () => {
      byHandle = true;
      await engine.abort();
      await done;
    },
    done,
  };
}

/** `--serve-api`: the emulator on a local port with the handler as its worker, until stopped. */
function serveLocalApi(
  options: StartOptions,
  runtime: Runtime,
  args: WorkerArgs,
  clock: Clock,
  log: Log,
  exit: (code: number) => void,
): WorkerHandle {
  const serving = serveApi(runtime, {
    handler: options.handler,
    concurrency: options.concurrency ?? 1,
    aggregate: options.returnAggregateStream ?? false,
    clock,
    log,
    hostname: args.host ?? "127.0.0.1",
    port: args.port ?? DEFAULT_API_PORT,
  });
  let byHandle = false;
  let closing: Promise<number> | undefined;
  let removeSignals = () => {};
  let ended!: (code: number) => void;
  const done = new Promise<number>((resolve) => (ended = resolve));
  const close = () =>
    closing ??= serving.then(
      async (served) => {
        await served.close();
        return 0;
      },
      (error) => {
        log("error", `the local API could not be served: ${String(error)}`);
        return 1;
      },
    ).then((code) => {
      removeSignals();
      if (!byHandle) exit(code);
      ended(code);
      return code;
    });
  serving.catch(() => close());
  if (options.handleSignals !== false) {
    removeSignals = runtime.onSignals((signal) => {
      log("info", `${signal}: stopping the local API`);
      void close();
    });
  }
  return {
    workerId: "local-worker",
    stop: async () => {
      byHandle = true;
      await close();
    },
    abort: async () => {
      byHandle = true;
      await close();
    },
    done,
  };
}

function noJobs(log: (level: "error", message: string) => void, hasTake: boolean): number {
  log(
    "error",
    hasTake
      ? "RUNPOD_WEBHOOK_POST_OUTPUT is not set: results could not be posted. On RunPod both are set."
      : "no job to run: on RunPod RUNPOD_WEBHOOK_GET_JOB is set; locally pass --test-input '{\"input\": ...}' or write ./test_input.json",
  );
  return 1;
}

function checkOptions(options: StartOptions): void {
  if (options === null || typeof options !== "object") {
    throw new TypeError("start() takes an options object: start({ handler })");
  }
  checkKnownKeys("start the worker", options, START_KEYS);
  if (typeof options.handler !== "function") {
    throw new TypeError("start() needs a handler function: start({ handler: async (job) => ... })");
  }
  const { concurrency } = options;
  if (concurrency !== undefined && typeof concurrency !== "function") {
    if (typeof concurrency !== "number" || !Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `concurrency must be an integer >= 1 or a function (current) => n; got ${
          String(concurrency)
        }`,
      );
    }
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("fetch must be a function like globalThis.fetch");
  }
}

/** The names of {@linkcode StartOptions}: the compiler holds this list to the type. */
const START_KEYS: KnownKeys = optionKeys<StartOptions>({
  handler: 1,
  concurrency: 1,
  returnAggregateStream: 1,
  refreshWorker: 1,
  env: 1,
  args: 1,
  fetch: 1,
  clock: 1,
  logger: 1,
  exit: 1,
  handleSignals: 1,
});
