// workerHandler: the health contract and the count of requests in flight,
// as a web-standard function without a server. The app is a handler of
// Hono's shape (an object whose `fetch` is a bound arrow function): hono is
// not a dependency of this project.
import assert from "node:assert/strict";
import { workerHandler } from "../../worker.ts";

/** An app shaped like Hono's: `app.fetch` works detached. */
class App {
  fetch = (request: Request): Response | Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === "/stream") return new Response(this.body ?? "");
    return Response.json({ path, method: request.method });
  };
  body: ReadableStream<Uint8Array> | undefined;
}

const at = (path: string, init?: RequestInit) => new Request(`http://worker${path}`, init);

Deno.test("workerHandler answers the health path 204 until ready() is true, then 200", async () => {
  let loaded = false;
  const worker = workerHandler(new App().fetch, { ready: () => loaded });
  assert.equal((await worker.fetch(at("/ping"))).status, 204);
  loaded = true;
  assert.equal((await worker.fetch(at("/ping"))).status, 200);
});

Deno.test("workerHandler takes an async ready(), and one that throws as not ready", async () => {
  let step = 0;
  const worker = workerHandler(new App().fetch, {
    ready: () => {
      step++;
      if (step === 1) throw new Error("still loading");
      return Promise.resolve(step > 2);
    },
  });
  assert.deepEqual(
    [
      (await worker.fetch(at("/ping"))).status,
      (await worker.fetch(at("/ping"))).status,
      (await worker.fetch(at("/ping"))).status,
    ],
    [204, 204, 200],
  );
});

Deno.test("workerHandler without ready() is ready at once, on its own health path", async () => {
  const worker = workerHandler(new App().fetch, { healthPath: "/health" });
  assert.equal((await worker.fetch(at("/health"))).status, 200);
  // /ping is then the app's path like any other.
  assert.deepEqual(await (await worker.fetch(at("/ping"))).json(), {
    path: "/ping",
    method: "GET",
  });
});

Deno.test("workerHandler hands every other path to the app, with its method and body", async () => {
  const worker = workerHandler(async (request) => Response.json(await request.json()));
  const answer = await worker.fetch(at("/generate", { method: "POST", body: '{"prompt":"Hi"}' }));
  assert.deepEqual(await answer.json(), { prompt: "Hi" });
  assert.equal(worker.inFlight, 0);
});

Deno.test("workerHandler counts a streamed answer in flight until its body ends", async () => {
  const app = new App();
  let close: (() => void) | undefined;
  app.body = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("data: 1\n\n"));
      close = () => controller.close();
    },
  });
  const worker = workerHandler(app.fetch);
  const answer = await worker.fetch(at("/stream"));
  assert.equal(worker.inFlight, 1);
  const reading = answer.text();
  close!();
  assert.equal(await reading, "data: 1\n\n");
  assert.equal(worker.inFlight, 0);
});

Deno.test("workerHandler's drain() answers 503 to new requests and resolves once those in flight end", async () => {
  const app = new App();
  let close: (() => void) | undefined;
  app.body = new ReadableStream({ start: (controller) => void (close = () => controller.close()) });
  const worker = workerHandler(app.fetch);
  const answer = await worker.fetch(at("/stream"));
  let drained = false;
  const draining = worker.drain().then(() => (drained = true));
  assert.equal((await worker.fetch(at("/ping"))).status, 503);
  assert.equal((await worker.fetch(at("/other"))).status, 503);
  await Promise.resolve();
  assert.equal(drained, false);
  const reading = answer.text();
  close!();
  await reading;
  await draining;
  assert.equal(drained, true);
});

Deno.test("workerHandler's drain() called twice resolves both calls once the request in flight ends", async () => {
  const app = new App();
  let close: (() => void) | undefined;
  app.body = new ReadableStream({ start: (controller) => void (close = () => controller.close()) });
  const worker = workerHandler(app.fetch);
  const answer = await worker.fetch(at("/stream"));
  const ended: string[] = [];
  const first = worker.drain().then(() => ended.push("first"));
  const second = worker.drain().then(() => ended.push("second"));
  await Promise.resolve();
  assert.deepEqual(ended, []);
  const reading = answer.text();
  close!();
  await reading;
  await Promise.all([first, second]);
  assert.deepEqual(ended, ["first", "second"]);
  assert.equal(worker.inFlight, 0);
});

Deno.test("workerHandler counts a request whose handler throws as ended", async () => {
  const worker = workerHandler(() => {
    throw new Error("boom");
  });
  await assert.rejects(worker.fetch(at("/x")), /boom/);
  assert.equal(worker.inFlight, 0);
  await worker.drain();
});

Deno.test("workerHandler refuses a handler that is not a function, or a bad health path, with TypeError", () => {
  assert.throws(() => workerHandler({} as never), TypeError);
  assert.throws(
    () => workerHandler(() => new Response(), { healthPath: "ping" }),
    /must start with '\/', received 'ping'$/,
  );
  // A path from the environment (HEALTH_CHECK_PATH) is echoed escaped: a newline cannot forge a log line.
  assert.throws(
    () => workerHandler(() => new Response(), { healthPath: "ping\nFAKE LOG LINE" }),
    (error: Error) =>
      error instanceof TypeError && !error.message.includes("\n") &&
      error.message.includes("ping\\u000aFAKE LOG LINE"),
  );
  assert.throws(() => workerHandler(() => new Response(), { ready: true as never }), TypeError);
});

Deno.test("workerHandler and serve refuse a misspelt option with a TypeError naming the closest", async () => {
  assert.throws(
    () => workerHandler(() => new Response(), { redy: () => true } as never),
    /'ready'/,
  );
  const { serve } = await import("../../worker.ts");
  await assert.rejects(serve(() => new Response(), { prot: 0 } as never), /did you mean 'port'/);
});
