// The behaviour checks of the runtime matrix, written once on web standards
// only (fetch, AbortController, setTimeout) and run in every runtime the SDK
// supports: Deno, Node (import and require), Bun, Cloudflare Workers (workerd)
// and Chromium. Each runtime hands in the SDK module as its users import it.
//
// The emulator runs in another process, on loopback, with MATRIX_WORKER as its
// worker; faults are injected through its control route (see httpInject).
import type * as Sdk from "../../mod.ts";
import type OpenAIClient from "openai";

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
      "the management API: a create, a list and a log stream (SSE), through the lazily loaded REST code",
      async () => {
        // The emulator serves the management API beside the job API, under /rest/v2.
        const rest = sdk.default("test-key", {
          baseUrl: env.baseUrl,
          restUrl: env.baseUrl.replace(/\/v2$/, "/rest/v2"),
          timeout: 10_000,
        });
        const pod = await rest.pods.create({
          name: "matrix",
          image: "alpine:3",
          cpu: { id: "cpu3c", vcpuCount: 2 },
        });
        const pods = await rest.pods.list();
        assert(pods.some((p) => p.id === pod.id), `list gave ${show(pods.map((p) => p.id))}`);
        assert((rest.rateLimit?.windows.length ?? 0) > 0, `rateLimit is ${show(rest.rateLimit)}`);
        const lines: string[] = [];
        for await (const log of rest.pods.logs(pod.id, { tail: 10, idle: 500, timeout: 10_000 })) {
          assert(typeof log.line === "string" && typeof log.ts === "string", show(log));
          lines.push(log.line);
        }
        assert(lines.length > 0, "the log stream gave no line");
        await rest.pods.delete(pod.id);
      },
    ],
    ["runMany() yields every job once, with the index of its request", async () => {
      const requests = [10, 11, 12, 13, 14].map((echo) => ({ input: { echo } }));
      const seen: number[] = [];
      for await (const result of endpoint.runMany(requests, { concurrency: 2, timeout: 10_000 })) {
        assert(result.job?.status === "COMPLETED", `result ${show(result)}`);
        assert(result.job.output === 10 + result.index, `output is ${show(result.job.output)}`);
        seen.push(result.index);
      }
      assert(show(seen.sort()) === "[0,1,2,3,4]", `indices ${show(seen)}`);
    }],
    ["a Batch Jobs batch (beta) is created, finalized, waited for and read", async () => {
      const batches = endpoint.batches;
      const batch = await batches.create([{ input: { echo: "a" } }, { input: { echo: "b" } }]);
      assert(batch.status === "DRAFT", `status is ${batch.status}`);
      await batches.finalize(batch.id);
      const done = await batches.waitFor(batch.id, 10_000);
      assert(sdk.isBatchDone(done) && done.requestCompleted === 2, `batch is ${show(done)}`);
      const outputs: unknown[] = [];
      for await (const request of batches.requests(batch.id)) outputs.push(request.output);
      assert(show(outputs) === `["a","b"]`, `outputs ${show(outputs)}`);
    }],
  ];

  return await runEach(checks);
}

/** Runs checks one after another, each within CHECK_DEADLINE. */
async function runEach(checks: [string, () => Promise<void>][]): Promise<CheckResult[]> {
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
    return [{ name, ok: true, ms: Date.now() - started }, await fakeClockCheck(sdk, testing)];
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return [{ name, ok: false, ms: Date.now() - started, error: message }];
  }
}

/** What the matrix emulator's OpenAI worker replies (`openaiWorker({ reply: OPENAI_REPLY })`). */
export const OPENAI_REPLY = "Hello from the runtime matrix";

/** The `openai` package's client class, as `import OpenAI from "openai"` gives it. */
export type OpenAIClass = typeof OpenAIClient;

/** Reads a `text/event-stream` body to its end: the `data:` value of each event. */
async function readEvents(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text.split("\n\n").filter((event) => event.trim() !== "").map((event) =>
    event.split("\n").filter((line) => line.startsWith("data: ")).map((line) => line.slice(6))
      .join("\n")
  );
}

/**
 * Checks the endpoint's OpenAI-compatible routes on the emulator at
 * `env.baseUrl`, whose worker is `openaiWorker({ reply: OPENAI_REPLY })`:
 * with plain `fetch` and SSE parsing in every runtime, and with the `openai`
 * package where the runtime hands it in.
 *
 * @param sdk The SDK module under test (its `openaiBaseUrl` gives the base URL).
 * @param env Where the emulator is.
 * @param OpenAI The `openai` package's client class, when this runtime can load it.
 * @returns One result per check.
 */
export async function runOpenAIChecks(
  sdk: SdkModule,
  env: CheckEnv,
  OpenAI?: OpenAIClass,
): Promise<CheckResult[]> {
  const endpoint = sdk.default("test-key", { baseUrl: env.baseUrl })
    .endpoint(env.endpointId ?? "test-endpoint");
  const baseURL = endpoint.openaiBaseUrl;
  const chat = { model: "test-model", messages: [{ role: "user" as const, content: "Hi" }] };
  const checks: [string, () => Promise<void>][] = [
    ["fetch: a streamed chat completion arrives as SSE chunks, data: [DONE] last", async () => {
      const response = await fetch(`${baseURL}/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer test-key", "content-type": "application/json" },
        body: JSON.stringify({ ...chat, stream: true }),
      });
      assert(response.status === 200, `status is ${response.status}`);
      const type = response.headers.get("content-type");
      assert(type === "text/event-stream", `content-type is ${type}`);
      const events = await readEvents(response.body!);
      assert(events.at(-1) === "[DONE]", `the last event is ${show(events.at(-1))}`);
      const text = events.slice(0, -1)
        .map((data) => JSON.parse(data).choices[0]?.delta?.content ?? "").join("");
      assert(text === OPENAI_REPLY, `the stream said ${show(text)}`);
    }],
  ];
  if (OpenAI) {
    const openai = new OpenAI({
      apiKey: "test-key",
      baseURL,
      timeout: 10_000,
      maxRetries: 1,
      dangerouslyAllowBrowser: true, // the emulator's test key, on loopback
    });
    checks.push(
      ["openai package: chat.completions.create answers and models.list lists", async () => {
        const completion = await openai.chat.completions.create(chat);
        const content = completion.choices[0]?.message.content;
        assert(content === OPENAI_REPLY, `the reply is ${show(content)}`);
        const models = await openai.models.list();
        const ids = models.data.map((model) => model.id);
        assert(show(ids) === `["test-model"]`, `the models are ${show(ids)}`);
      }],
      ["openai package: a stream after a retried 429 yields the reply, then ends", async () => {
        await env.inject("POST /openai/v1/chat/completions", { status: 429, retryAfter: "0" });
        const stream = await openai.chat.completions.create({ ...chat, stream: true });
        let text = "";
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
        assert(text === OPENAI_REPLY, `the stream said ${show(text)}`);
      }],
      ["openai package: a wrong key rejects with AuthenticationError", async () => {
        const wrong = new OpenAI({ apiKey: "wrong-key", baseURL, dangerouslyAllowBrowser: true });
        const error = await rejection(wrong.chat.completions.create(chat));
        assert(error instanceof OpenAI.AuthenticationError, `rejected with ${show(String(error))}`);
      }],
    );
  }
  return await runEach(checks);
}

/** The FakeClock runs minutes of simulated time (its turns: MessageChannel messages) in moments. */
async function fakeClockCheck(sdk: SdkModule, testing: TestingModule): Promise<CheckResult> {
  const name = "the testing entry's FakeClock runs 100 five-minute jobs in simulated time";
  const started = Date.now();
  const clock = new testing.FakeClock();
  const emulator = testing.createEmulator({
    clock,
    workers: 100,
    worker: async (job) => {
      await job.sleep(300_000);
      return job.input;
    },
  });
  try {
    const endpoint = sdk.default("test-key", {
      baseUrl: emulator.baseUrl,
      fetch: emulator.fetch,
      clock,
    })
      .endpoint("test-endpoint");
    const start = clock.now();
    const jobs = await Promise.all(
      Array.from({ length: 100 }, (_, n) => endpoint.runSync({ input: n })),
    );
    assert(jobs.every((job, n) => job.output === n), `outputs ${show(jobs.slice(0, 2))}`);
    assert(clock.now() - start >= 300_000, `${clock.now() - start} ms of simulated time`);
    // Simulated time, not slept: a fifth of it at most in real time, a bound that a
    // busy machine keeps (100 jobs took 1 to 10 s at load averages of 1 to 10).
    const simulated = clock.now() - start;
    assert(
      Date.now() - started < simulated / 5,
      `took ${Date.now() - started} ms of real time for ${simulated} ms of simulated time`,
    );
    return { name, ok: true, ms: Date.now() - started };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { name, ok: false, ms: Date.now() - started, error: message };
  } finally {
    await emulator.close();
    clock.dispose();
  }
}

/** The Node adapter entry, as `import * as node from "@runpod/sdk/testing/node"` gives it. */
export type TestingNodeModule = typeof import("../../testing_node.ts");

/**
 * Checks `@runpod/sdk/testing/node` in this runtime (Node and Bun): the
 * emulator served with `serveNode` on loopback answers the SDK over real
 * HTTP, streams, and an injected `drop` fault destroys the connection.
 *
 * @param sdk The SDK module under test.
 * @param testing The testing module under test.
 * @param node The Node adapter module under test.
 * @returns One result.
 */
export async function runServeNodeChecks(
  sdk: SdkModule,
  testing: TestingModule,
  node: TestingNodeModule,
): Promise<CheckResult[]> {
  const name = "@runpod/sdk/testing/node serves the emulator over HTTP (runSync, stream, a drop)";
  const started = Date.now();
  try {
    const emulator = testing.createEmulator({
      returnAggregateStream: true,
      worker: async function* (job) {
        yield "a";
        await job.sleep(5);
        yield { echo: job.input };
      },
    });
    try {
      const server = await node.serveNode(emulator.handler);
      try {
        const endpoint = sdk.default("test-key", { baseUrl: `${server.url}/v2` })
          .endpoint("test-endpoint");
        const job = await endpoint.runSync({ input: "hi" }, 10_000);
        assert(job.status === "COMPLETED", `status is ${job.status}`);
        assert(show(job.output) === `["a",{"echo":"hi"}]`, `output is ${show(job.output)}`);
        const { id } = await endpoint.run({ input: "there" }, 10_000);
        const items: unknown[] = [];
        for await (const item of endpoint.stream(id, 10_000)) items.push(item.output);
        assert(show(items) === `["a",{"echo":"there"}]`, `streamed ${show(items)}`);
        // A POST: Bun's fetch resends a GET whose reused connection was reset.
        emulator.inject("POST /run", { drop: true });
        let dropped: unknown;
        try {
          await endpoint.run({ input: "lost" }, { timeout: 10_000, maxRetries: 0 });
        } catch (error) {
          dropped = error;
        }
        assert(
          dropped instanceof sdk.RunpodConnectionError,
          `a dropped /run gave ${show(String(dropped))}`,
        );
      } finally {
        await server.close();
      }
    } finally {
      await emulator.close();
    }
    return [{ name, ok: true, ms: Date.now() - started }];
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return [{ name, ok: false, ms: Date.now() - started, error: message }];
  }
}

/** The worker entry, as `import * as worker from "@runpod/sdk/worker"` gives it. */
export type WorkerModule = typeof import("../../worker.ts");

/**
 * Checks load-balancing endpoints in this runtime: the client through the
 * testing entry's in-memory emulator (a cold start, JSON, a streamed
 * answer), and, where the runtime can serve, `serve` of `@runpod/sdk/worker`
 * over loopback HTTP (health 204 then 200, the app, a drain), called through
 * the emulator pointed at its URL.
 *
 * @param sdk The SDK module under test.
 * @param testing The testing module under test.
 * @param worker The worker module, where this runtime serves HTTP (Deno, Node, Bun).
 * @returns One result per check.
 */
export async function runLoadBalancerChecks(
  sdk: SdkModule,
  testing: TestingModule,
  worker?: WorkerModule,
): Promise<CheckResult[]> {
  const checks: [string, () => Promise<void>][] = [
    [
      "loadBalancer: json through a cold start, then a streamed fetch, on the emulator",
      async () => {
        let healthChecks = 0;
        const emulator = testing.createEmulator({
          endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
          loadBalancer: {
            healthInterval: 10,
            handler: async (request) => {
              const path = new URL(request.url).pathname;
              if (path === "/ping") {
                return new Response(null, { status: ++healthChecks > 2 ? 200 : 204 });
              }
              if (path === "/stream") {
                return new Response("data: a\n\ndata: b\n\n", {
                  headers: { "content-type": "text/event-stream" },
                });
              }
              return Response.json({ echo: await request.json() });
            },
          },
        });
        try {
          const lb = sdk.default("test-key", { fetch: emulator.fetch }).loadBalancer("lb");
          const answer = await lb.json<{ echo: unknown }>("/generate", { prompt: "hi" }, {
            timeout: 10_000,
          });
          assert(show(answer) === `{"echo":{"prompt":"hi"}}`, `answer is ${show(answer)}`);
          assert(healthChecks === 3, `${healthChecks} health checks`);
          const response = await lb.fetch("/stream", { timeout: 10_000 });
          const events = await readEvents(response.body!);
          assert(show(events) === `["a","b"]`, `streamed ${show(events)}`);
        } finally {
          await emulator.close();
        }
      },
    ],
  ];
  if (worker) {
    checks.push([
      "@runpod/sdk/worker: serve answers health 204 then 200, the app, and drains",
      async () => {
        let ready = false;
        const server = await worker.serve(
          async (request) =>
            Response.json({ path: new URL(request.url).pathname, body: await request.text() }),
          { port: 0, hostname: "127.0.0.1", ready: () => ready, handleSignals: false },
        );
        const base = `http://127.0.0.1:${server.port}`;
        const emulator = testing.createEmulator({
          endpoints: [{ id: "lb", type: "LOAD_BALANCER" }],
          loadBalancer: { url: base, healthInterval: 10 },
        });
        try {
          const health = async () => {
            const answer = await fetch(`${base}/ping`);
            await answer.body?.cancel();
            return answer.status;
          };
          assert((await health()) === 204, "health before ready is not 204");
          ready = true;
          assert((await health()) === 200, "health once ready is not 200");
          const lb = sdk.default("test-key", { fetch: emulator.fetch }).loadBalancer("lb");
          const answer = await lb.json<{ path: string; body: string }>("/generate", { a: 1 }, {
            timeout: 10_000,
          });
          assert(
            answer.path === "/generate" && answer.body === `{"a":1}`,
            `answer ${show(answer)}`,
          );
        } finally {
          await emulator.close();
          await server.shutdown();
        }
        await server.finished;
      },
    ]);
  }
  const results: CheckResult[] = [];
  for (const [name, check] of checks) {
    const started = Date.now();
    try {
      await check();
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      results.push({ name, ok: false, ms: Date.now() - started, error: message });
    }
  }
  return results;
}

const WORKER_CHECK =
  "@runpod/sdk/worker: start() serves an external endpoint (a job, a stream, a stop)";

/**
 * Checks `start()` of `@runpod/sdk/worker` in this runtime (Deno, Node, Bun):
 * a worker on an in-process emulator's external endpoint (its `workerEnv`,
 * `emulator.fetch` as the worker's `fetch`) completes a job, streams a
 * generator's items, has a running job stopped by RunPod's stop channel (a
 * cancel aborts its `ctx.signal`), and drains on `stop()`.
 *
 * @param sdk The SDK module under test.
 * @param testing The testing module under test.
 * @param worker The worker module under test.
 * @returns One result.
 */
export async function runWorkerChecks(
  sdk: SdkModule,
  testing: TestingModule,
  worker: WorkerModule,
): Promise<CheckResult[]> {
  const started = Date.now();
  try {
    const emulator = testing.createEmulator({ endpoints: [{ id: "ext", external: true }] });
    try {
      let running!: () => void;
      const isRunning = new Promise<void>((resolve) => running = resolve);
      let aborted: unknown;
      const handle = worker.start({
        env: emulator.workerEnv("ext", { workerId: "matrix-worker" }),
        fetch: emulator.fetch,
        args: [],
        handleSignals: false,
        logger: { log: () => {} },
        concurrency: 2,
        handler(job, ctx) {
          const input = job.input as { name?: string; stream?: number; wait?: boolean };
          if (input.stream) {
            const count = input.stream;
            return (async function* () {
              for (let i = 1; i <= count; i++) yield `item ${i}`;
            })();
          }
          if (input.wait) {
            running();
            return new Promise((_resolve, reject) =>
              ctx.signal.addEventListener("abort", () => {
                aborted = ctx.signal.reason;
                reject(ctx.signal.reason);
              }, { once: true })
            );
          }
          return { text: `hello ${input.name}` };
        },
      });
      const endpoint = sdk.default("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
        .endpoint("ext");
      const job = await endpoint.runSync({ input: { name: "Ada" } }, 10_000);
      assert(job.status === "COMPLETED", `status is ${job.status}`);
      assert(show(job.output) === `{"text":"hello Ada"}`, `output is ${show(job.output)}`);
      assert(job.workerId === "matrix-worker", `workerId is ${job.workerId}`);
      const { id } = await endpoint.run({ input: { stream: 3 } }, 10_000);
      const items: unknown[] = [];
      for await (const item of endpoint.stream(id, 10_000)) items.push(item.output);
      assert(show(items) === `["item 1","item 2","item 3"]`, `streamed ${show(items)}`);
      const waiting = await endpoint.run({ input: { wait: true } }, 10_000);
      await isRunning;
      const cancelled = await endpoint.cancel(waiting.id, 10_000);
      assert(cancelled.status === "CANCELLED", `cancel gave ${cancelled.status}`);
      await handle.stop();
      assert(aborted !== undefined, "the stop channel did not abort the running job's ctx.signal");
      const after = await endpoint.status(waiting.id, 10_000);
      assert(after.status === "CANCELLED", `the stopped job is ${after.status}`);
    } finally {
      await emulator.close();
    }
    return [{ name: WORKER_CHECK, ok: true, ms: Date.now() - started }];
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return [{ name: WORKER_CHECK, ok: false, ms: Date.now() - started, error: message }];
  }
}

/**
 * The worker check's line where `start()` does not apply: a worker is a
 * process (environment, signals, a loop that outlives a request), which a
 * Cloudflare Worker or a browser page is not.
 *
 * @param runtime "workerd" or "Chromium".
 * @returns One result, passed, that says it was skipped and why.
 */
export function skippedWorkerChecks(runtime: string): CheckResult[] {
  return [{
    name:
      `${WORKER_CHECK}: skipped in ${runtime}, where a worker process cannot run (no process environment, no signals, no loop outliving a request)`,
    ok: true,
    ms: 0,
  }];
}
