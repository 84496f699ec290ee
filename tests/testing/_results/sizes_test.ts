// RunPod's size limits on what a worker sends back: a result over 20 MB fails
// to upload (the job still ends COMPLETED, with no output), a stream item over
// 1 MB is split into several items.
import assert from "node:assert/strict";
import { RESULT_LIMIT, STREAM_ITEM_LIMIT } from "../../../src/_runpod_facts.ts";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";
import { setup } from "../../_helpers/setup.ts";

const bytes = (text: string) => new TextEncoder().encode(text).length;

Deno.test("a result over 20 MB ends the job COMPLETED with no output; 20 MB exactly is kept", async () => {
  using clock = new FakeClock();
  // JSON.stringify of a string adds its two quotes.
  const sizes = [RESULT_LIMIT - 2, RESULT_LIMIT - 1];
  let i = 0;
  await using emulator = createEmulator({ clock, worker: () => "x".repeat(sizes[i++]!) });
  const api = client(emulator);
  const kept = (await api.post("/runsync", { input: {} })).body;
  assert.equal(kept.status, "COMPLETED");
  assert.equal(kept.output.length, RESULT_LIMIT - 2);
  const lost = (await api.post("/runsync", { input: {} })).body;
  assert.equal(lost.status, "COMPLETED");
  assert.equal("output" in lost, false);
  assert.equal("output" in (await api.get(`/status/${lost.id}`)).body, false);
});

Deno.test("the client gets a COMPLETED job without output when the result is over 20 MB", async () => {
  await using s = setup({ worker: () => ({ image: "é".repeat(RESULT_LIMIT / 2) }) });
  const job = await s.endpoint.runSync({ input: {} });
  assert.equal(job.status, "COMPLETED");
  assert.equal(job.output, undefined);
});

Deno.test("a stream item over 1 MB is split into items of at most 1 MB, whole characters, in order", async () => {
  using clock = new FakeClock();
  const big = "ab€".repeat(STREAM_ITEM_LIMIT / 2); // 2.5 MB in UTF-8
  await using emulator = createEmulator({
    clock,
    worker: async function* () {
      yield "small";
      yield big;
      yield { done: true };
    },
  });
  const api = client(emulator);
  const job = (await api.post("/runsync", { input: {} })).body;
  const { stream } = (await api.get(`/stream/${job.id}`)).body;
  const outputs = stream.map((item: { output: unknown }) => item.output);
  assert.equal(outputs[0], "small");
  assert.deepEqual(outputs.at(-1), { done: true });
  const pieces = outputs.slice(1, -1) as string[];
  assert.equal(pieces.length, 3);
  for (const piece of pieces) assert.ok(bytes(piece) <= STREAM_ITEM_LIMIT, `${bytes(piece)} bytes`);
  assert.equal(pieces.join(""), big);
});

Deno.test("a non-string stream item over 1 MB is split into pieces of its JSON text", async () => {
  await using s = setup({
    worker: async function* () {
      yield { data: "z".repeat(STREAM_ITEM_LIMIT) };
    },
  });
  const { id } = await s.endpoint.run({ input: {} });
  const pieces: unknown[] = [];
  for await (const item of s.endpoint.stream(id)) pieces.push(item.output);
  assert.equal(pieces.length, 2);
  assert.ok(pieces.every((piece) => typeof piece === "string"));
  assert.deepEqual(JSON.parse(pieces.join("")), { data: "z".repeat(STREAM_ITEM_LIMIT) });
});
