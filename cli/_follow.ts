// Following a job: waiting for its end or printing its stream, with the live
// status line on a terminal, status notes elsewhere, and what happens on
// Ctrl-C, SIGTERM and --timeout (the job this command submitted is cancelled,
// unless --no-cancel-on-exit).
import {
  type Endpoint,
  type EndpointHealth,
  type Job,
  JobError,
  parseWorkerError,
  TimeoutError,
} from "../mod.ts";
import type { ListEndpointWorkersResponse } from "../rest.ts";
import type { Context } from "./_context.ts";
import { EXIT, exitForStatus } from "./_exit.ts";
import { formatDuration } from "./_output.ts";
import { describeHealth, queueHint, StatusLine } from "./_status_line.ts";

/** How often the status line reads `/health`, in ms. */
const HEALTH_EVERY = 2_000;

/** How to follow a job. */
export interface FollowOptions {
  /** This command submitted (or requeued) the job: stopping early cancels it. */
  submitted: boolean;
  /** Local timeout in ms: what is left of --timeout. */
  timeout: number | undefined;
  /** The --timeout given, in ms, for messages. */
  limit?: number | undefined;
}

/** Waits for a job to end, prints it, and resolves with the exit code. */
export async function waitJob(
  ctx: Context,
  endpoint: Endpoint,
  jobId: string,
  options: FollowOptions,
): Promise<number> {
  const { printer } = ctx;
  const ref = `${endpoint.id}/${jobId}`;
  const started = Date.now();
  let last: Job | undefined;
  const watch = new HealthWatch(ctx, endpoint, () => last?.status === "IN_QUEUE");
  const line = printer.live
    ? new StatusLine(printer, () => {
      const status = last?.status ?? "SUBMITTED";
      const parts = [
        printer.status(printer.stderr, status),
        formatDuration(Date.now() - started),
      ];
      if (watch.health) parts.push(describeHealth(watch.health));
      const hint = status === "IN_QUEUE" && watch.health
        ? queueHint(
          watch.health,
          watch.workers && { endpointId: endpoint.id, list: watch.workers.workers },
        )
        : undefined;
      if (hint) parts.push(printer.paint(printer.stderr, "yellow", hint));
      else if (last?.status === "IN_PROGRESS" && typeof last.output === "string") {
        parts.push(printer.paint(printer.stderr, "dim", last.output));
      }
      return parts.join(" · ");
    })
    : undefined;
  try {
    const job = await endpoint.waitFor(jobId, {
      signal: ctx.stop.signal,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      onStatus: (job) => {
        if (!line && job.status !== last?.status && !isEnd(job.status)) {
          printer.note(`${ref} ${job.status}`);
        }
        last = job;
      },
    });
    line?.stop();
    return reportJob(ctx, ref, job, Date.now() - started);
  } catch (error) {
    line?.stop();
    return await stopped(ctx, endpoint, jobId, options, error, Date.now() - started);
  } finally {
    line?.stop();
    await watch.stop();
  }
}

/** Prints a job's stream items as they come, one a line; resolves with the exit code. */
export async function streamJob(
  ctx: Context,
  endpoint: Endpoint,
  jobId: string,
  options: FollowOptions,
): Promise<number> {
  const { printer } = ctx;
  const ref = `${endpoint.id}/${jobId}`;
  const started = Date.now();
  let count = 0;
  const watch = new HealthWatch(ctx, endpoint, () => false);
  const line = printer.live
    ? new StatusLine(printer, () => {
      const parts = [
        printer.paint(printer.stderr, "blue", "STREAMING"),
        `${count} item${count === 1 ? "" : "s"}`,
        formatDuration(Date.now() - started),
      ];
      if (watch.health) parts.push(describeHealth(watch.health));
      return parts.join(" · ");
    })
    : undefined;
  try {
    for await (
      const item of endpoint.stream(jobId, {
        signal: ctx.stop.signal,
        ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      })
    ) {
      count++;
      if (printer.json) printer.printJsonLine(item);
      else {printer.data(
          typeof item.output === "string" ? item.output : JSON.stringify(item.output) ?? "null",
        );}
    }
    line?.stop();
    printer.note(
      `${ref} ${printer.status(printer.stderr, "COMPLETED")}: ${count} item${
        count === 1 ? "" : "s"
      } in ${formatDuration(Date.now() - started)}`,
    );
    return EXIT.ok;
  } catch (error) {
    line?.stop();
    if (error instanceof JobError) {
      printer.err(`Job ${ref} ended ${error.status}${detail(error.error)}`);
      return exitForStatus(error.status);
    }
    return await stopped(ctx, endpoint, jobId, options, error, Date.now() - started);
  } finally {
    line?.stop();
    await watch.stop();
  }
}

/** A finished job: its output (or the whole job with --json), a summary, the exit code. */
export function reportJob(ctx: Context, ref: string, job: Job, elapsed?: number): number {
  const { printer } = ctx;
  if (printer.json) printer.printJson(job);
  else printer.printValue(job.output);
  const times = [
    elapsed === undefined ? undefined : `waited ${formatDuration(elapsed)}`,
    typeof job.delayTime === "number" ? `queued ${formatDuration(job.delayTime)}` : undefined,
    typeof job.executionTime === "number" ? `ran ${formatDuration(job.executionTime)}` : undefined,
  ].filter(Boolean).join(", ");
  const summary = `${ref} ${printer.status(printer.stderr, job.status)}${
    times ? ` (${times})` : ""
  }`;
  if (job.status === "COMPLETED") printer.note(summary);
  else printer.err(`${summary}${detail(job.error)}`);
  return exitForStatus(job.status);
}

/** Exception classes whose name says nothing the message does not: JavaScript's and Python's base. */
const GENERIC_TYPES = new Set(["Error", "Exception"]);

/**
 * A job's error for people: a worker's report as `Type: message`, with the
 * bare class name `parseWorkerError` reads (`ValueError`, not Python's
 * `<class 'ValueError'>`), or the message alone when the class is the generic
 * `Error` or `Exception`; any other error as given.
 */
export function detail(error: unknown): string {
  if (error === undefined || error === null || error === "") return "";
  const report = parseWorkerError(error);
  if (report?.error_message !== undefined) {
    const type = report.type !== undefined && !GENERIC_TYPES.has(report.type)
      ? `${report.type}: `
      : "";
    return `: ${type}${report.error_message}`;
  }
  return `: ${typeof error === "string" ? error : JSON.stringify(error)}`;
}

function isEnd(status: string): boolean {
  return ["COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"].includes(status);
}

/**
 * The wait ended early: Ctrl-C, SIGTERM or the local timeout. The job this
 * command submitted is cancelled (unless --no-cancel-on-exit); another is left
 * alone, and the message says how to go on. Other errors are thrown on.
 */
async function stopped(
  ctx: Context,
  endpoint: Endpoint,
  jobId: string,
  options: FollowOptions,
  error: unknown,
  elapsed: number,
): Promise<number> {
  const { printer } = ctx;
  const ref = `${endpoint.id}/${jobId}`;
  let why: string;
  let code: number;
  if (ctx.stop.stopped) {
    why = `Interrupted by ${ctx.stop.what}`;
    code = ctx.stop.code;
  } else if (error instanceof TimeoutError) {
    why = `Gave up after ${
      formatDuration(options.limit ?? options.timeout ?? elapsed)
    } (--timeout)`;
    code = EXIT.timeout;
  } else {
    throw error;
  }
  if (options.submitted && ctx.values["no-cancel-on-exit"] !== true) {
    printer.err(`${why}: cancelling job ${ref} (pass --no-cancel-on-exit to keep it running)`);
    await cancelJob(ctx, endpoint, jobId);
  } else {
    printer.err(
      `${why}: job ${ref} keeps running ('runpod wait ${ref}' waits again, 'runpod cancel ${ref}' cancels it)`,
    );
  }
  return code;
}

/** Cancels a job after a stop, and says how that went. */
export async function cancelJob(ctx: Context, endpoint: Endpoint, jobId: string): Promise<void> {
  const ref = `${endpoint.id}/${jobId}`;
  try {
    const handle = await endpoint.cancel(jobId, { timeout: 10_000 });
    ctx.printer.err(`Job ${ref} cancelled: ${handle.status}`);
  } catch (error) {
    ctx.printer.err(
      `Could not cancel job ${ref} (${(error as Error).message}): run 'runpod cancel ${ref}'`,
    );
  }
}

/**
 * Reads `/health` every 2 s for the status line, on a terminal only; and,
 * while `wantWorkers()` (the job is IN_QUEUE), the endpoint's workers from
 * the management API, to tell a crash loop from busy workers. A key without
 * access to the management API just leaves the workers out.
 */
class HealthWatch {
  health: EndpointHealth | undefined;
  workers: ListEndpointWorkersResponse | undefined;
  #controller = new AbortController();
  #running: Promise<void> | undefined;
  #noWorkers = false;

  constructor(ctx: Context, endpoint: Endpoint, wantWorkers: () => boolean) {
    if (ctx.printer.live) this.#running = this.#loop(ctx, endpoint, wantWorkers);
  }

  async #loop(ctx: Context, endpoint: Endpoint, wantWorkers: () => boolean): Promise<void> {
    const signal = this.#controller.signal;
    while (!signal.aborted) {
      const options = { signal, timeout: 5_000, maxRetries: 0 };
      try {
        this.health = await endpoint.health(options);
        if (wantWorkers() && !this.#noWorkers) {
          const { runpod } = await ctx.client();
          this.workers = await runpod.endpoints.workers(endpoint.id, options).catch((error) => {
            if (signal.aborted) throw error;
            this.#noWorkers = true; // no management access: /health alone will do
            ctx.printer.debug(`workers: ${(error as Error).message}`);
            return undefined;
          });
        }
      } catch (error) {
        if (signal.aborted) return;
        ctx.printer.debug(`health: ${(error as Error).message}`);
      }
      await new Promise<void>((done) => {
        const timer = setTimeout(done, HEALTH_EVERY);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          done();
        }, { once: true });
      });
    }
  }

  async stop(): Promise<void> {
    this.#controller.abort();
    await this.#running;
  }
}
