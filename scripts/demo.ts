// The README's examples, run for real: against the local emulator served on
// a loopback port (the default), or against RunPod when RUNPOD_API_KEY and
// ENDPOINT_ID are set.
//
//   deno task demo
//   deno task demo --deploy     with RUNPOD_API_KEY and DEPLOY_IMAGE (a RunPod worker image):
//                               step 11 creates a template and an endpoint on RunPod (paid
//                               resources), runs a job, scales it, reads its workers, deletes
//                               both. Without --deploy, step 11 runs on the emulator only.
//                               Step 12 starts a worker process (scripts/demo_worker.ts) on the
//                               emulator; it is skipped on RunPod.
//                               Step 13 (load balancing) runs on the emulator; on RunPod it waits
//                               for LB_ENDPOINT_ID's health path when that is set.
import OpenAI from "openai";
import runpodSdk, { isTerminalStatus, type Job, TimeoutError } from "../mod.ts";
import { createEmulator, type OpenAIJobInput, openaiWorker, type WorkerJob } from "../testing.ts";
import { workerHandler } from "../worker.ts";

const started = performance.now();
function log(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(2).padStart(6);
  console.log(`[${seconds}s] ${message}`);
}

type DemoInput = { prompt?: string; photos?: number; seconds?: number } & Partial<OpenAIJobInput>;

/** What a vLLM worker would answer on the OpenAI-compatible routes, a word every 80 ms. */
const chatWorker = openaiWorker({
  reply: "A horse is a large, strong animal with a flowing mane.",
  model: "demo-model",
  chunkDelay: 80,
});

/**
 * A load-balancing worker's server, as `serve` of @runpod/sdk/worker would run it: its model
 * loads 1.5 s after its first health check (the health path answers 204, then 200); /generate
 * answers JSON, /stream Server-Sent Events, a word every 80 ms.
 */
let modelLoaded = false;
let loading = false;
const lbWorker = workerHandler(async (request) => {
  const { prompt = "" } = await request.json().catch(() => ({}));
  const words = `A load-balanced answer to ${prompt}`.split(" ");
  if (new URL(request.url).pathname !== "/stream") return Response.json({ text: words.join(" ") });
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      async start(controller) {
        for (const word of words) {
          controller.enqueue(encoder.encode(`data: ${word}\n\n`));
          await new Promise((resolve) => setTimeout(resolve, 80));
        }
        controller.close();
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
}, { ready: () => modelLoaded });
function lbHandler(request: Request): Promise<Response> {
  if (!loading) {
    loading = true;
    setTimeout(() => (modelLoaded = true), 1500);
  }
  return lbWorker.fetch(request);
}

/** The demo worker: what a RunPod worker for these examples would do. */
function demoWorker(job: WorkerJob<DemoInput>) {
  if (job.input?.openai_route) return chatWorker(job as WorkerJob<OpenAIJobInput>);
  return job.input?.photos ? horsePhotos(job, job.input.photos) : render(job);
}

async function* horsePhotos(job: WorkerJob<DemoInput>, count: number) {
  for (let i = 1; i <= count; i++) {
    await job.sleep(250);
    yield { photo: i, caption: `horse photo ${i} of ${count}` };
  }
}

async function render(job: WorkerJob<DemoInput>) {
  const { prompt = "", seconds = 0.4 } = job.input ?? {};
  job.progress("warming up");
  await job.sleep(seconds * 500);
  job.progress("halfway");
  await job.sleep(seconds * 500);
  return { image: `a picture of ${prompt}`, seed: 42 };
}

const apiKey = Deno.env.get("RUNPOD_API_KEY");
const endpointId = Deno.env.get("ENDPOINT_ID");
const real = Boolean(apiKey && endpointId);

let server: Deno.HttpServer | undefined;
let emulator: ReturnType<typeof createEmulator> | undefined;
let baseUrl: string | undefined;
if (!real) {
  emulator = createEmulator({
    apiKey: "demo-key",
    endpoints: ["demo"],
    workers: 2,
    worker: demoWorker,
    // Load-balancing endpoints (step 12): a 1 s container start, then the worker's own health.
    loadBalancer: { handler: lbHandler, coldStart: 1000, healthInterval: 250 },
  });
  server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  baseUrl = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/v2`;
  log(
    `Talking to the local emulator at ${baseUrl} (set RUNPOD_API_KEY and ENDPOINT_ID to use RunPod)`,
  );
} else {
  log(`Talking to RunPod, endpoint ${endpointId}`);
}

const runpod = runpodSdk(real ? apiKey! : "demo-key", baseUrl ? { baseUrl } : {});
const endpoint = runpod.endpoint(real ? endpointId! : "demo");
const showStatus = (job: Job) =>
  log(
    `  status ${job.status}${
      job.output === undefined ? "" : ` output ${JSON.stringify(job.output)}`
    }`,
  );

try {
  log("1. runSync: submit a job and wait for its result (timeout 5000 ms)");
  const job = await endpoint.runSync({ input: { prompt: "a horse" } }, {
    timeout: 5000,
    onStatus: showStatus,
  });
  log(`  -> ${job.status} in ${job.executionTime} ms of execution: ${JSON.stringify(job.output)}`);

  log("2. run, then status, then waitFor");
  const { id, status } = await endpoint.run({ input: { prompt: "a zebra", seconds: 1 } });
  log(`  run -> ${id} ${status}`);
  log(`  status -> ${(await endpoint.status(id)).status}`);
  const done = await endpoint.waitFor(id, { timeout: 10_000, onStatus: showStatus });
  log(`  waitFor -> ${done.status}`);

  log("3. stream: a worker that yields seven horse photos, one by one");
  const photos = await endpoint.run({ input: { photos: 7 } });
  for await (const item of endpoint.stream(photos.id, 10_000)) {
    log(`  streamed ${JSON.stringify(item.output)}`);
  }

  log("4. cancel a long job");
  const long = await endpoint.run({ input: { prompt: "a slow horse", seconds: 60 } });
  const cancelled = await endpoint.cancel(long.id, 3000);
  log(`  cancel -> ${cancelled.status}`);

  log("5. health");
  const health = await endpoint.health(3000);
  log(`  jobs ${JSON.stringify(health.jobs)}`);
  log(`  workers ${JSON.stringify(health.workers)}`);

  log("6. a local timeout: runSync with timeout 3000 ms on a 10 s job (cancelOnAbort)");
  try {
    await endpoint.runSync({ input: { prompt: "a patient horse", seconds: 10 } }, {
      timeout: 3000,
      cancelOnAbort: true,
    });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    log(`  -> ${error.name}: ${error.message}`);
    const after = await endpoint.status(error.jobId!);
    log(`  the job was cancelled so nobody pays for it: ${after.status}`);
  }

  log("7. policy.executionTimeout: 5000 ms on an 8 s job");
  const timedOut = await endpoint.runSync({
    input: { prompt: "an endless horse", seconds: 8 },
    policy: { executionTimeout: 5000 },
  }, 15_000);
  log(`  -> ${timedOut.status}${isTerminalStatus(timedOut.status) ? " (terminal)" : ""}`);

  log("8. OpenAI-compatible routes: the openai package at endpoint.openaiBaseUrl, streaming");
  const model = real ? Deno.env.get("OPENAI_MODEL") : "demo-model";
  if (!model) {
    log("  skipped: set OPENAI_MODEL to the model your vLLM endpoint serves");
  } else {
    const openai = new OpenAI({
      apiKey: real ? apiKey! : "demo-key",
      baseURL: endpoint.openaiBaseUrl,
    });
    log(`  models.list -> ${(await openai.models.list()).data.map((m) => m.id).join(", ")}`);
    const stream = await openai.chat.completions.create({
      model,
      messages: [{ role: "user", content: "Describe a horse in one sentence." }],
      stream: true,
    });
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content;
      if (content) log(`  streamed ${JSON.stringify(content)}`);
    }
  }

  log("9. runMany: 12 jobs, at most 4 alive at once, each yielded as it ends");
  const animals = ["horse", "zebra", "donkey", "pony"];
  const requests = Array.from({ length: 12 }, (_, i) => ({
    input: { prompt: `${animals[i % 4]} ${i}`, seconds: 0.2 },
  }));
  const order: number[] = [];
  for await (const result of endpoint.runMany(requests, { concurrency: 4, timeout: 30_000 })) {
    order.push(result.index);
    if (!result.job) log(`  request ${result.index} failed: ${result.error}`);
  }
  log(`  12 jobs ended, in this order of their requests: ${order.join(", ")}`);

  log("10. Batch Jobs (beta): a batch of 3, finalized, waited for, read back");
  const batch = await endpoint.batches.create(
    ["a horse", "a zebra", "a pony"].map((prompt) => ({ input: { prompt, seconds: 0.2 } })),
  );
  log(`  create -> ${batch.id} ${batch.status}, ${batch.requestTotal} requests`);
  await endpoint.batches.finalize(batch.id);
  const finished = await endpoint.batches.waitFor(batch.id, 30_000);
  log(`  waitFor -> ${finished.requestCompleted} completed, ${finished.requestFailed} failed`);
  for await (const request of endpoint.batches.requests(batch.id)) {
    log(`  request ${request.index}: ${request.status} ${JSON.stringify(request.output)}`);
  }

  await deploy();
  await workerProcess();
  await loadBalancing();
  log("Done.");
} finally {
  await server?.shutdown();
  await emulator?.close();
}

/**
 * 11. The management API: create a template, an endpoint from it, run a job
 * on it, scale it, read its workers, delete both. On the emulator by default;
 * on RunPod only with --deploy, since it creates paid resources.
 */
async function deploy(): Promise<void> {
  const onRunpod = Deno.args.includes("--deploy");
  const image = onRunpod ? Deno.env.get("DEPLOY_IMAGE") : "demo/worker:1";
  if (onRunpod && (!apiKey || !image)) {
    log("11. deploy: --deploy needs RUNPOD_API_KEY and DEPLOY_IMAGE (a RunPod worker image)");
    return;
  }
  if (!onRunpod && real) {
    log("11. deploy: skipped on RunPod (it creates paid resources): pass --deploy to run it");
    return;
  }
  const emulatorRestUrl = (emulator as { restUrl?: string } | undefined)?.restUrl;
  if (!onRunpod && (emulatorRestUrl === undefined || baseUrl === undefined)) {
    log("11. deploy: skipped: this emulator does not serve the management API");
    return;
  }
  const manager = onRunpod ? runpodSdk(apiKey!) : runpodSdk("demo-key", {
    baseUrl,
    // The emulator's management API, on the same loopback server as its job API.
    restUrl: new URL(new URL(emulatorRestUrl!).pathname, baseUrl).href,
  });
  log(`11. deploy on ${onRunpod ? "RunPod (paid resources)" : "the emulator"}: ${manager.restUrl}`);
  const name = `sdk-demo-${Date.now().toString(36)}`;
  const template = await manager.templates.create({ name, image: image!, serverless: true });
  log(`  template ${template.id} (${template.image})`);
  const created = await manager.endpoints.create({
    name,
    type: "QUEUE",
    templateId: template.id,
    gpu: { pools: ["ADA_24"] },
    workers: { min: 0, max: 1 },
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
  });
  try {
    log(`  endpoint ${created.id}: workers max ${created.workers.max}`);
    const job = await manager.endpoint(created).runSync({ input: { prompt: "a deployed horse" } }, {
      timeout: onRunpod ? 600_000 : 10_000,
    });
    log(`  runSync -> ${job.status} ${JSON.stringify(job.output)}`);
    const scaled = await manager.endpoints.update(created.id, { workers: { max: 3 } });
    log(`  scaled: workers max ${scaled.workers.max}`);
    const { workers, summary } = await manager.endpoints.workers(created.id);
    log(`  workers ${workers.map((w) => `${w.id} ${w.status}`).join(", ") || "none"}`);
    log(`  summary ${JSON.stringify(summary)}`);
  } finally {
    await manager.endpoints.delete(created.id);
    await manager.templates.delete(template.id);
    log(`  deleted endpoint ${created.id} and template ${template.id}`);
  }
  log(`  quota: ${JSON.stringify(manager.rateLimit?.windows ?? "not reported")}`);
}

/**
 * 12. A TypeScript worker as a real process: scripts/demo_worker.ts runs
 * start() of @runpod/sdk/worker, with the RUNPOD_* variables of an emulator's
 * external endpoint, served on loopback; a job, a stream and a cancel go
 * through it over RunPod's worker protocol, then SIGTERM drains it.
 */
async function workerProcess(): Promise<void> {
  if (real) {
    log(
      "12. worker process: skipped on RunPod (RunPod starts workers in their containers; docs/workers.md deploys one)",
    );
    return;
  }
  log("12. a TypeScript worker process (start() of @runpod/sdk/worker) serving an endpoint");
  await using emulator = createEmulator({
    apiKey: "demo-key",
    endpoints: [{ id: "ts-worker", external: true }],
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
  const baseUrl = `http://127.0.0.1:${server.addr.port}/v2`;
  const env = emulator.workerEnv("ts-worker", { baseUrl, workerId: "ts-worker-1" });
  delete (env as Partial<typeof env>).RUNPOD_ENDPOINT_ID; // plain log lines, for reading
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      new URL("demo_worker.ts", import.meta.url).pathname,
    ],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const logged = (async () => {
    const lines = child.stdout.pipeThrough(new TextDecoderStream());
    let rest = "";
    for await (const chunk of lines) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) if (line) log(`  [worker ${child.pid}] ${line}`);
    }
  })();
  try {
    const ep = runpodSdk("demo-key", { baseUrl }).endpoint<
      { prompt?: string; photos?: number; seconds?: number }
    >(
      "ts-worker",
    );
    const job = await ep.runSync({ input: { prompt: "a horse" } }, 30_000);
    log(`  runSync -> ${job.status} by ${job.workerId}: ${JSON.stringify(job.output)}`);
    const photos = await ep.run({ input: { photos: 3 } });
    for await (const item of ep.stream(photos.id, 10_000)) {
      log(`  streamed ${JSON.stringify(item.output)}`);
    }
    const long = await ep.run({ input: { seconds: 60 } });
    // Wait until the worker runs it, then cancel: the stop channel aborts its ctx.signal.
    const running = new AbortController();
    await ep.waitFor(long.id, {
      timeout: 10_000,
      signal: running.signal,
      onStatus: (j: Job) => j.status === "IN_PROGRESS" && running.abort(),
    }).catch((error) => {
      if (!running.signal.aborted) throw error;
    });
    const cancelled = await ep.cancel(long.id, 3000);
    log(`  cancel -> ${cancelled.status}`);
  } finally {
    child.kill("SIGTERM");
    const { code } = await child.status;
    await logged;
    log(`  SIGTERM: the worker drained and exited with code ${code}`);
    await emulator.close(); // ends any request still held, so that the server stops at once
    await server.shutdown();
  }
}

/**
 * 13. A load-balancing endpoint: created through the management API, called
 * through its cold start (the SDK retries RunPod's "no worker took it"
 * answers), an answer streamed as the worker writes it. On the emulator; on
 * RunPod, with LB_ENDPOINT_ID, it only waits for the endpoint to be ready.
 */
async function loadBalancing(): Promise<void> {
  if (real) {
    const id = Deno.env.get("LB_ENDPOINT_ID");
    if (!id) {
      log("13. load balancing: skipped on RunPod: set LB_ENDPOINT_ID to wait for one to be ready");
      return;
    }
    log(`13. load balancing: waiting for ${id} to answer its health path with 200`);
    await runpodSdk(apiKey!).loadBalancer(id).ready({ timeout: 300_000 });
    log("  ready");
    return;
  }
  const origin = new URL(baseUrl!).origin;
  const client = runpodSdk("demo-key", {
    restUrl: `${origin}/rest/v2`,
    loadBalancerUrl: `${origin}/lb/{endpointId}`,
  });
  log("13. load balancing: create a LOAD_BALANCER endpoint, call it through a cold start, stream");
  const created = await client.endpoints.create({
    name: "demo-lb",
    type: "LOAD_BALANCER",
    image: "demo/lb-worker:1",
    gpu: { pools: ["ADA_24"] },
    workers: { min: 0, max: 2, idleTimeout: 5 },
    scaling: { type: "REQUEST_COUNT", requestCount: 4 },
  });
  try {
    const lb = client.loadBalancer(created);
    log(`  endpoint ${created.id} at ${lb.url}`);
    const before = performance.now();
    const answer = await lb.json<{ text: string }>("/generate", { prompt: "a horse" }, {
      timeout: 60_000,
    });
    const waited = Math.round(performance.now() - before);
    log(`  json /generate -> ${JSON.stringify(answer)} after ${waited} ms (the cold start)`);
    const response = await lb.fetch("/stream", {
      method: "POST",
      headers: { accept: "text/event-stream" },
      body: JSON.stringify({ prompt: "a zebra" }),
    });
    for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
      log(`  streamed ${JSON.stringify(chunk)}`);
    }
  } finally {
    await client.endpoints.delete(created.id);
    log(`  deleted endpoint ${created.id}`);
  }
}
