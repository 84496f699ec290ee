// Stream items are never duplicated or reordered, whatever happens to the
// polls: checked as properties over random workers (item counts and pauses)
// and random fault schedules, with fast-check (fixed seeds).
//
// What a lost answer means: `/stream` drains the server's buffer, so the items
// a lost or cut answer carried are gone from the server. By default the
// stream then throws StreamGapError after the items received (a prefix of the
// job's items); with allowGaps it goes on, and what it yields is still in
// order and without duplicates, missing only items of lost answers.
import assert from "node:assert/strict";
import fc from "fast-check";
import { RunpodApiError, RunpodError, StreamGapError } from "../../mod.ts";
import type { Fault } from "../../testing.ts";
import { bounded, harness } from "../_helpers/harness.ts";

const NOOP: Fault = { delay: 0 };
/** Faults after which nothing was drained: every item must arrive. */
const HARMLESS: Fault[] = [
  NOOP,
  { status: 429 },
  { status: 429, retryAfter: "1" },
  { json: { status: "IN_PROGRESS", stream: [] } }, // an empty poll that comes back at once
  { json: { status: "IN_QUEUE" } }, // an empty poll without `stream`
  { delay: 5_000 }, // slow headers, within the attempt timeout
];
/** Faults the client must treat as "maybe drained": retried only with allowGaps. */
const REFUSED: Fault[] = [{ status: 503 }, { html: 502 }, { drop: true }, { status: 500 }];
/** Faults that really lose what the answer carried. */
const LOSSY: Fault[] = [{ drop: true, when: "after" }, { truncate: true }];

const worker = fc.array(fc.integer({ min: 0, max: 15_000 }), { minLength: 1, maxLength: 12 });
const schedule = (faults: Fault[]) =>
  fc.array(fc.constantFrom(...faults), { minLength: 0, maxLength: 20 });

function itemsWorker(pauses: number[]) {
  return async function* ({ sleep }: { sleep(ms: number): Promise<void> }) {
    for (let i = 0; i < pauses.length; i++) {
      await sleep(pauses[i]);
      yield i + 1;
    }
  };
}

async function readStream(pauses: number[], faults: Fault[], allowGaps: boolean) {
  await using t = harness<unknown, number>({ worker: itemsWorker(pauses) }, 10);
  const { id } = await t.endpoint.run({ input: {} });
  for (const fault of faults) t.emulator.inject("GET /stream", fault);
  const items: number[] = [];
  const settled = await bounded(
    (async () => {
      for await (const item of t.endpoint.stream(id, { allowGaps })) items.push(item.output);
    })(),
    "stream",
  );
  const lossy =
    t.emulator.requests.filter((r) => r.fault === "drop after" || r.fault === "truncate").length;
  assert.equal(t.liveTimers(), 0, "no timer left");
  return { items, error: settled.ok ? undefined : settled.error, lossy, all: pauses.length };
}

function assertInOrderOnce(items: number[]): void {
  for (let i = 1; i < items.length; i++) {
    assert.ok(items[i] > items[i - 1], `item ${items[i]} after ${items[i - 1]}: ${items}`);
  }
}

Deno.test("stream() yields every item once and in order across empty polls, 429s and slow polls", async () => {
  await fc.assert(
    fc.asyncProperty(worker, schedule(HARMLESS), async (pauses, faults) => {
      const { items, error, all } = await readStream(pauses, faults, false);
      assert.equal(error, undefined);
      assert.deepEqual(items, Array.from({ length: all }, (_, i) => i + 1));
    }),
    { numRuns: 25, seed: 20261127 },
  );
});

Deno.test("stream({ allowGaps }) retries refused polls and still yields every item once, in order", async () => {
  await fc.assert(
    fc.asyncProperty(worker, schedule([...HARMLESS, ...REFUSED]), async (pauses, faults) => {
      const { items, error, all } = await readStream(pauses, faults, true);
      // 10 retries per poll: a run of more than 10 failures in a row may end it.
      if (error) {
        assert.ok(error instanceof RunpodError, String(error));
        assertInOrderOnce(items);
        return;
      }
      assert.deepEqual(items, Array.from({ length: all }, (_, i) => i + 1));
    }),
    { numRuns: 25, seed: 20261128 },
  );
});

Deno.test("stream() ends with StreamGapError after a prefix of the items when an answer may be lost", async () => {
  await fc.assert(
    fc.asyncProperty(
      worker,
      schedule([...HARMLESS, ...REFUSED, ...LOSSY]),
      async (pauses, faults) => {
        const { items, error, all } = await readStream(pauses, faults, false);
        // Whatever ended it, what came before is the job's first items, in order, once.
        assert.deepEqual(items, Array.from({ length: items.length }, (_, i) => i + 1));
        if (error === undefined) {
          assert.equal(items.length, all);
          return;
        }
        if (error instanceof StreamGapError) {
          assert.equal(error.received, items.length);
          assert.match(error.message, /drained on the server/);
        } else {
          assert.ok(error instanceof RunpodApiError && error.status === 429, String(error));
        }
      },
    ),
    { numRuns: 25, seed: 20261129 },
  );
});

Deno.test("stream({ allowGaps }) goes on past lost answers, missing only what they carried", async () => {
  await fc.assert(
    fc.asyncProperty(
      worker,
      schedule([...HARMLESS, ...REFUSED, ...LOSSY]),
      async (pauses, faults) => {
        const { items, error, lossy, all } = await readStream(pauses, faults, true);
        assertInOrderOnce(items);
        assert.ok(items.every((n) => n >= 1 && n <= all));
        // Only a lost answer can make an item go missing.
        if (lossy === 0 && error === undefined) assert.equal(items.length, all);
        if (error !== undefined) assert.ok(error instanceof RunpodError, String(error));
      },
    ),
    { numRuns: 25, seed: 20261130 },
  );
});
