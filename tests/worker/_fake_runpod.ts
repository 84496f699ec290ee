// A small fake of RunPod's side of the worker protocol, as an in-process
// `fetch`: a job queue served by held takes (single and batch), a stop
// channel, result / stream / progress posts and pings, every request recorded,
// and faults injected per route.
import type { WorkerJob } from "../../worker.ts";
import { FakeClock } from "../../testing.ts";
import type { StartOptions, WorkerHandle } from "../../worker.ts";
import { start } from "../../worker.ts";

/** One request the worker sent. */
export interface Recorded {
  at: number;
  route: Route;
  method: string;
  url: string;
  query: URLSearchParams;
  headers: Headers;
  body: string | undefined;
}

export type Route = "take" | "take-batch" | "stop" | "done" | "stream" | "ping";

/**
 * What a fault does to one request: answer this instead; "drop" fails it
 * before the server sees it; "lose-answer" lets the server act, then fails
 * the answer; "hold" never answers (until aborted).
 */
export type Fault = Response | "drop" | "lose-answer" | "hold";

export const ENV = {
  RUNPOD_WEBHOOK_GET_JOB: "http://runpod.test/v2/ep/job-take/$ID?gpu=NVIDIA+L4",
  RUNPOD_WEBHOOK_POST_OUTPUT: "http://runpod.test/v2/ep/job-done/$RUNPOD_POD_ID/$ID?gpu=NVIDIA+L4",
  RUNPOD_WEBHOOK_POST_STREAM:
    "http://runpod.test/v2/ep/job-stream/$RUNPOD_POD_ID/$ID?gpu=NVIDIA+L4",
  RUNPOD_WEBHOOK_PING: "http://runpod.test/v2/ep/ping/$RUNPOD_POD_ID?gpu=NVIDIA+L4",
  RUNPOD_POD_ID: "worker-1",
  RUNPOD_AI_API_KEY: "worker-secret-key",
  RUNPOD_PING_INTERVAL: "10000",
};

interface Waiter {
  count: number;
  resolve: (jobs: WorkerJob[]) => void;
}

export class FakeRunpod {
  readonly clock: FakeClock;
  readonly requests: Recorded[] = [];
  /** Final result bodies per job, parsed (every delivery, so duplicates show). */
  readonly finals = new Map<string, unknown[]>();
  /** Whether each final was posted with isStream=true. */
  readonly finalIsStream = new Map<string, boolean>();
  readonly streamed = new Map<string, unknown[]>();
  readonly progress = new Map<string, unknown[]>();
  /** Jobs handed out, by id. */
  readonly taken = new Set<string>();
  /** Jobs the fake told the worker to stop. */
  readonly stopped = new Set<string>();
  #queue: WorkerJob[] = [];
  #takers: Waiter[] = [];
  #stops: string[] = [];
  #stopWaiter: ((ids: string[]) => void) | undefined;
  #faults = new Map<Route, Fault[]>();
  #finalWaiters = new Map<string, (() => void)[]>();

  constructor(clock = new FakeClock({ autoAdvance: false })) {
    this.clock = clock;
  }

  /** Queues jobs; a held take gets them at once. */
  push(...jobs: WorkerJob[]): void {
    this.#queue.push(...jobs);
    this.#serveTakers();
  }

  /** The number of jobs still queued. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Tells the worker (over the stop channel) to stop these jobs. */
  stop(...ids: string[]): void {
    for (const id of ids) this.stopped.add(id);
    this.#stops.push(...ids);
    this.#serveStops();
  }

  /** Makes the next requests of `route` fail as `faults` say, in order. */
  inject(route: Route, ...faults: Fault[]): void {
    this.#faults.set(route, [...(this.#faults.get(route) ?? []), ...faults]);
  }

  /** Resolves once the job has a final result. */
  final(id: string): Promise<unknown> {
    const have = this.finals.get(id);
    if (have) return Promise.resolve(have[0]);
    return new Promise((resolve) => {
      const list = this.#finalWaiters.get(id) ?? [];
      list.push(() => resolve(this.finals.get(id)![0]));
      this.#finalWaiters.set(id, list);
    });
  }

  /** Requests of one route. */
  of(route: Route): Recorded[] {
    return this.requests.filter((r) => r.route === route);
  }

  fetch: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const parsed = new URL(url);
    const route = routeOf(parsed.pathname);
    const signal = init?.signal ?? undefined;
    const body = typeof init?.body === "string" ? init.body : undefined;
    const record: Recorded = {
      at: this.clock.now(),
      route,
      method: init?.method ?? "GET",
      url,
      query: parsed.searchParams,
      headers: new Headers(init?.headers),
      body,
    };
    this.requests.push(record);
    const fault = this.#faults.get(route)?.shift();
    if (fault instanceof Response) return fault;
    if (fault === "drop") throw new TypeError("fetch failed: connection reset");
    if (fault === "hold") return await held(signal);
    const answer = await this.#answer(route, parsed, body, signal);
    if (fault === "lose-answer") throw new TypeError("fetch failed: connection reset");
    return answer;
  };

  async #answer(
    route: Route,
    url: URL,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    switch (route) {
      case "take":
      case "take-batch": {
        const count = route === "take" ? 1 : Number(url.searchParams.get("batch_size"));
        const jobs = await this.#take(count, signal);
        for (const job of jobs) this.taken.add(job.id);
        return Response.json(route === "take" ? jobs[0] : jobs);
      }
      case "stop": {
        const ids = await this.#takeStops(signal);
        return Response.json({ jobsToStop: ids });
      }
      case "done": {
        const id = decodeURIComponent(url.pathname.split("/").pop()!);
        const value = JSON.parse(body!);
        if (value.status === "IN_PROGRESS") {
          this.#push(this.progress, id, value.output);
        } else {
          this.#push(this.finals, id, value);
          this.finalIsStream.set(id, url.searchParams.get("isStream") === "true");
          for (const wake of this.#finalWaiters.get(id) ?? []) wake();
          this.#finalWaiters.delete(id);
        }
        return new Response(null, { status: 200 });
      }
      case "stream": {
        const id = decodeURIComponent(url.pathname.split("/").pop()!);
        this.#push(this.streamed, id, JSON.parse(body!).output);
        return new Response(null, { status: 200 });
      }
      case "ping":
        return new Response(null, { status: 200 });
    }
  }

  #push(map: Map<string, unknown[]>, id: string, value: unknown) {
    map.set(id, [...(map.get(id) ?? []), value]);
  }

  #take(count: number, signal: AbortSignal | undefined): Promise<WorkerJob[]> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.splice(0, count));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve: (jobs) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(jobs);
        },
      };
      const onAbort = () => {
        this.#takers = this.#takers.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#takers.push(waiter);
    });
  }

  #serveTakers() {
    while (this.#queue.length > 0 && this.#takers.length > 0) {
      const waiter = this.#takers.shift()!;
      waiter.resolve(this.#queue.splice(0, waiter.count));
    }
  }

  #takeStops(signal: AbortSignal | undefined): Promise<string[]> {
    if (this.#stops.length > 0) return Promise.resolve(this.#stops.splice(0));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#stopWaiter = undefined;
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#stopWaiter = (ids) => {
        signal?.removeEventListener("abort", onAbort);
        this.#stopWaiter = undefined;
        resolve(ids);
      };
    });
  }

  #serveStops() {
    if (this.#stopWaiter && this.#stops.length > 0) this.#stopWaiter(this.#stops.splice(0));
  }
}

function routeOf(path: string): Route {
  if (path.includes("/job-take-batch/")) return "take-batch";
  if (path.includes("/job-take/")) return "take";
  if (path.includes("/job-stop/")) return "stop";
  if (path.includes("/job-done/")) return "done";
  if (path.includes("/job-stream/")) return "stream";
  if (path.includes("/ping/")) return "ping";
  throw new Error(`unexpected path ${path}`);
}

function held(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    if (signal?.aborted) reject(signal.reason);
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** A log line the worker wrote. */
export interface Line {
  level: string;
  message: string;
  jobId: string | undefined;
}

/** A worker started on `fake` with everything injected. */
export interface TestWorker extends AsyncDisposable {
  handle: WorkerHandle;
  lines: Line[];
  exits: number[];
}

/** Starts a worker against `fake`; disposing of it stops it. */
export function startOn(
  fake: FakeRunpod,
  options: Partial<StartOptions> & Pick<StartOptions, "handler">,
  env: Record<string, string | undefined> = {},
): TestWorker {
  const lines: Line[] = [];
  const exits: number[] = [];
  const handle = start({
    env: { ...ENV, ...env },
    args: [],
    fetch: fake.fetch,
    clock: fake.clock,
    handleSignals: false,
    logger: { log: (level, message, jobId) => void lines.push({ level, message, jobId }) },
    exit: (code) => void exits.push(code),
    ...options,
  });
  return {
    handle,
    lines,
    exits,
    async [Symbol.asyncDispose]() {
      // A test that failed half-way may leave a handler waiting forever: give up after 2 s.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        handle.abort(),
        new Promise((resolve) => (timer = setTimeout(resolve, 2000))),
      ]);
      clearTimeout(timer);
      fake.clock.dispose();
    },
  };
}

/** Lets everything that is not waiting on the fake clock run (two real macrotask turns). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Advances the fake clock by `step` until `done()` holds (at most `limit` ms of fake time). */
export async function advanceUntil(
  clock: FakeClock,
  done: () => boolean,
  step = 100,
  limit = 3_600_000,
): Promise<void> {
  for (let moved = 0; !done(); moved += step) {
    if (moved > limit) throw new Error(`not done after ${limit} ms of fake time`);
    await settle();
    if (!done()) await clock.advance(step);
  }
}

/** A promise and its resolver. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
