// Fuzzes the response parsing with fast-check: whatever a server answers
// (any bytes, any JSON value, objects close to each route's shape, any
// status and Retry-After), each call resolves with a value of its documented
// shape or rejects with a RunpodError: never another exception, never a hang.
// Fixed seeds, bounded runs: the failures are reproducible.
import assert from "node:assert/strict";
import fc from "fast-check";
import runpodSdk, { type Endpoint, isTerminalStatus, RunpodError } from "../../mod.ts";
import { FakeClock } from "../../testing.ts";
import { bounded } from "../_helpers/harness.ts";

const STATUSES = ["IN_QUEUE", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"];

interface Answer {
  status: number;
  body: Uint8Array<ArrayBuffer> | string;
  retryAfter: string | null;
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
const nearShape = fc.record(
  {
    id: fc.oneof(fc.string({ maxLength: 8 }), anyJson),
    status: fc.oneof(fc.constantFrom(...STATUSES), fc.string({ maxLength: 8 }), anyJson),
    stream: fc.oneof(
      fc.array(fc.oneof(fc.record({ output: anyJson }), anyJson), { maxLength: 4 }),
      anyJson,
    ),
    output: anyJson,
    error: anyJson,
    jobs: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.integer()), anyJson),
    workers: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.integer()), anyJson),
    removed: fc.oneof(fc.integer(), anyJson),
  },
  { requiredKeys: [] },
);
// Answers of the right shape for every route at once, with random values and extra fields.
const valid = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  status: fc.constantFrom(...STATUSES),
  stream: fc.array(fc.record({ output: anyJson }), { maxLength: 4 }),
  output: anyJson,
  jobs: fc.dictionary(fc.string({ maxLength: 6 }), fc.integer()),
  workers: fc.dictionary(fc.string({ maxLength: 6 }), fc.integer()),
  removed: fc.integer(),
}).chain((base) =>
  fc.dictionary(fc.string({ maxLength: 6 }), anyJson, { maxKeys: 3 }).map((extra) => ({
    ...extra,
    ...base,
  }))
);
const body = fc.oneof(
  { arbitrary: valid.map((v) => JSON.stringify(v)), weight: 4 },
  fc.uint8Array({ maxLength: 64 }),
  anyJson.map((v) => JSON.stringify(v)),
  nearShape.map((v) => JSON.stringify(v)),
  fc.constantFrom("", "null", "{}", "[]", '{"id":', "<html>502</html>", "\u0000", "{}{}"),
);
const answer: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(
    200,
    200,
    200,
    200,
    200,
    200,
    201,
    400,
    401,
    404,
    409,
    429,
    500,
    502,
    503,
  ),
  body,
  retryAfter: fc.option(
    fc.oneof(fc.stringMatching(/^[ -~]{0,12}$/), fc.nat().map(String), fc.date().map(String)),
  ),
});

type Check = (value: unknown) => void;
const handle: Check = (v) => {
  const job = v as { id: unknown; status: unknown };
  assert.equal(typeof job.id, "string");
  assert.ok((job.id as string).length > 0);
  assert.equal(typeof job.status, "string");
};
const object = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

const CALLS: Record<string, [(e: Endpoint<unknown, unknown>) => Promise<unknown>, Check]> = {
  "run()": [(e) => e.run({ input: 1 }, { timeout: 10_000 }), handle],
  "runSync()": [(e) => e.runSync({ input: 1 }, { timeout: 10_000 }), (v) => {
    handle(v);
    assert.ok(isTerminalStatus((v as { status: string }).status));
  }],
  "status()": [(e) => e.status("job-1", { timeout: 10_000 }), handle],
  "waitFor()": [(e) => e.waitFor("job-1", { timeout: 10_000 }), (v) => {
    handle(v);
    assert.ok(isTerminalStatus((v as { status: string }).status));
  }],
  "stream()": [async (e) => {
    const items = [];
    for await (const item of e.stream("job-1", { timeout: 10_000 })) items.push(item);
    return items;
  }, (v) => {
    assert.ok(Array.isArray(v));
    for (const item of v) assert.ok(object(item));
  }],
  "cancel()": [(e) => e.cancel("job-1", { timeout: 10_000 }), handle],
  "retry()": [(e) => e.retry("job-1", { timeout: 10_000 }), handle],
  "purgeQueue()": [(e) => e.purgeQueue({ timeout: 10_000 }), (v) => {
    assert.equal(typeof (v as { removed: unknown }).removed, "number");
  }],
  "health()": [(e) => e.health({ timeout: 10_000 }), (v) => {
    assert.ok(object((v as { jobs: unknown }).jobs));
    assert.ok(object((v as { workers: unknown }).workers));
  }],
};

let seed = 5_000;
for (const [name, [call, check]] of Object.entries(CALLS)) {
  Deno.test(`fuzz: ${name} resolves with its documented shape or rejects with a RunpodError`, async () => {
    await fc.assert(
      fc.asyncProperty(answer, fc.integer({ min: 0, max: 2 }), async (a, maxRetries) => {
        using clock = new FakeClock();
        const fetch = async (_input: Request | URL | string, init?: RequestInit) => {
          // A real answer takes at least a macrotask: without one, a stream that
          // always gets items would starve the event loop, fake clock included.
          if (name === "stream()") await new Promise((resolve) => setTimeout(resolve, 0));
          init?.signal?.throwIfAborted();
          const headers = new Headers({ "content-type": "application/json" });
          if (a.retryAfter !== null) headers.set("retry-after", a.retryAfter);
          const payload = typeof a.body === "string" ? a.body : new Uint8Array(a.body);
          return new Response(payload, { status: a.status, headers });
        };
        const endpoint = runpodSdk("test-key", { fetch, clock, maxRetries }).endpoint("e");
        const settled = await bounded(call(endpoint), name);
        if (settled.ok) check(settled.value);
        else {
          assert.ok(
            settled.error instanceof RunpodError,
            `${name} threw ${(settled.error as Error)?.name}: ${settled.error}`,
          );
        }
      }),
      { numRuns: 200, seed: seed++ },
    );
  });
}
