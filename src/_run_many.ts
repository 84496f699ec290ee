// The engine of Endpoint.runMany: reads requests lazily, keeps at most
// `concurrency` jobs alive, submits each request exactly once, waits for each
// job, and hands the results over as they come.
import type { RunManyOptions, RunManyResult } from "./run_many.ts";
import type { Job, JobHandle, RunRequest, WaitOptions } from "./types.ts";
import { callOptions } from "./_validate.ts";

/** The default bound on jobs submitted and not final. */
const CONCURRENCY = 100;

/** What the engine needs from its endpoint. */
export interface ManyDeps<I, O> {
  /** Submits one request (`/run`); `turnSignal` ends only its wait for a pacing turn. */
  submit(request: RunRequest<I>, turnSignal: AbortSignal): Promise<JobHandle>;
  /** Waits for a submitted job to end. */
  wait(id: string, options: WaitOptions<O>): Promise<Job<O>>;
}

/** Checks runMany's arguments; throws before anything is sent. */
export function checkMany<I, O>(
  what: string,
  requests: unknown,
  options: unknown,
): { requests: Iterable<RunRequest<I>> | AsyncIterable<RunRequest<I>>; opts: RunManyOptions<O> } {
  const iterable = requests !== null && typeof requests === "object" &&
    (Symbol.asyncIterator in requests || Symbol.iterator in requests);
  if (!iterable) {
    throw new TypeError(
      `Cannot ${what}: requests must be an array, an iterable or an async iterable of requests`,
    );
  }
  const opts = callOptions<RunManyOptions<O> & { signal?: AbortSignal }>(what, options ?? {});
  const { concurrency } = opts;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(
      `Cannot ${what}: concurrency must be a positive integer, received ${concurrency}`,
    );
  }
  return {
    requests: requests as Iterable<RunRequest<I>> | AsyncIterable<RunRequest<I>>,
    opts,
  };
}

/** The results of many requests, as they come (see {@linkcode Endpoint.runMany}). */
export async function* runMany<I, O>(
  deps: ManyDeps<I, O>,
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
        const handle = await deps.submit(request, jobStop.signal);
        id = handle.id;
        opts.onStatus?.(handle as Job<O>, index);
        // Even after an abort: waiting with an aborted signal cancels the job if asked to.
        const job = await deps.wait(id, {
          signal: jobStop.signal,
          cancelOnAbort: opts.cancelOnAbort ?? false,
          ...(opts.onStatus ? { onStatus: (job: Job<O>) => opts.onStatus?.(job, index) } : {}),
          ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
          ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
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

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T>)?.then === "function";
}
