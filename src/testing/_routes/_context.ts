import type { Clock } from "../../clock.ts";
import type { JobRecord, JobTable } from "../_jobs.ts";
import type { EmulatorState } from "../_state.ts";
import type { Timers } from "../_timers.ts";
import type { RouteCall } from "./_dispatch.ts";

/** What a route handler gets. */
export interface RouteContext {
  /** The emulator's shared state (endpoints, limits, ...). */
  state: EmulatorState;
  request: Request;
  url: URL;
  endpointId: string;
  /** The job id of `/status/{id}` and the like. */
  jobId?: string;
  /** Aborts when the request is aborted or the emulator closes. */
  signal: AbortSignal;
  table: JobTable;
  clock: Clock;
  timers: Timers;
  /** The hold of an empty `/stream` poll without `wait`. */
  streamHold: number;
  /** Records the job a request created, for the request log. */
  setJobId(id: string): void;
}

/** The context of a call of a job or batch route of `endpointId` (and `jobId`, when the path has one). */
export function routeContext(
  state: EmulatorState,
  call: RouteCall,
  endpointId: string,
  jobId?: string,
): RouteContext {
  const context: RouteContext = {
    state,
    request: call.request,
    url: call.url,
    endpointId,
    signal: call.signal,
    table: state.table,
    clock: state.clock,
    timers: state.timers,
    streamHold: state.streamHold,
    setJobId: call.setJobId,
  };
  if (jobId !== undefined) context.jobId = jobId;
  return context;
}

/**
 * Holds until `ready()` (checked at each change of `job`), `ms` pass on the
 * clock, or the request is aborted, whichever comes first.
 */
export function hold(
  context: RouteContext,
  job: JobRecord,
  ms: number,
  ready: () => boolean,
): Promise<void> {
  const { signal, table, timers } = context;
  if (ready()) return Promise.resolve();
  return waitFor(signal, timers, ms, (wake) =>
    table.watch(job, () => {
      if (ready()) wake();
    }));
}

/**
 * Waits until `subscribe`'s wake is called, `ms` pass on the clock, or
 * `signal` aborts, whichever comes first.
 */
export function waitFor(
  signal: AbortSignal,
  timers: Timers,
  ms: number,
  subscribe: (wake: () => void) => () => void,
): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      unsubscribe();
      cancel();
      signal.removeEventListener("abort", done);
      resolve();
    };
    const unsubscribe = subscribe(done);
    const cancel = timers.set(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
