import assert from "node:assert/strict";
import { start, type StartOptions } from "../../worker.ts";
import { ENV, FakeRunpod, settle } from "./_fake_runpod.ts";
import { realClock } from "../../mod.ts";

function local(options: Partial<StartOptions> & Pick<StartOptions, "handler">, args: string[]) {
  const lines: string[] = [];
  const exits: number[] = [];
  const handle = start({
    env: {},
    args,
    handleSignals: false,
    logger: { log: (level, message) => void lines.push(`${level} ${message}`) },
    exit: (code) => void exits.push(code),
    ...options,
  });
  return { handle, lines, exits };
}

Deno.test("start() refuses bad options with TypeError or RangeError before any request", () => {
  // @ts-expect-error the handler is required
  assert.throws(() => start({}), TypeError);
  assert.throws(() => start({ handler: () => 1, concurrency: 0 }), RangeError);
  assert.throws(() => start({ handler: () => 1, concurrency: 1.5 }), RangeError);
  // @ts-expect-error fetch must be a function
  assert.throws(() => start({ handler: () => 1, fetch: "x" }), TypeError);
});

Deno.test("--test-input runs the handler once on job local_test, logs the result and exits 0", async () => {
  let seen: unknown;
  const w = local({
    handler: (job) => {
      seen = job;
      return { hi: job.input.name };
    },
  }, ["--test-input", '{"input": {"name": "Ada"}}']);
  assert.equal(await w.handle.done, 0);
  assert.deepEqual(seen, { id: "local_test", input: { name: "Ada" } });
  assert.ok(w.lines.includes('info job result: {"output":{"hi":"Ada"}}'));
  assert.deepEqual(w.exits, [0]);
});

Deno.test("--test_input (runpod-python's spelling) with a failing handler exits 1", async () => {
  const w = local({
    handler: () => {
      throw new Error("nope");
    },
  }, ['--test_input={"input": 1}']);
  assert.equal(await w.handle.done, 1);
  assert.ok(w.lines.some((l) => l.startsWith("error job result:") && l.includes("nope")));
});

Deno.test("a test input that is not JSON or has no input exits 1 saying so", async () => {
  const bad = local({ handler: () => 1 }, ["--test-input", "{nope"]);
  assert.equal(await bad.handle.done, 1);
  assert.ok(bad.lines.some((l) => l.includes("is not JSON")));
  const missing = local({ handler: () => 1 }, ["--test-input", '{"prompt": 1}']);
  assert.equal(await missing.handle.done, 1);
  assert.ok(missing.lines.some((l) => l.includes('needs an "input" field')));
});

Deno.test("a local generator run logs each item and the aggregated result", async () => {
  const w = local({
    handler: function* () {
      yield 1;
      yield 2;
    },
  }, ["--test-input", '{"input": null}']);
  assert.equal(await w.handle.done, 0);
  assert.ok(w.lines.includes('info stream item: {"output":1}'));
  assert.ok(w.lines.includes('info job result: {"output":[1,2]}'));
});

Deno.test("./test_input.json is read when there is no --test-input and no RUNPOD_WEBHOOK_GET_JOB", async () => {
  const dir = await Deno.makeTempDir();
  const cwd = Deno.cwd();
  try {
    await Deno.writeTextFile(`${dir}/test_input.json`, '{"input": {"n": 3}}');
    Deno.chdir(dir);
    const w = local({ handler: (job) => job.input.n + 1 }, []);
    assert.equal(await w.handle.done, 0);
    assert.ok(w.lines.includes('info job result: {"output":4}'));
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("with neither RunPod's variables nor a test input, start() says what to do and exits 1", async () => {
  const dir = await Deno.makeTempDir();
  const cwd = Deno.cwd();
  try {
    Deno.chdir(dir);
    const w = local({ handler: () => 1 }, []);
    assert.equal(await w.handle.done, 1);
    assert.ok(w.lines.some((l) => l.includes("--test-input")));
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("JSON log lines {requestId, message, level} when RUNPOD_ENDPOINT_ID is set; RUNPOD_LOG_LEVEL filters", async () => {
  const fake = new FakeRunpod();
  const printed: string[] = [];
  const original = { log: console.log, error: console.error };
  console.log = (line: string) => void printed.push(line);
  console.error = (line: string) => void printed.push(line);
  try {
    fake.push({ id: "a", input: null });
    const handle = start({
      env: { ...ENV, RUNPOD_ENDPOINT_ID: "ep", RUNPOD_LOG_LEVEL: "DEBUG" },
      args: [],
      fetch: fake.fetch,
      clock: fake.clock,
      handleSignals: false,
      handler: () => 1,
    });
    await fake.final("a");
    await handle.stop();
  } finally {
    Object.assign(console, original);
    fake.clock.dispose();
  }
  const lines = printed.map((line) => JSON.parse(line));
  assert.ok(lines.some((l) => l.requestId === "a" && l.level === "DEBUG"));
  assert.ok(lines.every((l) => Object.keys(l).join() === "requestId,message,level"));
});

Deno.test("known limit: a handler that blocks the event loop delays the heartbeat until it returns", async () => {
  // Real time here: the point is what a blocked event loop does to the real timers.
  const pings: number[] = [];
  let taken = false;
  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = String(input);
    if (url.includes("/ping/")) pings.push(Date.now());
    if (url.includes("/job-take/") && !taken) {
      taken = true;
      return Promise.resolve(Response.json({ id: "busy", input: null }));
    }
    if (url.includes("/job-done/")) return Promise.resolve(new Response(null));
    return new Promise((_resolve, reject) =>
      init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))
    );
  };
  let blockedFrom = 0;
  let blockedTo = 0;
  const handle = start({
    env: { ...ENV, RUNPOD_PING_INTERVAL: "20" },
    args: [],
    fetch,
    clock: realClock,
    handleSignals: false,
    logger: { log: () => {} },
    handler: () => {
      blockedFrom = Date.now();
      while (Date.now() - blockedFrom < 200) { /* a synchronous model call */ }
      blockedTo = Date.now();
      return "done";
    },
  });
  while (blockedTo === 0 || pings.filter((t) => t > blockedTo).length < 2) await settle();
  await handle.stop();
  assert.equal(pings.filter((t) => t > blockedFrom && t < blockedTo).length, 0);
  assert.ok(pings.some((t) => t >= blockedTo)); // and it resumes after
});
