// The behaviour checks of the runtime matrix, written once on web standards
// only (fetch, AbortController, setTimeout) and run in every runtime the SDK
// supports: Deno, Node (import and require), Bun, Cloudflare Workers (workerd)
// and Chromium. Each runtime hands in the SDK module as its users import it.
//
// The emulator runs in another process, on loopback, with MATRIX_WORKER as its
// worker; faults are injected through its control route (see httpInject).
import type * as Sdk from "../../mod.ts";

/** The SDK module, as `import * as sdk from "@runpod/sdk"` gives it. */
export type SdkModule = typeof Sdk;

/** Where the emulator is, and how to make its next answers fail. */
export interface CheckEnv {
  /** The emulator's base URL, such as `http://127.0.0.1:4000/v2`. */
  baseUrl: string;
  /** Makes the emulator answer the next request on `route` with `fault`. */
  inject(route: string, fault: Record<string, unknown>): Promise<void>;
  /** The endpoint id to call. */
  endpointId?: string;
}

/** The outcome of one check. */
export interface CheckResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

/** The longest a single check may take before it counts as failed, in ms. */
const CHECK_DEADLINE = 15_000;

/**
 * The worker the emulator runs for these checks: `{ echo }` answers with the
 * value, `{ stream: n }` yields `item 1` .. `item n`, `{ sleep: ms }` sleeps.
 */
export function matrixWorker(job: {
  input: unknown;
  sleep(ms: number): Promise<void>;
}): unknown {
  const input = (job.input ?? {}) as { echo?: unknown; stream?: number; sleep?: number };
  if (typeof input.stream === "number") {
    const count = input.stream;
    return (async function* () {
      for (let i = 1; i <= count; i++) {
        await job.sleep(20);
        yield `item ${i}`;
      }
    })();
  }
  if (typeof input.sleep === "number") return job.sleep(input.sleep).then(() => "slept");
  return input.echo;
}

/**
 * An `inject` that posts to the emulator server's control route.
 *
 * @param controlUrl Such as `http://127.0.0.1:4000/__control`.
 */
export function httpInject(controlUrl: string): CheckEnv["inject"] {
  return async (route, fault) => {
    const response = await fetch(`${controlUrl}/inject`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ route, fault }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Cannot inject a fault: HTTP ${response.status}: ${text}`);
  };
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected a rejection, but the call resolved");
}

/**
 * Runs every check against the emulator at `env.baseUrl`, one after another.
 *
 * @param sdk The SDK module under test.
 * @param env Where the emulator is.
 * @returns One result per check.
 */
export async function runChecks(sdk: SdkModule, env: CheckEnv): Promise<CheckResult[]> {
  const runpod = sdk.default("test-key", { baseUrl: env.baseUrl, timeout: 10_000 });
  const endpoint = runpod.endpoint<Record<string, unknown>, unknown>(
    env.endpointId ?? "test-endpoint",
  );

  const checks: [string, () => Promise<void>][] = [
    ["runSync() resolves with the COMPLETED job and its output", async () => {
      const job = await endpoint.runSync({ input: { echo: { prompt: "a horse" } } }, 10_000);
      assert(job.status === "COMPLETED", `status is ${job.status}`);
      assert(show(job.output) === `{"prompt":"a horse"}`, `output is ${show(job.output)}`);
    }],
    ["run() queues a job that status() reads and waitFor() sees COMPLETED", async () => {
      const handle = await endpoint.run({ input: { echo: 42 } }, 10_000);
      assert(typeof handle.id === "string" && handle.id.length > 0, `id is ${show(handle.id)}`);
      const now = await endpoint.status(handle.id, 10_000);
      assert(now.id === handle.id, `status() answered for ${now.id}`);
      const done = await endpoint.waitFor(handle.id, 10_000);
      assert(done.status === "COMPLETED", `status is ${done.status}`);
      assert(done.output === 42, `output is ${show(done.output)}`);
    }],
    ["stream() yields each item once, in order, then ends", async () => {
      const { id } = await endpoint.run({ input: { stream: 3 } }, 10_000);
      const outputs: unknown[] = [];
      for await (const item of endpoint.stream(id, 10_000)) outputs.push(item.output);
      assert(
        show(outputs) === `["item 1","item 2","item 3"]`,
        `stream gave ${show(outputs)}`,
      );
    }],
    ["cancel() cancels a running job", async () => {
      const { id } = await endpoint.run({ input: { sleep: 60_000 } }, 10_000);
      const cancelled = await endpoint.cancel(id, 10_000);
      assert(cancelled.status === "CANCELLED", `cancel() answered ${cancelled.status}`);
      const job = await endpoint.status(id, 10_000);
      assert(job.status === "CANCELLED", `status() answered ${job.status}`);
    }],
    ["health() reads the job and worker counts", async () => {
      const health = await endpoint.health(10_000);
      assert(typeof health.jobs.completed === "number", `health is ${show(health)}`);
      assert(health.jobs.completed >= 2, `completed is ${health.jobs.completed}`);
      assert(typeof health.workers.idle === "number", `workers are ${show(health.workers)}`);
    }],
    ["runSync() rejects with TimeoutError when the job outlives the timeout", async () => {
      const started = Date.now();
      const error = await rejection(
        endpoint.runSync({ input: { sleep: 60_000 } }, { timeout: 300, cancelOnAbort: true }),
      );
      const took = Date.now() - started;
      assert(error instanceof sdk.TimeoutError, `rejected with ${show(String(error))}`);
      assert(error instanceof sdk.RunpodError, "a TimeoutError is a RunpodError");
      assert(error.timeout === 300, `timeout is ${error.timeout}`);
      assert(took < 5_000, `took ${took} ms`);
    }],
    ["waitFor() rejects with the signal's reason when aborted", async () => {
      const { id } = await endpoint.run({ input: { sleep: 60_000 } }, 10_000);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 100);
      try {
        const error = await rejection(
          endpoint.waitFor(id, { signal: controller.signal, cancelOnAbort: true }),
        );
        assert(
          error instanceof Error && error.name === "AbortError",
          `rejected with ${show(String(error))}`,
        );
      } finally {
        clearTimeout(timer);
      }
      await endpoint.cancel(id, 10_000);
    }],
    ["run() retries a 429 and then succeeds", async () => {
      await env.inject("POST /run", { status: 429, retryAfter: "0" });
      const handle = await endpoint.run({ input: { echo: "after 429" } }, 10_000);
      assert(handle.status === "IN_QUEUE", `status is ${handle.status}`);
      const job = await endpoint.waitFor(handle.id, 10_000);
      assert(job.output === "after 429", `output is ${show(job.output)}`);
    }],
    ["a 429 with maxRetries 0 rejects with RunpodApiError", async () => {
      await env.inject("POST /run", { status: 429, retryAfter: "0" });
      const error = await rejection(endpoint.run({ input: {} }, { maxRetries: 0 }));
      assert(error instanceof sdk.RunpodApiError, `rejected with ${show(String(error))}`);
      assert(error.status === 429, `status is ${error.status}`);
    }],
    ["an API error rejects with a typed RunpodApiError", async () => {
      await env.inject("POST /runsync", {
        status: 400,
        body: JSON.stringify({ error: "input is invalid" }),
      });
      const error = await rejection(endpoint.runSync({ input: {} }, 10_000));
      assert(error instanceof sdk.RunpodApiError, `rejected with ${show(String(error))}`);
      assert(error instanceof sdk.RunpodError, "a RunpodApiError is a RunpodError");
      assert(error.status === 400, `status is ${error.status}`);
      assert(
        show(error.body).includes("input is invalid"),
        `body is ${show(error.body)}`,
      );
      assert(error.route === "POST /runsync", `route is ${error.route}`);
      assert(!String(error.message).includes("test-key"), "the message holds the API key");
    }],
    [
      "the management API: a list and a log stream (SSE), through the lazily loaded REST code",
      async () => {
        // A stand-in for RunPod's REST v2 in this runtime (web standards only), until the
        // management emulator serves it on loopback.
        const encoder = new TextEncoder();
        const restFetch = (input: Request | URL | string) => {
          const url = new URL(String(input));
          if (url.pathname === "/v2/serverless") {
            return Promise.resolve(
              Response.json({ endpoints: [{ id: "ep1", name: "matrix" }] }, {
                headers: { RateLimit: '"minute";r=59;t=60' },
              }),
            );
          }
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              for (const [id, line] of [["01", "booting"], ["02", "ready"]]) {
                const data = JSON.stringify({
                  source: "container",
                  line,
                  ts: `2026-06-01T12:00:${id}Z`,
                });
                controller.enqueue(encoder.encode(`id: ${id}\ndata: ${data}\n\n`));
              }
              controller.close();
            },
          });
          return Promise.resolve(
            new Response(body, { headers: { "content-type": "text/event-stream" } }),
          );
        };
        const rest = sdk.default("test-key", {
          fetch: restFetch,
          restUrl: "https://rest.invalid/v2",
        });
        const endpoints = await rest.endpoints.list(10_000);
        assert(show(endpoints.map((e) => e.id)) === `["ep1"]`, `list gave ${show(endpoints)}`);
        assert(
          rest.rateLimit?.windows[0]?.remaining === 59,
          `rateLimit is ${show(rest.rateLimit)}`,
        );
        const lines: string[] = [];
        for await (const log of rest.endpoints.logs("ep1", "w1", { timeout: 10_000 })) {
          lines.push(log.line);
        }
        assert(show(lines) === `["booting","ready"]`, `logs gave ${show(lines)}`);
      },
    ],
  ];

  const results: CheckResult[] = [];
  for (const [name, check] of checks) {
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${CHECK_DEADLINE} ms`)),
            CHECK_DEADLINE,
          );
        }),
      ]);
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      results.push({ name, ok: false, ms: Date.now() - started, error: message });
    } finally {
      clearTimeout(timer);
    }
  }
  return results;
}

/**
 * Prints one line per check and the closing count line, such as
 * `node-import: 10 passed, 0 failed`.
 *
 * @param runtime The runtime's name.
 * @param results What runChecks returned.
 * @param log Where to print.
 * @returns Whether every check passed.
 */
export function printResults(
  runtime: string,
  results: CheckResult[],
  log: (line: string) => void = console.log,
): boolean {
  for (const r of results) {
    log(
      `${r.ok ? "ok  " : "FAIL"} [${runtime}] ${r.name} (${r.ms} ms)${r.ok ? "" : `: ${r.error}`}`,
    );
  }
  const failed = results.filter((r) => !r.ok).length;
  log(`${runtime}: ${results.length - failed} passed, ${failed} failed`);
  return failed === 0 && results.length > 0;
}

/** The testing entry, as `import * as testing from "@runpod/sdk/testing"` gives it. */
export type TestingModule = typeof import("../../testing.ts");

/**
 * Checks the `@runpod/sdk/testing` entry in this runtime: an in-memory
 * emulator answering the SDK through `emulator.fetch`, then closed.
 *
 * @param sdk The SDK module under test.
 * @param testing The testing module under test.
 * @returns One result.
 */
export async function runTestingChecks(
  sdk: SdkModule,
  testing: TestingModule,
): Promise<CheckResult[]> {
  const name = "the testing entry's in-memory emulator answers runSync()";
  const started = Date.now();
  try {
    const emulator = testing.createEmulator({ worker: (job) => ({ echo: job.input }) });
    try {
      const endpoint = sdk.default("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
        .endpoint("test-endpoint");
      const job = await endpoint.runSync({ input: "hi" }, 10_000);
      assert(job.status === "COMPLETED", `status is ${job.status}`);
      assert(show(job.output) === `{"echo":"hi"}`, `output is ${show(job.output)}`);
      assert(emulator.jobs.length === 1, `the emulator has ${emulator.jobs.length} jobs`);
    } finally {
      await emulator.close();
    }
    return [{ name, ok: true, ms: Date.now() - started }];
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return [{ name, ok: false, ms: Date.now() - started, error: message }];
  }
}
