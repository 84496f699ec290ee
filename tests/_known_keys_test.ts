// A misspelt option is a TypeError that names it and the closest known name,
// in every options object the SDK takes, before anything is sent.
import assert from "node:assert/strict";
import runpodSdk from "../mod.ts";
import { createEmulator, FakeClock, openaiWorker } from "../testing.ts";
import { serveNode } from "../testing_node.ts";
import { serve, start } from "../worker.ts";
import { closest, editDistance } from "../src/_known_keys.ts";
import { assertRejects } from "./_helpers/assert_rejects.ts";
import { setup } from "./_helpers/setup.ts";

// Plain JavaScript: the options are not typed.
const loose = <T = never>(value: Record<string, unknown>) => value as T;

Deno.test("runpodSdk() refuses a misspelt client option and suggests the closest one", () => {
  assert.throws(
    () => runpodSdk("k", loose({ timout: 5 })),
    {
      name: "TypeError",
      message: "Cannot create the RunPod client: unknown option 'timout' (did you mean 'timeout'?)",
    },
  );
  assert.throws(() => runpodSdk("k", loose({ baseURL: "x" })), /did you mean 'baseUrl'\?/);
  assert.throws(() => runpodSdk("k", loose({ restUrl: "https://a.test/v2", fecth: fetch })), {
    message: /unknown option 'fecth' \(did you mean 'fetch'\?\)/,
  });
});

Deno.test("an unknown option far from every name lists the known ones", () => {
  assert.throws(() => runpodSdk("k", loose({ apiKey: "k" })), {
    message:
      "Cannot create the RunPod client: unknown option 'apiKey' (the options are 'baseUrl', 'restUrl', 'loadBalancerUrl', 'allowInsecureHttp', 'fetch', 'maxRetries', 'timeout', 'headers', 'clock', 'pacing')",
  });
});

Deno.test("runpodSdk() refuses misspelt pacing options", () => {
  assert.throws(() => runpodSdk("k", loose({ pacing: { limit: {} } })), {
    message: /pacing\): unknown option 'limit' \(did you mean 'limits'\?\)/,
  });
  assert.throws(() => runpodSdk("k", loose({ pacing: { limits: { run: { rates: 5 } } } })), {
    message: /pacing\.limits\.run\): unknown option 'rates' \(did you mean 'rate'\?\)/,
  });
});

Deno.test("every job method refuses a misspelt option and sends nothing", async () => {
  await using t = setup();
  const e = t.endpoint;
  const typo = loose<{ timeout: number }>({ timeot: 100 });
  const calls: [string, () => Promise<unknown>][] = [
    ["run", () => e.run({ input: 1 }, typo)],
    ["runSync", () => e.runSync({ input: 1 }, typo)],
    ["status", () => e.status("job-1", typo)],
    ["waitFor", () => e.waitFor("job-1", typo)],
    ["stream", () => e.stream("job-1", typo).next()],
    ["cancel", () => e.cancel("job-1", typo)],
    ["retry", () => e.retry("job-1", typo)],
    ["purgeQueue", () => e.purgeQueue(typo)],
    ["health", () => e.health(typo)],
    ["runMany", () => e.runMany([{ input: 1 }], typo).next()],
    ["batches.create", () => e.batches.create([{ input: 1 }], typo)],
    ["batches.get", () => e.batches.get("batch-1", typo)],
    ["batches.requests", () => e.batches.requests("batch-1", typo).next()],
    ["batches.waitFor", () => e.batches.waitFor("batch-1", typo)],
  ];
  for (const [name, call] of calls) {
    await assertRejects(
      call,
      TypeError,
      /unknown option 'timeot' \(did you mean 'timeout'\?\)/,
      name,
    );
  }
  assert.equal(t.sent.length, 0);
});

Deno.test("an option of another method is refused: run() takes no onStatus", async () => {
  await using t = setup();
  const error = await assertRejects(
    t.endpoint.run({ input: 1 }, loose({ onStatus: () => {} })),
    TypeError,
  );
  assert.equal(
    error.message,
    "Cannot run a job on endpoint 'test-endpoint': unknown option 'onStatus' (the options are 'timeout', 'signal', 'maxRetries')",
  );
  assert.equal(t.sent.length, 0);
});

Deno.test("each method's own options are accepted and misspellings of them suggested", async () => {
  await using t = setup();
  const e = t.endpoint;
  await assertRejects(
    e.runSync({ input: 1 }, loose({ cancelOnAbrt: true })),
    TypeError,
    /did you mean 'cancelOnAbort'\?/,
  );
  await assertRejects(
    e.stream("job-1", loose({ allowGap: true })).next(),
    TypeError,
    /'allowGaps'/,
  );
  await assertRejects(
    () => e.runMany([{ input: 1 }], loose({ concurency: 2 })).next(),
    TypeError,
    /did you mean 'concurrency'\?/,
  );
  await assertRejects(
    e.batches.requests("b-1", loose({ pagesize: 10 })).next(),
    TypeError,
    /did you mean 'pageSize'\?/,
  );
  assert.equal(t.sent.length, 0);
  const job = await e.runSync({ input: 1 }, { timeout: 5000, onStatus: () => {}, maxRetries: 1 });
  assert.equal(job.status, "COMPLETED");
});

Deno.test("management methods refuse a misspelt option, their query parameters included", async () => {
  await using emulator = createEmulator();
  const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
  await assertRejects(
    runpod.endpoints.list(loose({ limt: 5 })),
    TypeError,
    "Cannot list endpoints: unknown option 'limt' (did you mean 'limit'?)",
  );
  await assertRejects(
    runpod.endpoints.get("test-endpoint", loose({ timeOut: 5 })),
    TypeError,
    /did you mean 'timeout'\?/,
  );
  await assertRejects(
    runpod.billing.all(loose({ lastn: 7 })),
    TypeError,
    /did you mean 'lastN'\?/,
  );
  await assertRejects(
    runpod.pods.logs("pod-1", loose({ folow: true })).next(),
    TypeError,
    /did you mean 'follow'\?/,
  );
  assert.equal(emulator.countRequests(), 0);
  // What they take is accepted.
  assert.equal((await runpod.endpoints.list({ limit: 5, timeout: 5000 })).length, 1);
  assert.ok(await runpod.pods.list({ includeClusterPods: true }));
  assert.ok(await runpod.billing.all({ lastN: 7, bucketSize: "day" }));
});

Deno.test("createEmulator(), FakeClock, openaiWorker and serveNode refuse misspelt options", async () => {
  assert.throws(() => createEmulator(loose({ wokrers: 2 })), {
    name: "TypeError",
    message: "Cannot create emulator: unknown option 'wokrers' (did you mean 'workers'?)",
  });
  assert.throws(
    () => createEmulator(loose({ resultTtl: { runSync: 5 } })),
    /did you mean 'runsync'/,
  );
  assert.throws(
    () => createEmulator(loose({ rest: { requestsPerMinutes: 5 } })),
    /did you mean 'requestsPerMinute'/,
  );
  assert.throws(
    () => createEmulator(loose({ rateLimits: { run: { concurent: 5 } } })),
    /rateLimits\.run\): unknown option 'concurent' \(did you mean 'concurrent'\?\)/,
  );
  assert.throws(() => new FakeClock(loose({ autoadvance: false })), /did you mean 'autoAdvance'/);
  assert.throws(() => openaiWorker(loose({ reply: "hi", modle: "m" })), /did you mean 'model'/);
  await assert.rejects(
    async () => await serveNode(() => new Response(), loose({ host: "127.0.0.1" })),
    /unknown option 'host'/,
  );
});

Deno.test("emulator.inject() refuses a field that its kind of fault would ignore", async () => {
  await using emulator = createEmulator();
  assert.throws(
    () => emulator.inject("POST /run", loose({ json: { error: "busy" }, retryAfter: "2" })),
    {
      name: "TypeError",
      message:
        "Cannot inject a fault (json): unknown option 'retryAfter' (the options are 'json', 'status')",
    },
  );
  assert.throws(
    () => emulator.inject("POST /run", loose({ status: 429, retryafter: "2" })),
    /fault \(status\): unknown option 'retryafter' \(did you mean 'retryAfter'\?\)/,
  );
  emulator.inject("POST /run", { status: 429, retryAfter: "2", body: "{}", headers: {} });
});

Deno.test("loadBalancer(), the worker's start() and serve() refuse misspelt options", async () => {
  assert.throws(
    () => runpodSdk("k").loadBalancer("abc", loose({ helthPath: "/ping" })),
    { name: "TypeError", message: /unknown option 'helthPath' \(did you mean 'healthPath'\?\)/ },
  );
  assert.throws(
    () => start(loose({ handler: () => 1, concurency: 2 })),
    /Cannot start the worker: unknown option 'concurency' \(did you mean 'concurrency'\?\)/,
  );
  await assert.rejects(
    serve(() => new Response(), loose({ prot: 8080 })),
    /Cannot serve: unknown option 'prot' \(did you mean 'port'\?\)/,
  );
});

Deno.test("closest() takes a name within a few edits, a swap counting as one, case ignored", () => {
  const names = ["timeout", "signal", "maxRetries", "onStatus"];
  assert.equal(closest("timeot", names), "timeout");
  assert.equal(closest("tiemout", names), "timeout");
  assert.equal(closest("TIMEOUT", names), "timeout");
  assert.equal(closest("maxRetry", names), "maxRetries");
  assert.equal(closest("retries", names), "maxRetries");
  assert.equal(closest("status", names), "onStatus");
  assert.equal(closest("priority", names), undefined);
  assert.equal(closest("x", names), undefined);
});

// The CLI's "did you mean --input?" for options and commands uses closest() too.
Deno.test("editDistance() counts a wrong, missing or extra letter, and two swapped ones, as one slip each", () => {
  assert.equal(editDistance("input", "input"), 0);
  assert.equal(editDistance("inptu", "input"), 1); // swapped
  assert.equal(editDistance("inpt", "input"), 1); // missing
  assert.equal(editDistance("inpuut", "input"), 1); // extra
  assert.equal(editDistance("onput", "input"), 1); // wrong
  assert.equal(editDistance("", "ttl"), 3);
  assert.equal(editDistance("gpu-cont", "gpu-count"), 1);
});

Deno.test("closest() picks the nearest name within two slips, and nothing when none is near", () => {
  assert.equal(closest("inptu", ["policy", "input", "ttl"]), "input");
  assert.equal(closest("wacth", ["watch", "wait"]), "watch");
  assert.equal(closest("nmae", ["name", "image"]), "name");
  assert.equal(closest("zzzzzz", ["input", "name"]), undefined);
  // A slip is allowed for fewer than half the letters: "to" is not taken for "ttl".
  assert.equal(closest("to", ["ttl"]), undefined);
  assert.equal(closest("x", ["y"]), undefined);
});

Deno.test("closest() ignores case and keeps the first of equally near names", () => {
  assert.equal(closest("INPUT", ["input"]), "input");
  assert.equal(closest("tal", ["tail", "ttl"]), "tail");
  assert.equal(closest("tal", ["ttl", "tail"]), "ttl");
});
