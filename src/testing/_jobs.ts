import { isTerminalStatus } from "../is_terminal_status.ts";
import type { Clock } from "../clock.ts";
import { delay } from "../delay.ts";
import type { EndpointHealth, Job, JobPolicy, JobStatus, StreamItem } from "../types.ts";
import type { EndpointRegistry } from "./_endpoints.ts";
import { splitStreamItem, type WorkerResult } from "./_results.ts";
import { runWorker } from "./_run_worker.ts";
import type { Timers } from "./_timers.ts";
import type { EmulatorWorker } from "./worker.ts";

/**
 * Why a job left the table: purged from the queue, results expired, its
 * `policy.ttl` (or `/status?ttl=`) ran out, or its endpoint was deleted.
 */
export type RemovedReason = "purged" | "expired" | "ttl" | "deleted";

/** What RunPod reports for a job whose body had no `input`: its worker rejects it, it is retried once, then fails. */
export const MISSING_INPUT_ERROR = "job timed out after 1 retries";

/** A job as the emulator keeps it. */
export interface JobRecord {
  id: string;
  endpointId: string;
  mode: "run" | "runsync";
  status: JobStatus;
  input: unknown;
  /** The body had no `input`: the worker rejects the job. */
  inputMissing?: boolean;
  output?: unknown;
  error?: unknown;
  webhook?: string;
  policy: Required<Pick<JobPolicy, "executionTimeout" | "ttl">> & JobPolicy;
  s3Config?: unknown;
  createdAt: number;
  /** When the job is deleted (`policy.ttl` after creation, or sooner through `/status?ttl=`). */
  expiresAt: number;
  queuedAt: number;
  queueSeq: number;
  startedAt?: number;
  completedAt?: number;
  workerId?: string;
  retries: number;
  /** Every stream item produced by the current run. */
  stream: StreamItem[];
  /** Stream items not drained by `/stream` yet. */
  pending: StreamItem[];
  removed?: RemovedReason;
  /** Bumped at each start, so a stale run cannot report into a retried job. */
  run: number;
  controller?: AbortController;
  /** The worker process holding the job (an external endpoint's), while it runs. */
  heldBy?: string;
  /** The final post that ended the job (an external endpoint's): its worker and body, for repeats. */
  finalPost?: { workerId: string; body: string };
  /** The worker asked to be replaced after this job (`stopPod: true` in its result). */
  stopPod?: boolean;
  cancelTimers: (() => void)[];
}

/** What the job table needs from the emulator. */
export interface JobTableOptions {
  clock: Clock;
  timers: Timers;
  worker: EmulatorWorker;
  /** The endpoints: their worker counts. */
  endpoints: EndpointRegistry;
  queueDelay: number;
  /** Whether a generator's items become its final output. */
  returnAggregateStream: boolean;
  resultTtl: { run: number; runsync: number };
  /** Called once when a job reaches a terminal status (for webhooks). */
  onEnd(job: JobRecord): void;
  /**
   * Called when a job held by a worker process is stopped by RunPod's side
   * (cancelled, timed out, expired, its endpoint deleted, the emulator
   * closed), so that the worker's stop channel can tell it.
   */
  onStop(job: JobRecord, workerId: string): void;
}

/** The job table: creation, scheduling on workers, the state machine and expiry. */
export class JobTable {
  #options: JobTableOptions;
  #jobs = new Map<string, JobRecord>();
  #slots = new Map<string, (string | undefined)[]>();
  #watchers = new Map<string, Set<() => void>>();
  #runs = new Set<Promise<void>>();
  #queueSeq = 0;
  /** No job expires before this clock time: `sweep()` has nothing to do until then. */
  #nextExpiry = Infinity;
  #retried = new Map<string, number>();
  #closed = false;
  /** Each endpoint's queue in `queueSeq` order, from `head` on; entries no longer queued are skipped. */
  #queues = new Map<string, { entries: { job: JobRecord; seq: number }[]; head: number }>();
  /** Held takes of external endpoints, woken when a job may be ready. */
  #queueWatchers = new Map<string, Set<() => void>>();

  constructor(options: JobTableOptions) {
    this.#options = options;
    options.endpoints.listen({
      resized: (id) => this.#resize(id),
      removed: (id) => this.#dropEndpoint(id),
    });
  }

  /** Every job ever created, oldest first (removed ones included, marked). */
  all(): JobRecord[] {
    this.sweep();
    return [...this.#jobs.values()];
  }

  /** The job `id` of `endpointId` if it exists and has not been removed. */
  get(endpointId: string, id: string): JobRecord | undefined {
    this.sweep();
    const job = this.#jobs.get(id);
    return job && job.endpointId === endpointId && !job.removed ? job : undefined;
  }

  /** Any job by id, removed or not. */
  find(id: string): JobRecord | undefined {
    this.sweep();
    return this.#jobs.get(id);
  }

  /** Creates a job and queues it. */
  create(
    init: Pick<
      JobRecord,
      "endpointId" | "mode" | "input" | "inputMissing" | "webhook" | "policy" | "s3Config"
    >,
  ): JobRecord {
    const now = this.#options.clock.now();
    const prefix = init.mode === "runsync" ? "sync-" : "";
    const job: JobRecord = {
      ...init,
      id: `${prefix}${crypto.randomUUID()}-u1`,
      status: "IN_QUEUE",
      createdAt: now,
      expiresAt: now + init.policy.ttl,
      queuedAt: now,
      queueSeq: this.#queueSeq++,
      retries: 0,
      stream: [],
      pending: [],
      run: 0,
      cancelTimers: [],
    };
    this.#jobs.set(job.id, job);
    this.#expiresBy(job.expiresAt);
    this.#enqueued(job);
    return job;
  }

  /** Cancels a queued or running job; a finished one is left as it is. */
  cancel(job: JobRecord): void {
    if (isTerminalStatus(job.status)) return;
    this.#end(
      job,
      job.run,
      "CANCELLED",
      {},
      new DOMException("The job was cancelled", "AbortError"),
    );
  }

  /** Puts a FAILED or TIMED_OUT job back in the queue; returns false for any other status. */
  retry(job: JobRecord): boolean {
    if (job.status !== "FAILED" && job.status !== "TIMED_OUT") return false;
    const now = this.#options.clock.now();
    job.status = "IN_QUEUE";
    job.queuedAt = now;
    job.queueSeq = this.#queueSeq++;
    job.retries++;
    this.#retried.set(job.endpointId, (this.#retried.get(job.endpointId) ?? 0) + 1);
    delete job.output;
    delete job.error;
    delete job.startedAt;
    delete job.completedAt;
    delete job.workerId;
    delete job.finalPost;
    delete job.stopPod;
    job.stream = [];
    job.pending = [];
    this.#notify(job);
    this.#enqueued(job);
    return true;
  }

  /** Removes every queued job of `endpointId`; returns how many. */
  purge(endpointId: string): number {
    this.sweep();
    let removed = 0;
    for (const job of this.#jobs.values()) {
      if (job.endpointId === endpointId && !job.removed && job.status === "IN_QUEUE") {
        this.#remove(job, "purged");
        removed++;
      }
    }
    return removed;
  }

  /** How many jobs of `endpointId` wait in the queue. */
  queued(endpointId: string): number {
    this.sweep();
    const queue = this.#queues.get(endpointId);
    let queued = 0;
    if (!queue) return queued;
    for (let i = queue.head; i < queue.entries.length; i++) {
      if (isQueued(queue.entries[i]!)) queued++;
    }
    return queued;
  }

  /**
   * Shortens the job's life to `ms` from now (`/status?ttl=`): it is deleted
   * then, queued, running or finished, unless it was due sooner.
   */
  shorten(job: JobRecord, ms: number): void {
    const now = this.#options.clock.now();
    if (now + ms >= job.expiresAt) return;
    job.expiresAt = now + ms;
    this.#expiresBy(job.expiresAt);
    if (job.status === "IN_PROGRESS") {
      job.cancelTimers.push(this.#options.timers.set(() => this.#remove(job, "ttl"), ms));
    }
  }

  /** The `/health` counts of `endpointId`. */
  health(endpointId: string): EndpointHealth {
    this.sweep();
    const jobs = { completed: 0, failed: 0, inProgress: 0, inQueue: 0, retried: 0 };
    for (const job of this.#jobs.values()) {
      if (job.endpointId !== endpointId || job.removed) continue;
      if (job.status === "COMPLETED") jobs.completed++;
      else if (job.status === "FAILED" || job.status === "TIMED_OUT") jobs.failed++;
      else if (job.status === "IN_PROGRESS") jobs.inProgress++;
      else if (job.status === "IN_QUEUE") jobs.inQueue++;
    }
    jobs.retried = this.#retried.get(endpointId) ?? 0;
    const slots = this.#slotsOf(endpointId);
    const running = slots.filter((slot) => slot !== undefined).length;
    const idle = slots.length - running;
    return {
      jobs,
      workers: { idle, running, initializing: 0, ready: idle, throttled: 0, unhealthy: 0 },
    };
  }

  /** The worker processes holding a job of the external endpoint `endpointId`. */
  holders(endpointId: string): Set<string> {
    this.sweep();
    const holders = new Set<string>();
    for (const job of this.#jobs.values()) {
      if (job.endpointId === endpointId && job.heldBy !== undefined) holders.add(job.heldBy);
    }
    return holders;
  }

  /** Takes the undrained stream items and the status at the same moment, as `/stream` answers them. */
  drain(
    job: JobRecord,
  ): { id: string; delayTime?: number; status: JobStatus; stream: StreamItem[] } {
    const answer: { id: string; delayTime?: number; status: JobStatus; stream: StreamItem[] } = {
      id: job.id,
      status: job.status,
      stream: job.pending.splice(0),
    };
    if (job.startedAt !== undefined) answer.delayTime = job.startedAt - job.queuedAt;
    return answer;
  }

  /** Calls `fn` whenever `job` changes (status, stream, removal); returns the unsubscribe function. */
  watch(job: JobRecord, fn: () => void): () => void {
    let set = this.#watchers.get(job.id);
    if (!set) this.#watchers.set(job.id, set = new Set());
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.#watchers.get(job.id) === set) this.#watchers.delete(job.id);
    };
  }

  /**
   * Calls `fn` whenever a job of the external endpoint `endpointId` may have
   * become ready to take; returns the unsubscribe function.
   */
  watchQueue(endpointId: string, fn: () => void): () => void {
    let set = this.#queueWatchers.get(endpointId);
    if (!set) this.#queueWatchers.set(endpointId, set = new Set());
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.#queueWatchers.get(endpointId) === set) {
        this.#queueWatchers.delete(endpointId);
      }
    };
  }

  /**
   * A worker process takes up to `max` of the oldest jobs of `endpointId`
   * that have waited `queueDelay`: they start (IN_PROGRESS, the execution
   * timeout running) and the worker holds them until its result.
   */
  take(endpointId: string, workerId: string, max: number): JobRecord[] {
    if (this.#closed) return [];
    this.sweep();
    const queue = this.#queues.get(endpointId);
    const taken: JobRecord[] = [];
    if (!queue) return taken;
    const now = this.#options.clock.now();
    const { entries } = queue;
    while (queue.head < entries.length && taken.length < max) {
      const entry = entries[queue.head]!;
      if (!isQueued(entry)) {
        queue.head++;
        continue;
      }
      if (entry.job.queuedAt + this.#options.queueDelay > now) break;
      queue.head++;
      this.#begin(entry.job, workerId, true);
      taken.push(entry.job);
    }
    return taken;
  }

  /** A progress update of a running job: `/status` shows it as `output`. */
  progress(job: JobRecord, output: unknown): void {
    job.output = output;
    this.#notify(job);
  }

  /** A stream item of a running job (split to RunPod's item size). */
  item(job: JobRecord, output: unknown): void {
    for (const piece of splitStreamItem(output)) {
      const item = { output: piece };
      job.stream.push(item);
      job.pending.push(item);
    }
    this.#notify(job);
  }

  /** The worker holding `job` reported its end. */
  report(job: JobRecord, result: WorkerResult): void {
    const { status, ...fields } = result;
    this.#end(job, job.run, status, fields);
  }

  /** Applies lazy expiry: `policy.ttl` and the result retention (30 min after /run, 1 min after /runsync). */
  sweep(): void {
    const now = this.#options.clock.now();
    if (now < this.#nextExpiry) return;
    const resultTtl = this.#options.resultTtl;
    let next = Infinity;
    for (const job of this.#jobs.values()) {
      if (job.removed) continue;
      const resultExpiry = job.completedAt !== undefined && isTerminalStatus(job.status)
        ? job.completedAt + resultTtl[job.mode]
        : Infinity;
      if (now >= job.expiresAt) this.#remove(job, "ttl");
      else if (now >= resultExpiry) this.#remove(job, "expired");
      else next = Math.min(next, job.expiresAt, resultExpiry);
    }
    this.#nextExpiry = next;
  }

  /** Notes that a job may expire at `time`, so that `sweep()` looks then. */
  #expiresBy(time: number): void {
    if (time < this.#nextExpiry) this.#nextExpiry = time;
  }

  /** Cancels every running job and waits for the workers to return. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#jobs.values()) {
      if (job.status === "IN_PROGRESS" && !job.removed) this.cancel(job);
    }
    for (const set of [...this.#watchers.values()]) for (const fn of [...set]) fn();
    while (this.#runs.size > 0) await Promise.allSettled([...this.#runs]);
  }

  /** The status of a job as `/status` shows it. */
  view(job: JobRecord): Job {
    const answer: Job = { id: job.id, status: job.status };
    if (job.startedAt !== undefined) answer.delayTime = job.startedAt - job.queuedAt;
    if (job.startedAt !== undefined && job.completedAt !== undefined) {
      answer.executionTime = job.completedAt - job.startedAt;
    }
    if (job.output !== undefined) answer.output = job.output;
    if (job.error !== undefined) answer.error = job.error;
    if (job.workerId !== undefined) answer.workerId = job.workerId;
    if (job.retries > 0) answer.retries = job.retries;
    return answer;
  }

  /** The timing fields of the job, as `/cancel` answers them. */
  times(job: JobRecord): { delayTime?: number; executionTime?: number } {
    const { delayTime, executionTime } = this.view(job);
    return {
      ...(delayTime !== undefined ? { delayTime } : {}),
      ...(executionTime !== undefined ? { executionTime } : {}),
    };
  }

  #slotsOf(endpointId: string): (string | undefined)[] {
    let slots = this.#slots.get(endpointId);
    if (!slots) {
      const workers = this.#options.endpoints.get(endpointId)?.maxWorkers ?? 0;
      this.#slots.set(endpointId, slots = new Array(workers).fill(undefined));
    }
    return slots;
  }

  /** Grows or shrinks the endpoint's workers; a busy worker over the new count finishes its job first. */
  #resize(endpointId: string): void {
    const slots = this.#slots.get(endpointId);
    if (!slots) return;
    const workers = this.#options.endpoints.get(endpointId)?.maxWorkers ?? 0;
    while (slots.length < workers) slots.push(undefined);
    for (let i = slots.length - 1; i >= workers && slots.length > workers; i--) {
      if (slots[i] === undefined) slots.splice(i, 1);
    }
    this.#dispatch(endpointId);
  }

  /** The endpoint was deleted: its jobs are gone (running ones are stopped). */
  #dropEndpoint(endpointId: string): void {
    for (const job of this.#jobs.values()) {
      if (job.endpointId === endpointId && !job.removed) this.#remove(job, "deleted");
    }
    this.#slots.delete(endpointId);
    this.#queues.delete(endpointId);
  }

  #enqueued(job: JobRecord): void {
    let queue = this.#queues.get(job.endpointId);
    if (!queue) this.#queues.set(job.endpointId, queue = { entries: [], head: 0 });
    queue.entries.push({ job, seq: job.queueSeq });
    if (this.#options.queueDelay === 0 && this.#options.endpoints.isExternal(job.endpointId)) {
      this.#dispatch(job.endpointId); // a held take answers at once
      return;
    }
    this.#options.timers.set(() => this.#dispatch(job.endpointId), this.#options.queueDelay);
  }

  /** Gives free workers the oldest jobs that have waited `queueDelay`. */
  #dispatch(endpointId: string): void {
    if (this.#closed) return;
    if (this.#options.endpoints.isExternal(endpointId)) {
      const watchers = this.#queueWatchers.get(endpointId);
      if (watchers) { for (const fn of [...watchers]) fn(); }
      return;
    }
    this.sweep();
    const now = this.#options.clock.now();
    const slots = this.#slotsOf(endpointId);
    const workers = this.#options.endpoints.get(endpointId)?.maxWorkers ?? 0;
    // The endpoint's queue, oldest first, instead of a scan of every job.
    const queue = this.#queues.get(endpointId);
    if (!queue) return;
    const { entries } = queue;
    while (queue.head < entries.length) {
      const entry = entries[queue.head]!;
      if (!isQueued(entry)) {
        queue.head++; // started, cancelled, purged or requeued since
        continue;
      }
      // queuedAt grows along the queue: the first job not ready ends the walk.
      if (entry.job.queuedAt + this.#options.queueDelay > now) break;
      const slot = slots.indexOf(undefined);
      if (slot < 0 || slot >= workers) break;
      queue.head++;
      slots[slot] = entry.job.id;
      this.#start(entry.job, slot);
    }
    if (queue.head > 1024 && queue.head * 2 > entries.length) {
      entries.splice(0, queue.head);
      queue.head = 0;
    }
  }

  /**
   * Starts a run of `job` on `workerId`: IN_PROGRESS, its timeout and expiry
   * timers set; `held` when a worker process took it.
   */
  #begin(job: JobRecord, workerId: string, held = false): { run: number; signal: AbortSignal } {
    const { clock, timers } = this.#options;
    const now = clock.now();
    const run = ++job.run;
    const controller = new AbortController();
    job.status = "IN_PROGRESS";
    job.startedAt = now;
    job.workerId = workerId;
    if (held) job.heldBy = workerId;
    job.controller = controller;
    job.cancelTimers = [
      timers.set(
        () =>
          this.#end(
            job,
            run,
            "TIMED_OUT",
            {},
            new DOMException("The job timed out", "TimeoutError"),
          ),
        job.policy.executionTimeout,
      ),
      timers.set(() => this.#remove(job, "ttl"), job.expiresAt - now),
    ];
    this.#notify(job);
    return { run, signal: controller.signal };
  }

  #start(job: JobRecord, slot: number): void {
    const { clock, worker } = this.#options;
    const { run, signal } = this.#begin(job, `worker-${slot + 1}`);
    const current = () => job.run === run && job.status === "IN_PROGRESS" && !job.removed;
    const end = (result: WorkerResult) => {
      const { status, ...fields } = result;
      this.#end(job, run, status, fields);
    };
    // runpod-python takes no job without `input` ("Job has missing field(s)"):
    // RunPod retries it once on a worker, then reports it failed.
    const running = job.inputMissing
      ? Promise.resolve().then(() => {
        if (current()) end({ status: "FAILED", error: MISSING_INPUT_ERROR });
      })
      : runWorker(
        worker,
        {
          id: job.id,
          input: job.input,
          signal,
          clock,
          sleep: (ms) => delay(ms, { clock, signal }),
          progress: (update) => {
            if (!current()) return;
            job.output = update;
            this.#notify(job);
          },
        },
        `worker-${slot + 1}`,
        this.#options.returnAggregateStream,
        {
          current,
          item: (output) => {
            const item = { output };
            job.stream.push(item);
            job.pending.push(item);
            this.#notify(job);
          },
          end,
        },
      );
    this.#runs.add(running);
    running.finally(() => this.#runs.delete(running));
  }

  #end(
    job: JobRecord,
    run: number,
    status: JobStatus,
    result: { output?: unknown; error?: unknown },
    abortReason?: unknown,
  ): void {
    if (job.run !== run || job.removed || isTerminalStatus(job.status)) return;
    const wasRunning = job.status === "IN_PROGRESS";
    job.status = status;
    job.completedAt = this.#options.clock.now();
    this.#expiresBy(job.completedAt + this.#options.resultTtl[job.mode]);
    if ("output" in result) job.output = result.output;
    else if (status !== "IN_PROGRESS") delete job.output;
    if ("error" in result) job.error = result.error;
    this.#stop(job, abortReason);
    this.#notify(job);
    if (!this.#closed) this.#options.onEnd(job);
    if (wasRunning) this.#dispatch(job.endpointId);
  }

  #remove(job: JobRecord, reason: RemovedReason): void {
    if (job.removed) return;
    const wasRunning = job.status === "IN_PROGRESS";
    job.removed = reason;
    this.#stop(job, new DOMException("The job expired", "AbortError"));
    this.#notify(job);
    if (wasRunning) this.#dispatch(job.endpointId);
  }

  /**
   * Frees the job's worker, clears its timers and aborts its signal. A
   * worker process holding it is told to stop, unless its own result ended
   * it (no `reason`).
   */
  #stop(job: JobRecord, reason: unknown): void {
    for (const cancel of job.cancelTimers) cancel();
    job.cancelTimers = [];
    const heldBy = job.heldBy;
    delete job.heldBy;
    if (heldBy !== undefined && reason !== undefined) this.#options.onStop(job, heldBy);
    const slots = this.#slots.get(job.endpointId);
    const slot = slots?.indexOf(job.id) ?? -1;
    if (slots && slot >= 0) slots[slot] = undefined;
    const controller = job.controller;
    delete job.controller;
    controller?.abort(reason);
  }

  #notify(job: JobRecord): void {
    const set = this.#watchers.get(job.id);
    if (set) { for (const fn of [...set]) fn(); }
  }
}

/** Whether a queue entry still stands for a queued job (not started, removed or requeued since). */
function isQueued(entry: { job: JobRecord; seq: number }): boolean {
  const { job, seq } = entry;
  return !job.removed && job.status === "IN_QUEUE" && job.queueSeq === seq;
}
