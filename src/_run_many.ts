// The engine of Endpoint.runMany: reads requests lazily, keeps at most
// `concurrency` jobs alive, submits each request exactly once, waits for each
// job, and hands the results over as they come. Loaded on runMany's first
// step (a dynamic import), so that an app that only runs jobs one by one does
// not carry it; its arguments are checked before, by checkMany in
// src/_validate.ts.
import type { RunManyOptions, RunManyResult } from "./run_many.ts";
import type { CallOptions, Job, JobHandle, RunRequest } from "./types.ts";
import type { Transport } from "./_http.ts";
import { WAIT_CALL, waitIn } from "./_poll.ts";
import { open, sendParsed } from "./_request.ts";
import { JOB_ROUTES } from "./_routes.ts";
import { CallScope } from "./_scope.ts";
import { checkId, named } from "./_validate.ts";

/** The default bound on jobs submitted and not final. */
const CONCURRENCY = 100;

/** The results of many requests, as they come (see {@linkcode Endpoint.runMany}). */
export async function* runMany<I, O>(
  t: Transport,
  endpointId: string,
  requests: Iterable<RunRequest<I>> | AsyncIterable<RunRequest<I>>,
  opts: RunManyOptions<O>,
): AsyncGenerator<RunManyResult<O>, void, undefined> {
  const concurrency = opts.concurrency ?? CONCURRENCY;
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) throw opts.signal.reason;
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const iterator = Symbol.asyncIterator in requests
    ? (requests as AsyncIterable<RunRequest<I>>)[Symbol.asyncIterator]()
    : (requests as Iterable<RunRequest<I>>)[Symbol.iterator]();
  const ready: RunManyResult<O>[] = [];
  const live = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  const notify = () => {
    const fn = wake;
    wake = undefined;
    fn?.();
  };
  stop.signal.addEventListener("abort", notify, { once: true });

  // Each job gets a signal of its own, all aborted by one listener on `stop`:
  // a thousand listeners on one signal would make Node warn of a leak.
  const jobStops = new Set<AbortController>();
  stop.signal.addEventListener("abort", () => {
    for (const jobStop of jobStops) jobStop.abort(stop.signal.reason);
  }, { once: true });

  const start = (request: RunRequest<I>, index: number) => {
    const jobStop = new AbortController();
    jobStops.add(jobStop);
    const running = (async () => {
      let id: string | undefined;
      try {
        const handle = await submit(t, endpointId, request, jobStop.signal, opts.maxRetries);
        id = handle.id;
        opts.onStatus?.(handle as Job<O>, index);
        // Waits on the /status engine itself: runMany's options were checked once, by
        // checkMany; the job's scope has its own signal and runMany's timeout from now.
        // Even after an abort: waiting with an aborted signal cancels the job if asked to.
        const what = WAIT_CALL.replace("{jobId}", named(id));
        checkId(what, "jobId", id); // the id came from the server
        const scope = new CallScope(t, opts.timeout, jobStop.signal, what);
        scope.jobId = id;
        const job = await waitIn(t, scope, endpointId, id, {
          cancelOnAbort: opts.cancelOnAbort,
          onStatus: opts.onStatus && ((job: Job<O>) => opts.onStatus!(job, index)),
          maxRetries: opts.maxRetries,
        });
        ready.push({ index, id, job });
      } catch (error) {
        if (stop.signal.aborted) return; // the generator throws the abort's reason
        ready.push(id === undefined ? { index, error } : { index, id, error });
      }
    })();
    live.add(running);
    running.finally(() => {
      live.delete(running);
      jobStops.delete(jobStop);
      notify();
    });
  };

  let index = 0;
  let exhausted = false;
  let pulling: Promise<void> | undefined;
  let readFailure: { error: unknown } | undefined;
  const take = (next: IteratorResult<RunRequest<I>>) => {
    if (next.done) exhausted = true;
    else if (!stop.signal.aborted) start(next.value, index++);
  };
  let finished = false;
  try {
    while (true) {
      // Read the next request only when a slot is free, one read at a time. A
      // result not handed over yet holds its slot: a slow reader slows the
      // submissions down, and memory stays within `concurrency` jobs.
      while (
        !exhausted && !pulling && !readFailure && !stop.signal.aborted &&
        live.size + ready.length < concurrency
      ) {
        const next = iterator.next();
        if (!isThenable(next)) {
          take(next);
          continue;
        }
        pulling = Promise.resolve(next).then(take, (error) => {
          readFailure = { error };
        }).finally(() => {
          pulling = undefined;
          notify();
        });
      }
      if (ready.length > 0) {
        yield ready.shift()!;
        continue;
      }
      if (readFailure) throw readFailure.error;
      if (stop.signal.aborted) {
        await pulling;
        await Promise.allSettled(live);
        throw stop.signal.reason;
      }
      if (exhausted && !pulling && live.size === 0) {
        finished = true;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    stop.signal.removeEventListener("abort", notify);
    if (!finished) {
      // Left early (break, a throw) or aborted: stop everything that is still going.
      if (!stop.signal.aborted) {
        stop.abort(new DOMException("runMany() was left before its end", "AbortError"));
      }
      await pulling;
      await Promise.allSettled(live);
      await iterator.return?.();
    }
  }
}

/**
 * `run()` for runMany: `turnSignal` ends only its wait for a pacing turn
 * (a request on the wire always gets its answer, so its job can be named),
 * and no local timeout (the pacing wait is bounded by runMany's concurrency;
 * each attempt still has its own answer limit).
 */
async function submit(
  t: Transport,
  endpointId: string,
  request: unknown,
  turnSignal: AbortSignal,
  maxRetries: number | undefined,
): Promise<JobHandle> {
  const params = { endpointId };
  const { scope, body } = open<CallOptions>(t, {
    call: JOB_ROUTES.run.call,
    params,
    body: request,
    route: () => JOB_ROUTES.run,
  });
  try {
    return await sendParsed(t, scope, JOB_ROUTES.run, { params, body, turnSignal, maxRetries });
  } finally {
    scope.dispose();
  }
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T>)?.then === "function";
}
