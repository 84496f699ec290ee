// The /status engine: runSync (a held /runsync, or /run when the deadline is
// too near, then polling) and waitFor (polling). Polls pause 250 ms, then
// 1.5 times longer each time, up to 3 s: 250, 375, 563, 844, 1266, 1898,
// 2848, 3000, 3000... ms.
import { delay } from "./delay.ts";
import { isTerminalStatus } from "./is_terminal_status.ts";
import type { Transport } from "./_http.ts";
import { cancelAfterAbort } from "./_cancel_after_abort.ts";
import { open, sendParsed } from "./_request.ts";
import { WAIT_KEYS } from "./_validate.ts";
import { JOB_ROUTES, type RouteDef } from "./_routes.ts";
import { RUNSYNC_HOLD, WAIT_RANGE } from "./_runpod_facts.ts";
import type { CallScope } from "./_scope.ts";
import type { Job, WaitOptions } from "./types.ts";

/** The first pause between two `/status` polls, in ms. */
export const POLL_FIRST = 250;
/** The longest pause between two polls, in ms. */
export const POLL_MAX = 3_000;
/** The least time left after a server-side wait for its answer to arrive, in ms. */
const WAIT_MARGIN = 500;

/**
 * The server-side wait (`?wait=`) to ask for with `remaining` ms left: at most
 * `max`, within RunPod's range, and a margin short of the local deadline so
 * that the answer (with the job id) arrives before it.
 */
export function serverWait(remaining: number, max: number): number {
  if (remaining === Infinity) return max;
  const margin = Math.max(WAIT_MARGIN, remaining * 0.1);
  return Math.round(Math.min(max, Math.max(WAIT_RANGE.min, remaining - margin)));
}

/** How `waitFor` is named in errors. */
export const WAIT_CALL = "wait for job {jobId}";

/**
 * The route `runSync` submits with, given its options: a held `/runsync`
 * when its answer can come before the deadline; otherwise (or with
 * `cancelOnAbort` and a signal) `/run`, so that the job id is known from the
 * first moment: a TimeoutError can then name the job and an abort cancel it.
 */
export function submitRoute(
  opts: Pick<WaitOptions, "timeout" | "cancelOnAbort" | "signal">,
): RouteDef<unknown> {
  const timeout = opts.timeout ?? Infinity;
  return serverWait(timeout, RUNSYNC_HOLD) <= timeout - WAIT_MARGIN &&
      !(opts.cancelOnAbort && opts.signal)
    ? JOB_ROUTES.runsync
    : JOB_ROUTES.run;
}

/**
 * `Endpoint.runSync`: checks the arguments, submits the job (to the route
 * `submitRoute` picks, once: its `maxBody` bounds the body) and waits for its
 * end.
 */
export async function runSync<O>(
  t: Transport,
  endpointId: string,
  request: unknown,
  options: unknown,
): Promise<Job<O>> {
  const { opts, scope, body, route } = open<WaitOptions<O>>(t, {
    call: JOB_ROUTES.runsync.call,
    params: { endpointId },
    options,
    body: request,
    route: submitRoute,
    known: WAIT_KEYS,
  });
  // A held /runsync asks the server to wait for as long as the time left allows.
  const wait = route === JOB_ROUTES.runsync
    ? serverWait(scope.remaining(), RUNSYNC_HOLD)
    : undefined;
  try {
    const job = await sendParsed(t, scope, route!, {
      params: { endpointId },
      body,
      query: { wait },
      serverWait: wait,
      maxRetries: opts.maxRetries,
    }) as Job<O>;
    scope.jobId = job.id;
    opts.onStatus?.(job);
    if (wait !== undefined && isTerminalStatus(job.status)) return job;
    return await poll(t, scope, endpointId, job.id, opts, job);
  } catch (error) {
    await cancelAfterAbort(t, scope, endpointId, opts);
    throw error;
  } finally {
    scope.dispose();
  }
}

/** `Endpoint.waitFor`: checks the arguments, then waits for the job to end. */
export async function waitFor<O>(
  t: Transport,
  endpointId: string,
  jobId: string,
  options: unknown,
): Promise<Job<O>> {
  const { opts, scope } = open<WaitOptions<O>>(t, {
    call: WAIT_CALL,
    params: { jobId },
    options,
    known: WAIT_KEYS,
  });
  return await waitIn(t, scope, endpointId, jobId, opts);
}

/**
 * Waits for a job to end within `scope`, polling `/status`; cancels it after
 * an abort if asked to; disposes of `scope` at the end.
 */
export async function waitIn<O>(
  t: Transport,
  scope: CallScope,
  endpointId: string,
  jobId: string,
  opts: WaitOptions<O>,
): Promise<Job<O>> {
  try {
    return await poll(t, scope, endpointId, jobId, opts, undefined);
  } catch (error) {
    await cancelAfterAbort(t, scope, endpointId, opts);
    throw error;
  } finally {
    scope.dispose();
  }
}

/** Polls `/status` until the job is final, calling `onStatus` on every change. */
async function poll<O>(
  t: Transport,
  scope: CallScope,
  endpointId: string,
  jobId: string,
  opts: WaitOptions<O>,
  last: Job<O> | undefined,
): Promise<Job<O>> {
  const params = { endpointId, jobId };
  let pause = POLL_FIRST;
  let seen = last && fingerprint(last);
  if (last) {
    await delay(pause, { signal: scope.signal, clock: t.clock });
    pause = nextPause(pause);
  }
  while (true) {
    const job = await sendParsed(t, scope, JOB_ROUTES.status, {
      params,
      maxRetries: opts.maxRetries,
    }) as Job<O>;
    const print = fingerprint(job);
    if (print !== seen) {
      seen = print;
      opts.onStatus?.(job);
    }
    if (isTerminalStatus(job.status)) return job;
    await delay(pause, { signal: scope.signal, clock: t.clock });
    pause = nextPause(pause);
  }
}

function nextPause(pause: number): number {
  return Math.min(Math.round(pause * 1.5), POLL_MAX);
}

function fingerprint(job: Job<unknown>): string {
  let output: string;
  try {
    output = JSON.stringify(job.output) ?? "";
  } catch {
    output = String(job.output);
  }
  return `${job.status}\u0000${output}`;
}
