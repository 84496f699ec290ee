// One request to RunPod: a clock-driven timeout, an outer abort, the whole
// answer read (so no body is left open), and every way it can fail as a value.
import type { Clock } from "../clock.ts";

/** How one request ended. */
export type Sent =
  | { kind: "answer"; status: number; headers: Headers; text: string }
  /** No (whole) answer: a network error, a cut-off body, or the timeout. */
  | { kind: "lost"; reason: string; timedOut: boolean }
  /** The caller's signal aborted it. */
  | { kind: "aborted" };

/** What {@linkcode send} needs. */
export interface SendContext {
  fetch: typeof fetch;
  clock: Clock;
  key: string | undefined;
}

/** Sends one request; never rejects. */
export async function send(
  ctx: SendContext,
  url: string,
  init: { method: "GET" | "POST"; body?: string; headers?: Record<string, string> },
  timeout: number,
  signal?: AbortSignal,
): Promise<Sent> {
  if (signal?.aborted) return { kind: "aborted" };
  const controller = new AbortController();
  let timedOut = false;
  const cancelTimer = ctx.clock.setTimer(() => {
    timedOut = true;
    controller.abort(new Error("timed out"));
  }, timeout);
  // The caller's abort stops a request only until its answer's headers are in: a take whose job
  // is already on its way is read to the end (its job is then run), not thrown away.
  let answered = false;
  const onAbort = () => {
    if (!answered) controller.abort(signal?.reason);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const headers: Record<string, string> = { ...init.headers };
  if (ctx.key !== undefined) headers.authorization = ctx.key;
  try {
    const response = await ctx.fetch(url, {
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: controller.signal,
      redirect: "manual",
    }).then((response) => {
      answered = true;
      return response;
    });
    const text = await response.text();
    return { kind: "answer", status: response.status, headers: response.headers, text };
  } catch (error) {
    if (signal?.aborted && !timedOut && !answered) return { kind: "aborted" };
    return {
      kind: "lost",
      reason: timedOut ? `no answer in ${timeout} ms` : errorText(error),
      timedOut,
    };
  } finally {
    cancelTimer();
    signal?.removeEventListener("abort", onAbort);
  }
}

/** A short description of a thrown value, for log lines. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
