// A client and emulator (from tests/_helpers/setup.ts) instrumented for the
// reliability suite: every request the client sends is logged with its
// origin, Authorization header and clock times; the client's own timers and
// its listeners on the caller's signal are counted; and the test's fetch can
// make an answer's body arrive late (which the emulator cannot).
import type { Clock } from "../../mod.ts";
import type { EmulatorOptions } from "../../testing.ts";
import { type Setup, setup } from "./setup.ts";

export interface SentRequest {
  method: string;
  url: URL;
  /** The route as the emulator names it, such as "GET /status". */
  route: string;
  authorization: string | null;
  /** Clock time when the client called fetch. */
  start: number;
  /** Clock time when fetch resolved or rejected. */
  end?: number;
  /** Whether the test's fetch made this answer's body slow. */
  slowBody?: boolean;
}

export interface Harness<I, O> extends Setup<I, O> {
  /** Every request the client sent, in order. */
  log: SentRequest[];
  /** How many of the client's timers are pending on the clock. */
  liveTimers(): number;
  /** Makes the next `times` answers of `route` send their head at once and their body `ms` later. */
  slowBody(route: string, ms: number, times?: number): void;
}

/** The route of a request, named as the emulator names it. */
export function routeOf(method: string, url: URL): string {
  const name = /^\/v2\/[^/]+\/([^/?]+)/.exec(url.pathname)?.[1] ?? url.pathname;
  return `${method} /${name}`;
}

export function harness<I = unknown, O = unknown>(
  emulatorOptions: Omit<EmulatorOptions, "clock"> = {},
  maxRetries?: number,
): Harness<I, O> {
  // The client is made inside setup(); its fetch and clock reach the emulator
  // and the fake clock through `t`, which is set before any call is made.
  // deno-lint-ignore prefer-const
  let t!: Setup<I, O>;
  const log: SentRequest[] = [];
  const live = new Set<object>();
  const slow: { route: string; ms: number; remaining: number }[] = [];
  const clock: Clock = {
    now: () => t.clock.now(),
    setTimer(fn, ms) {
      const token = {};
      live.add(token);
      const cancel = t.clock.setTimer(() => {
        live.delete(token);
        fn();
      }, ms);
      return () => {
        live.delete(token);
        cancel();
      };
    },
  };
  const fetch = async (input: Request | URL | string, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const entry: SentRequest = {
      method: request.method,
      url,
      route: routeOf(request.method, url),
      authorization: request.headers.get("authorization"),
      start: t.clock.now(),
    };
    log.push(entry);
    try {
      const response = await t.emulator.fetch(request);
      const rule = slow.find((r) => r.route === entry.route && r.remaining > 0);
      if (!rule) return response;
      rule.remaining--;
      entry.slowBody = true;
      return delayBody(response, rule.ms, t.clock, request.signal);
    } finally {
      entry.end = t.clock.now();
    }
  };
  // No pacing: the matrix checks each route's retries and their pauses alone
  // (pacing would hold a third /purge-queue for RunPod's 10 s window; it has
  // its own tests in tests/_pacer_test.ts).
  t = setup<I, O>(emulatorOptions, { fetch, clock, maxRetries, pacing: false });
  return Object.assign(t, {
    log,
    liveTimers: () => live.size,
    slowBody(route: string, ms: number, times = 1) {
      slow.push({ route, ms, remaining: times });
    },
  });
}

/**
 * The same answer, with its body held back `ms` on the clock. Like a real
 * fetch, the body errors when the request's signal aborts.
 */
function delayBody(response: Response, ms: number, clock: Clock, signal: AbortSignal): Response {
  let cancelTimer = () => {};
  let onAbort = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        cancelTimer();
        controller.error(signal.reason);
        response.body?.cancel().catch(() => {});
      };
      signal.addEventListener("abort", onAbort, { once: true });
      cancelTimer = clock.setTimer(async () => {
        signal.removeEventListener("abort", onAbort);
        const bytes = new Uint8Array(await response.arrayBuffer());
        controller.enqueue(bytes);
        controller.close();
      }, ms);
    },
    cancel() {
      cancelTimer();
      signal.removeEventListener("abort", onAbort);
      return response.body?.cancel();
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

/** An AbortSignal that counts the listeners added to it and not yet removed. */
export function countingSignal(): { signal: AbortSignal; listeners(): number } {
  const { signal } = new AbortController();
  let count = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<AbortSignal["addEventListener"]>) => {
    count++;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<AbortSignal["removeEventListener"]>) => {
    count--;
    remove(...args);
  };
  return { signal, listeners: () => count };
}

/** Settles `promise` or fails after `ms` of real time: a call that never settles fails the test. */
export async function bounded<T>(
  promise: Promise<T>,
  what: string,
  ms = 5_000,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([
      promise.then((value) => ({ ok: true as const, value }), (error) => ({
        ok: false as const,
        error,
      })),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every string view of a value a program might log or send somewhere. */
export function views(value: unknown): string[] {
  const out = [String(value), Deno.inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) out.push(value.stack ?? "", value.message);
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // not serializable: the other views cover it
  }
  return out;
}

/**
 * The worker of the matrix: `{items: n}` yields 1..n one a second;
 * `{fail: true}` fails; `{sleep: ms}` runs that long; anything else is echoed.
 */
export function matrixWorker(
  job: { input: unknown; sleep(ms: number): Promise<void> },
): unknown {
  const input = (job.input ?? {}) as { items?: number; fail?: boolean; sleep?: number };
  if (input.items) {
    return (async function* () {
      for (let i = 1; i <= input.items!; i++) {
        await job.sleep(1000);
        yield i;
      }
    })();
  }
  if (input.fail) throw new Error("the worker failed");
  if (input.sleep) return job.sleep(input.sleep).then(() => "slept");
  return job.input;
}
