import assert from "node:assert/strict";
import { createEmulator, FakeClock, parseWebhook, type WebhookPayload } from "../../testing.ts";
import { client } from "../_helpers/raw_client.ts";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { failing } from "../_helpers/workers.ts";

function receiver(clock: FakeClock, statuses: number[]) {
  const received: { at: number; payload: WebhookPayload; url: string }[] = [];
  const webhookFetch = async (input: Request | URL | string, init?: RequestInit) => {
    const request = new Request(input, init);
    received.push({ at: clock.now(), payload: await parseWebhook(request), url: request.url });
    return new Response("ok", { status: statuses.shift() ?? 200 });
  };
  return { received, webhookFetch: webhookFetch as typeof fetch };
}

Deno.test("a finished job is POSTed to its webhook with its id, status, input, output and times", async () => {
  using clock = new FakeClock();
  const { received, webhookFetch } = receiver(clock, []);
  await using emulator = createEmulator({
    clock,
    webhookFetch,
    worker: async (job) => {
      await job.sleep(2000);
      return { answer: 42 };
    },
  });
  const url = "https://hooks.example/runpod?secret=s";
  const id = (await client(emulator).post("/runsync", { input: { q: 1 }, webhook: url })).body.id;
  await clock.advance(0);
  assert.equal(received.length, 1);
  assert.equal(received[0]!.url, url);
  assert.deepEqual(received[0]!.payload, {
    id,
    status: "COMPLETED",
    input: { q: 1 },
    output: { answer: 42 },
    delayTime: 0,
    executionTime: 2000,
    webhook: url,
  });
  assert.equal(emulator.webhooks.length, 1);
  assert.equal(emulator.webhooks[0]!.status, 200);
});

Deno.test("a FAILED job's webhook carries its error", async () => {
  using clock = new FakeClock();
  const { received, webhookFetch } = receiver(clock, []);
  await using emulator = createEmulator({
    clock,
    webhookFetch,
    worker: failing("bad"),
  });
  await client(emulator).post("/runsync", { input: 1, webhook: "https://hooks.example/" });
  await clock.advance(0);
  assert.equal(received[0]?.payload.status, "FAILED");
  assert.equal(JSON.parse(String(received[0]!.payload.error)).error_message, "bad");
  assert.equal("output" in received[0]!.payload, false);
});

Deno.test("a webhook answered non-200 is retried up to 2 more times, 10 s apart", async () => {
  using clock = new FakeClock();
  const { received, webhookFetch } = receiver(clock, [500, 201, 500, 200]);
  await using emulator = createEmulator({ clock, webhookFetch });
  await client(emulator).post("/runsync", { input: 1, webhook: "https://hooks.example/" });
  await clock.advance(60_000);
  assert.equal(received.length, 3);
  assert.deepEqual(received.map((r) => r.at - received[0]!.at), [0, 10_000, 20_000]);
  assert.deepEqual(emulator.webhooks.map((w) => [w.attempt, w.status]), [[1, 500], [2, 201], [
    3,
    500,
  ]]);
});

Deno.test("a webhook whose POST fails is retried, and stops once answered 200", async () => {
  using clock = new FakeClock();
  let calls = 0;
  const webhookFetch = (() => {
    calls++;
    return calls === 1
      ? Promise.reject(new TypeError("connection refused"))
      : Promise.resolve(new Response(null));
  }) as typeof fetch;
  await using emulator = createEmulator({ clock, webhookFetch });
  await client(emulator).post("/runsync", { input: 1, webhook: "https://hooks.example/" });
  await clock.advance(60_000);
  assert.equal(calls, 2);
  assert.equal(emulator.webhooks[0]?.error, "connection refused");
  assert.equal(emulator.webhooks[1]?.status, 200);
});

Deno.test("close() stops webhook retries still waiting", async () => {
  using clock = new FakeClock({ autoAdvance: false });
  const { received, webhookFetch } = receiver(clock, [500]);
  const emulator = createEmulator({ clock, webhookFetch });
  await client(emulator).run(1, { webhook: "https://hooks.example/" });
  await clock.advance(0);
  assert.equal(received.length, 1);
  await emulator.close();
  await clock.advance(30_000);
  assert.equal(received.length, 1);
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("parseWebhook reads a webhook request and rejects a body that is not a job", async () => {
  const post = (body: string) => new Request("https://hooks.example/", { method: "POST", body });
  const payload = await parseWebhook(post('{"id":"j1","status":"TIMED_OUT","executionTime":5000}'));
  assert.equal(payload.id, "j1");
  assert.equal(payload.status, "TIMED_OUT");
  for (
    const bad of [
      "",
      "not json",
      "[]",
      '{"id":1,"status":"COMPLETED"}',
      '{"id":"a"}',
      '{"id":"a","status":"COMPLETED","delayTime":"3"}',
    ]
  ) {
    await assertRejects(parseWebhook(post(bad)), TypeError, undefined, bad);
  }
});
