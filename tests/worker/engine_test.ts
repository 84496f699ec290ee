import assert from "node:assert/strict";
import { advanceUntil, deferred, FakeRunpod, settle, startOn } from "./_fake_runpod.ts";

Deno.test("start() takes a job, runs the handler and posts {output} to the output URL with the protocol's query, headers and key", async () => {
  const fake = new FakeRunpod();
  fake.push({ id: "job-1", input: { name: "Ada" }, webhook: "https://hook.test" });
  let seen: unknown;
  await using w = startOn(fake, {
    handler: (job) => {
      seen = job;
      return { text: `hello ${job.input.name}` };
    },
  });
  assert.deepEqual(await fake.final("job-1"), { output: { text: "hello Ada" } });
  assert.deepEqual(seen, { id: "job-1", input: { name: "Ada" }, webhook: "https://hook.test" });
  const take = fake.of("take")[0]!;
  assert.equal(
    take.url,
    "http://runpod.test/v2/ep/job-take/worker-1?gpu=NVIDIA+L4&job_in_progress=0",
  );
  assert.equal(take.headers.get("authorization"), "worker-secret-key");
  const done = fake.of("done")[0]!;
  assert.equal(
    done.url,
    "http://runpod.test/v2/ep/job-done/worker-1/job-1?gpu=NVIDIA+L4&isStream=false",
  );
  assert.equal(done.method, "POST");
  assert.equal(done.headers.get("authorization"), "worker-secret-key");
  assert.equal(done.headers.get("x-request-id"), "job-1");
  assert.equal(done.headers.get("content-type"), "application/x-www-form-urlencoded");
  await w.handle.stop();
  assert.deepEqual(w.exits, []);
});

Deno.test("the next job is taken at the very moment the last handler ends (no idle gap), with job_in_progress=1 while its result is out", async () => {
  const fake = new FakeRunpod();
  const ends: number[] = [];
  fake.push(...["a", "b", "c", "d"].map((id) => ({ id, input: id })));
  await using w = startOn(fake, {
    handler: async (job) => {
      await new Promise<void>((resolve) => fake.clock.setTimer(resolve, 1000));
      ends.push(fake.clock.now());
      return job.input;
    },
  });
  await advanceUntil(fake.clock, () => fake.finals.has("d"));
  const takes = fake.of("take").map((r) => r.at);
  assert.deepEqual(takes.slice(1, 4), ends.slice(0, 3)); // the same fake millisecond
  assert.equal(fake.of("take-batch").length, 0);
  await w.handle.stop();
});

Deno.test("with several free slots the worker takes in batch form (/job-take-batch/ and batch_size) and runs the jobs concurrently", async () => {
  const fake = new FakeRunpod();
  const gate = deferred();
  let running = 0;
  let most = 0;
  await using w = startOn(fake, {
    concurrency: 4,
    handler: async (job) => {
      most = Math.max(most, ++running);
      await gate.promise;
      running--;
      return job.id;
    },
  });
  await settle();
  fake.push(...["a", "b", "c", "d", "e"].map((id) => ({ id, input: null })));
  const first = fake.of("take-batch")[0]!;
  assert.equal(
    first.url,
    "http://runpod.test/v2/ep/job-take-batch/worker-1?gpu=NVIDIA+L4&batch_size=4&job_in_progress=0",
  );
  await Promise.resolve();
  gate.resolve();
  assert.deepEqual(await fake.final("e"), { output: "e" });
  assert.equal(most, 4);
  await w.handle.stop();
});

Deno.test("a concurrency function is asked before every take with the current concurrency", async () => {
  const fake = new FakeRunpod();
  const asked: number[] = [];
  fake.push(...["a", "b", "c"].map((id) => ({ id, input: null })));
  await using w = startOn(fake, {
    concurrency: (current) => {
      asked.push(current);
      return Math.min(current + 1, 3);
    },
    handler: (job) => job.id,
  });
  await fake.final("c");
  assert.deepEqual(asked.slice(0, 3), [1, 2, 3]);
  await w.handle.stop();
});

Deno.test("a concurrency function that throws or returns a bad number keeps the current concurrency, logged", async () => {
  const fake = new FakeRunpod();
  let calls = 0;
  fake.push({ id: "a", input: null }, { id: "b", input: null });
  await using w = startOn(fake, {
    concurrency: () => {
      if (calls++ === 0) throw new Error("boom");
      return 0;
    },
    handler: (job) => job.id,
  });
  await fake.final("b");
  assert.ok(
    w.lines.some((l) => l.level === "error" && /concurrency function threw/.test(l.message)),
  );
  assert.ok(w.lines.some((l) => /returned 0, not an integer/.test(l.message)));
  await w.handle.stop();
});

Deno.test("ctx.progress() posts {status: IN_PROGRESS, output} to the output URL before the result", async () => {
  const fake = new FakeRunpod();
  fake.push({ id: "p", input: null });
  await using w = startOn(fake, {
    handler: async (_job, ctx) => {
      await ctx.progress({ percent: 50 });
      await ctx.progress("almost");
      return "done";
    },
  });
  await fake.final("p");
  assert.deepEqual(fake.progress.get("p"), [{ percent: 50 }, "almost"]);
  const bodies = fake.of("done").map((r) => JSON.parse(r.body!));
  assert.deepEqual(bodies, [
    { status: "IN_PROGRESS", output: { percent: 50 } },
    { status: "IN_PROGRESS", output: "almost" },
    { output: "done" },
  ]);
  await w.handle.stop();
});

Deno.test("heartbeats carry the ids of the jobs in hand, every RUNPOD_PING_INTERVAL, while handlers run", async () => {
  const fake = new FakeRunpod();
  const gate = deferred();
  fake.push({ id: "a", input: null }, { id: "b", input: null });
  await using w = startOn(fake, {
    concurrency: 2,
    handler: async () => {
      await gate.promise;
      return 1;
    },
  }, { RUNPOD_PING_INTERVAL: "5000" });
  await settle();
  const idle = fake.of("ping")[0]!;
  assert.equal(
    idle.url,
    `http://runpod.test/v2/ep/ping/worker-1?gpu=NVIDIA+L4&runpod_version=${
      idle.query.get("runpod_version")
    }`,
  );
  for (let i = 0; i < 3; i++) {
    await fake.clock.advance(5000);
    await settle();
  }
  const pings = fake.of("ping");
  assert.deepEqual(pings.map((p) => p.at - pings[0]!.at), [0, 5000, 10000, 15000]);
  assert.equal(pings.at(-1)!.query.get("job_id"), "a,b");
  assert.match(pings.at(-1)!.url, /job_id=a%2Cb&runpod_version=/);
  assert.equal(pings.at(-1)!.headers.get("authorization"), "worker-secret-key");
  gate.resolve();
  await fake.final("b");
  await w.handle.stop();
});

Deno.test("a stop from the stop channel aborts that job's ctx.signal, posts nothing for it, and frees its slot", async () => {
  const fake = new FakeRunpod();
  let reason: unknown;
  fake.push({ id: "long", input: null }, { id: "next", input: null });
  await using w = startOn(fake, {
    handler: (job, ctx) =>
      job.id === "long"
        ? new Promise((_resolve, reject) =>
          ctx.signal.addEventListener("abort", () => {
            reason = ctx.signal.reason;
            reject(ctx.signal.reason);
          })
        )
        : "next done",
  });
  await settle();
  assert.equal(fake.of("stop")[0]!.url, "http://runpod.test/v2/ep/job-stop/worker-1?gpu=NVIDIA+L4");
  fake.stop("long", "unknown-job");
  assert.deepEqual(await fake.final("next"), { output: "next done" });
  assert.equal((reason as Error).name, "AbortError");
  assert.equal(fake.finals.has("long"), false);
  assert.ok(fake.of("done").every((r) => !r.url.includes("/long?")));
  await w.handle.stop();
});

Deno.test("stop() takes nothing more, lets the job in hand finish and post, then resolves with no timer left", async () => {
  const fake = new FakeRunpod();
  const gate = deferred();
  fake.push({ id: "a", input: null }, { id: "b", input: null });
  await using w = startOn(fake, {
    handler: async (job) => {
      await gate.promise;
      return job.id;
    },
  });
  await settle();
  const stopping = w.handle.stop();
  gate.resolve();
  await stopping;
  assert.deepEqual(fake.finals.get("a"), [{ output: "a" }]);
  assert.equal(fake.taken.has("b"), false);
  assert.equal(fake.clock.pendingTimers, 0);
  assert.equal(await w.handle.done, 0);
  assert.deepEqual(w.exits, []);
});

Deno.test("abort() aborts the handlers' signals and posts what they ended with", async () => {
  const fake = new FakeRunpod();
  const started = deferred();
  fake.push({ id: "a", input: null });
  await using w = startOn(fake, {
    handler: (_job, ctx) =>
      new Promise((_resolve, reject) => {
        started.resolve();
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason));
      }),
  });
  await started.promise;
  await w.handle.abort();
  const final = fake.finals.get("a")![0] as { error: string };
  assert.equal(JSON.parse(final.error).error_type, "AbortError");
  assert.equal(fake.clock.pendingTimers, 0);
});

Deno.test("refreshWorker: the result carries stopPod: true, nothing more is taken, and the worker exits 0", async () => {
  const fake = new FakeRunpod();
  fake.push({ id: "a", input: null }, { id: "b", input: null });
  await using w = startOn(fake, { refreshWorker: true, concurrency: 4, handler: () => "x" });
  assert.equal(await w.handle.done, 0);
  assert.deepEqual(fake.finals.get("a"), [{ output: "x", stopPod: true }]);
  assert.equal(fake.taken.has("b"), false);
  assert.equal(fake.of("take").length, 1); // one job at a time, not a batch
  assert.deepEqual(w.exits, [0]);
});

Deno.test("a handler returning refresh_worker: true gets stopPod: true on its result and the worker exits after it", async () => {
  const fake = new FakeRunpod();
  fake.push({ id: "a", input: null }, { id: "b", input: null });
  await using w = startOn(fake, { handler: () => ({ image: "x", refresh_worker: true }) });
  assert.equal(await w.handle.done, 0);
  assert.deepEqual(fake.finals.get("a"), [{ output: { image: "x" }, stopPod: true }]);
  assert.equal(fake.taken.has("b"), false);
  assert.deepEqual(w.exits, [0]);
});

Deno.test("the same job taken twice while in hand runs once", async () => {
  const fake = new FakeRunpod();
  const gate = deferred();
  let runs = 0;
  fake.push({ id: "a", input: null }, { id: "a", input: null });
  await using w = startOn(fake, {
    concurrency: 2,
    handler: async () => {
      runs++;
      await gate.promise;
      return 1;
    },
  });
  await settle();
  gate.resolve();
  await fake.final("a");
  await w.handle.stop();
  assert.equal(runs, 1);
  assert.equal(fake.finals.get("a")!.length, 1);
});

Deno.test("log lines never contain the worker's key", async () => {
  const fake = new FakeRunpod();
  fake.push({ id: "a", input: null });
  fake.inject("done", new Response("bad key worker-secret-key", { status: 500 }));
  await using w = startOn(fake, {
    handler: () => {
      throw new Error("has worker-secret-key inside");
    },
  });
  await advanceUntil(fake.clock, () => fake.finals.has("a"));
  await w.handle.stop();
  assert.ok(w.lines.length > 0);
  assert.ok(w.lines.every((l) => !l.message.includes("worker-secret-key")));
});

Deno.test("stop() while a take's answer is arriving: its job is still run and posted, not lost", async () => {
  const fake = new FakeRunpod();
  let sendBody!: (text: string) => void;
  let headersIn!: () => void;
  const answered = new Promise<void>((resolve) => (headersIn = resolve));
  let first = true;
  const fetch: typeof globalThis.fetch = (input, init) => {
    if (first && String(input).includes("/job-take/")) {
      first = false;
      fake.taken.add("late");
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          // As fetch does: an abort of the request's signal errors a body still arriving.
          init?.signal?.addEventListener("abort", () => controller.error(init.signal?.reason));
          sendBody = (text) => {
            controller.enqueue(new TextEncoder().encode(text));
            controller.close();
          };
        },
      });
      headersIn();
      return Promise.resolve(new Response(body, { status: 200 }));
    }
    return fake.fetch(input, init);
  };
  await using w = startOn(fake, { fetch, handler: (job) => `ran ${job.id}` });
  await answered;
  await settle();
  const stopping = w.handle.stop();
  sendBody(JSON.stringify({ id: "late", input: null }));
  await stopping;
  assert.deepEqual(fake.finals.get("late"), [{ output: "ran late" }]);
  assert.equal(fake.clock.pendingTimers, 0);
});
