// The worker runtime against this project's emulator serving an external
// endpoint over RunPod's worker protocol (in-process fetch, fake clock).
import assert from "node:assert/strict";
import runpodSdk, { parseWorkerError } from "../../mod.ts";
import { createEmulator, FakeClock } from "../../testing.ts";
import { start } from "../../worker.ts";

function setup() {
  const clock = new FakeClock();
  const emulator = createEmulator({ clock, endpoints: [{ id: "ext", external: true }] });
  const endpoint = runpodSdk("test-key", {
    baseUrl: emulator.baseUrl,
    fetch: emulator.fetch,
    clock,
  })
    .endpoint("ext");
  return { clock, emulator, endpoint };
}

Deno.test("start() serves an external endpoint of the emulator: runSync, a thrown error, a stream and a cancel", async () => {
  const { clock, emulator, endpoint } = setup();
  await using _emulator = emulator;
  using _clock = clock;
  const worker = start({
    env: emulator.workerEnv("ext", { workerId: "gpu-1" }),
    fetch: emulator.fetch,
    clock,
    args: [],
    handleSignals: false,
    logger: { log: () => {} },
    concurrency: 2,
    returnAggregateStream: true,
    handler: async function (job, ctx) {
      if (job.input.fail) throw new RangeError("bad prompt");
      if (job.input.stream) {
        return (async function* () {
          yield "a";
          yield "b";
        })();
      }
      if (job.input.wait) {
        return await new Promise((_resolve, reject) =>
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))
        );
      }
      await ctx.progress("half");
      return { text: `hello ${job.input.name}` };
    },
  });
  const done = await endpoint.runSync({ input: { name: "Ada" } }, 60_000);
  assert.equal(done.status, "COMPLETED");
  assert.deepEqual(done.output, { text: "hello Ada" });

  const failed = await endpoint.runSync({ input: { fail: true } }, 60_000);
  assert.equal(failed.status, "FAILED");
  assert.equal(parseWorkerError(failed.error)?.type, "RangeError");

  const streamed = await endpoint.run({ input: { stream: true } });
  const items: unknown[] = [];
  for await (const item of endpoint.stream(streamed.id)) items.push(item.output);
  assert.deepEqual(items, ["a", "b"]);

  const waiting = await endpoint.run({ input: { wait: true } });
  while ((await endpoint.status(waiting.id)).status !== "IN_PROGRESS") {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await endpoint.cancel(waiting.id);
  await worker.stop();
  assert.equal((await endpoint.status(waiting.id)).status, "CANCELLED");
});
