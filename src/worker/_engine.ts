// The take / run / post engine: takes jobs the moment a slot frees (a held
// take, batch form when more than one slot is free), runs their handlers,
// posts their results, aborts the jobs RunPod stops, and drains on demand.
import type { Clock } from "../clock.ts";
import { delay } from "../delay.ts";
import { backoff } from "../_retry.ts";
import { POLICY } from "../_runpod_facts.ts";
import { jobUrlOf, stopUrlOf, takeUrlOf, type WorkerConfig } from "./_config.ts";
import type { Log } from "./_logger.ts";
import { type Heartbeat, startHeartbeat } from "./_ping.ts";
import { post, type PostContext } from "./_post.ts";
import { runHandler } from "./_run_handler.ts";
import { send } from "./_send.ts";
import { pollStops } from "./_stop_channel.ts";
import { readTake, TAKE_SPACING, TAKE_TIMEOUT } from "./_take.ts";
import type { Handler, JobContext, WorkerJob } from "./types.ts";

/**
 * The least time a result is retried for after its handler ended, in ms; longer
 * when the job's `policy.executionTimeout` says RunPod waits longer for it.
 */
export const RESULT_RETRY_WINDOW = 10 * 60_000;
/** After {@linkcode Engine.abort}, how long results are still retried for, in ms. */
export const ABORT_RETRY_WINDOW = 10_000;
/** A progress update is tried this many times at most (it is not a result). */
export const PROGRESS_ATTEMPTS = 3;

/** What the engine is given. */
export interface EngineOptions {
  config: WorkerConfig & { takeUrl: string; outputTemplate: string };
  handler: Handler;
  concurrency: number | ((current: number) => number);
  aggregate: boolean;
  refreshAll: boolean;
  fetch: typeof fetch;
  clock: Clock;
  log: Log;
}

/** Why the engine ended. */
export type EndReason = "stopped" | "refresh";

interface Entry {
  job: WorkerJob;
  takenAt: number;
  /** `ctx.signal`: a stop from RunPod, or {@linkcode Engine.abort}. */
  signal: AbortController;
  /** Aborts the job's posts: only a stop from RunPod (nothing is posted for it). */
  posts: AbortController;
  stopped: boolean;
  /** Its handler has ended (its result may still be posting): it no longer holds a slot. */
  ended: boolean;
  /** The job's stream and progress posts, in order. */
  chain: Promise<unknown>;
}

/** One worker's engine. */
export class Engine {
  #o: EngineOptions;
  #ctx: PostContext;
  #jobs = new Map<string, Entry>();
  /** A take is out: its answer may bring jobs, so the engine cannot end yet. */
  #taking = false;
  #state: "running" | "draining" | "stopped" = "running";
  #reason: EndReason = "stopped";
  #aborting = false;
  #takeAbort = new AbortController();
  #life = new AbortController();
  #wake: (() => void) | undefined;
  #loops: Promise<unknown>[] = [];
  #heartbeat: Heartbeat | undefined;
  #ended: Promise<EndReason>;
  #end!: (reason: EndReason) => void;

  constructor(options: EngineOptions) {
    this.#o = options;
    this.#ctx = {
      fetch: options.fetch,
      clock: options.clock,
      key: options.config.key,
      log: options.log,
    };
    this.#ended = new Promise((resolve) => (this.#end = resolve));
  }

  /** Resolves once the engine has stopped, with every request and timer of its own ended. */
  get ended(): Promise<EndReason> {
    return this.#ended;
  }

  /** The ids of the jobs in hand (taken, not stopped, result not yet delivered). */
  get jobIds(): string[] {
    return [...this.#jobs.keys()];
  }

  /** Starts taking jobs, the stop channel and the heartbeat. */
  start(): void {
    const { config, log } = this.#o;
    log("info", `worker ${config.workerId} started; taking jobs`);
    if (config.pingUrl !== undefined) {
      this.#heartbeat = startHeartbeat(
        this.#ctx,
        config.pingUrl,
        config.pingInterval,
        () => this.jobIds,
      );
    }
    this.#loops.push(this.#takeLoop());
    this.#loops.push(
      pollStops(this.#ctx, stopUrlOf(config.takeUrl), this.#life.signal, (id) => this.#stop(id)),
    );
  }

  /** Takes nothing more; resolves once the jobs in hand are done and posted. */
  drain(reason: EndReason = "stopped"): Promise<EndReason> {
    if (this.#state === "running") {
      this.#state = "draining";
      this.#reason = reason;
      this.#o.log("info", "taking no more jobs; finishing the jobs in hand");
      this.#takeAbort.abort();
      this.#wake?.();
    }
    this.#checkDrained();
    return this.#ended;
  }

  /** Drains, and aborts every job's `ctx.signal`; their results are retried only briefly. */
  abort(): Promise<EndReason> {
    this.#aborting = true;
    const ended = this.drain();
    for (const entry of this.#jobs.values()) {
      entry.signal.abort(new DOMException("the worker is shutting down", "AbortError"));
    }
    return ended;
  }

  #concurrency(current: number): number {
    const { concurrency, log } = this.#o;
    if (typeof concurrency === "number") return concurrency;
    let next: unknown;
    try {
      next = concurrency(current);
    } catch (error) {
      log("error", `the concurrency function threw (${String(error)}); keeping ${current}`);
      return current;
    }
    if (typeof next !== "number" || !Number.isInteger(next) || next < 1) {
      log(
        "error",
        `the concurrency function returned ${
          String(next)
        }, not an integer >= 1; keeping ${current}`,
      );
      return current;
    }
    return next;
  }

  async #takeLoop(): Promise<void> {
    const { config, clock, log } = this.#o;
    let concurrency = typeof this.#o.concurrency === "number" ? this.#o.concurrency : 1;
    let failures = 0;
    while (this.#state === "running") {
      concurrency = this.#concurrency(concurrency);
      const free = this.#o.refreshAll ? 1 - this.#busy : concurrency - this.#busy;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      const sentAt = clock.now();
      const url = takeUrlOf(config.takeUrl, free, this.#jobs.size > 0);
      this.#taking = true;
      const sent = await send(
        this.#ctx,
        url,
        { method: "GET" },
        TAKE_TIMEOUT,
        this.#takeAbort.signal,
      );
      this.#taking = false; // the jobs it brought are run below, in this same turn
      if (sent.kind === "aborted") return this.#checkDrained();
      const taken = readTake(sent, clock.now());
      let wait = 0;
      switch (taken.kind) {
        case "jobs":
          failures = 0;
          for (const bad of taken.bad) {
            log("error", `the take answered an entry that is not a job: ${bad}`);
          }
          for (const job of taken.jobs) this.#run(job);
          if (this.#o.refreshAll) this.drain("refresh");
          this.#checkDrained();
          continue;
        case "empty":
          failures = 0;
          wait = taken.held ? 0 : sentAt + TAKE_SPACING - clock.now();
          break;
        case "busy":
          wait = taken.wait;
          log("debug", `the take answered 429; taking again in ${wait} ms`);
          break;
        case "failed":
          wait = taken.retryAfter ?? backoff(failures++);
          log("warn", `taking a job failed (${taken.reason}); taking again in ${wait} ms`);
          break;
      }
      if (wait > 0) {
        try {
          await delay(wait, { clock, signal: this.#takeAbort.signal });
        } catch {
          return this.#checkDrained();
        }
      }
    }
    this.#checkDrained();
  }

  #run(job: WorkerJob): void {
    const { log, clock } = this.#o;
    if (this.#jobs.has(job.id)) {
      log(
        "warn",
        "this job was taken again while still in hand; the second copy is ignored",
        job.id,
      );
      return;
    }
    const entry: Entry = {
      job,
      takenAt: clock.now(),
      signal: new AbortController(),
      posts: new AbortController(),
      stopped: false,
      ended: false,
      chain: Promise.resolve(),
    };
    this.#jobs.set(job.id, entry);
    if (this.#aborting) {
      entry.signal.abort(new DOMException("the worker is shutting down", "AbortError"));
    }
    log("debug", "job started", job.id);
    void this.#lifeOf(entry);
  }

  async #lifeOf(entry: Entry): Promise<void> {
    const { config, log } = this.#o;
    const id = entry.job.id;
    const ctx: JobContext = {
      signal: entry.signal.signal,
      workerId: config.workerId,
      progress: (value) => this.#progress(entry, value),
    };
    const outcome = await runHandler(
      {
        handler: this.#o.handler,
        reporter: config,
        refreshAll: this.#o.refreshAll,
        aggregate: this.#o.aggregate,
        streamItem: (text) => this.#streamItem(entry, text),
      },
      entry.job,
      ctx,
    );
    entry.ended = true;
    if (entry.stopped) return;
    this.#wake?.(); // its slot is free
    if (outcome.body.refresh) this.drain("refresh");
    await entry.chain;
    const url = jobUrlOf(config.outputTemplate, id, outcome.stream);
    const posted = await post(this.#ctx, url, outcome.body.text, {
      jobId: id,
      what: "result",
      deadline: this.#deadline(entry),
      signal: entry.posts.signal,
    });
    if (posted === "delivered") {
      log(
        "debug",
        outcome.body.failed ? "job failed; result posted" : "job done; result posted",
        id,
      );
    } else if (posted !== "aborted") {
      log("error", `the result was NOT delivered: ${outcome.body.text.slice(0, 1000)}`, id);
    }
    if (this.#jobs.get(id) === entry) this.#jobs.delete(id);
    this.#checkDrained();
  }

  /** How long a job's result is worth retrying: its execution timeout, and at least the window. */
  #deadline(entry: Entry): number {
    const now = this.#o.clock.now();
    if (this.#aborting) return now + ABORT_RETRY_WINDOW;
    const policy = entry.job.policy as { executionTimeout?: unknown } | undefined;
    const timeout = typeof policy?.executionTimeout === "number"
      ? policy.executionTimeout
      : POLICY.executionTimeout.default;
    return Math.max(now + RESULT_RETRY_WINDOW, entry.takenAt + timeout);
  }

  #streamItem(entry: Entry, text: string): Promise<void> {
    const template = this.#o.config.streamTemplate;
    if (template === undefined) {
      this.#o.log(
        "error",
        "a stream item cannot be sent: RUNPOD_WEBHOOK_POST_STREAM is not set",
        entry.job.id,
      );
      return Promise.resolve();
    }
    const url = jobUrlOf(template, entry.job.id, false);
    const sending = entry.chain.then(() =>
      post(this.#ctx, url, text, {
        jobId: entry.job.id,
        what: "stream item",
        deadline: this.#deadline(entry),
        signal: entry.posts.signal,
      })
    );
    entry.chain = sending;
    return sending.then(() => {});
  }

  #progress(entry: Entry, value: unknown): Promise<void> {
    if (entry.ended || entry.stopped) return Promise.resolve();
    let text: string;
    try {
      text = JSON.stringify({ status: "IN_PROGRESS", output: value ?? null });
    } catch (error) {
      this.#o.log(
        "warn",
        `a progress value is not JSON (${String(error)}); not sent`,
        entry.job.id,
      );
      return Promise.resolve();
    }
    const url = jobUrlOf(this.#o.config.outputTemplate, entry.job.id, false);
    const sending = entry.chain.then(() =>
      entry.ended ? "aborted" : post(this.#ctx, url, text, {
        jobId: entry.job.id,
        what: "progress update",
        deadline: this.#o.clock.now() + RESULT_RETRY_WINDOW,
        signal: entry.posts.signal,
        maxAttempts: PROGRESS_ATTEMPTS,
      })
    );
    entry.chain = sending;
    return sending.then(() => {});
  }

  /** A stop from RunPod: abort the handler, post nothing, free the slot. */
  #stop(id: string): void {
    const entry = this.#jobs.get(id);
    if (entry === undefined) {
      this.#o.log("debug", "a stop for a job not in hand; ignored", id);
      return;
    }
    this.#o.log(
      "info",
      "RunPod stopped this job (cancelled or timed out); its handler is aborted and nothing is posted",
      id,
    );
    entry.stopped = true;
    entry.signal.abort(new DOMException("RunPod stopped this job", "AbortError"));
    entry.posts.abort();
    this.#jobs.delete(id);
    this.#wake?.(); // its slot is free
    this.#checkDrained();
  }

  /** The slots in use: the jobs in hand whose handler runs (a stopped job is no longer in hand). */
  get #busy(): number {
    let busy = 0;
    for (const entry of this.#jobs.values()) if (!entry.ended) busy++;
    return busy;
  }

  #checkDrained(): void {
    if (this.#state !== "draining" || this.#taking || this.#jobs.size > 0) return;
    this.#state = "stopped";
    this.#life.abort();
    this.#takeAbort.abort();
    const heartbeat = this.#heartbeat?.stop();
    void Promise.all([...this.#loops, heartbeat]).then(() => {
      this.#o.log("info", "worker stopped");
      this.#end(this.#reason);
    });
  }
}
