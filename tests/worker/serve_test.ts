// serve over real loopback HTTP in Deno: the health contract on PORT and
// PORT_HEALTH, the environment, streaming, the drain on shutdown and on
// SIGTERM (in a child process). The app is a handler of Hono's shape (hono is
// not a dependency of this project).
import assert from "node:assert/strict";
import { serve } from "../../worker.ts";

/** A free loopback port (listened on, then closed). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function status(url: string): Promise<number> {
  const answer = await fetch(url);
  await answer.body?.cancel();
  return answer.status;
}

const app = {
  fetch: async (request: Request) => {
    const url = new URL(request.url);
    return Response.json({ path: url.pathname, body: await request.text() });
  },
};

Deno.test("serve() answers the health path 204 until ready, then 200, and the app's paths", async () => {
  let loaded = false;
  await using server = await serve(app.fetch, {
    ready: () => loaded,
    port: 0,
    hostname: "127.0.0.1",
    handleSignals: false,
  });
  const base = `http://127.0.0.1:${server.port}`;
  assert.equal(server.healthPort, server.port);
  assert.equal(await status(`${base}/ping`), 204);
  loaded = true;
  assert.equal(await status(`${base}/ping`), 200);
  const answer = await fetch(`${base}/generate`, { method: "POST", body: "hi" });
  assert.deepEqual(await answer.json(), { path: "/generate", body: "hi" });
});

Deno.test("serve() answers health on PORT_HEALTH when it differs from PORT, and honours HEALTH_CHECK_PATH", async () => {
  const healthPort = freePort();
  const saved = ["PORT", "PORT_HEALTH", "HEALTH_CHECK_PATH"].map((n) =>
    [n, Deno.env.get(n)] as const
  );
  Deno.env.set("PORT", "0");
  Deno.env.set("PORT_HEALTH", String(healthPort));
  Deno.env.set("HEALTH_CHECK_PATH", "/healthz");
  try {
    await using server = await serve(app.fetch, { hostname: "127.0.0.1", handleSignals: false });
    assert.equal(server.healthPort, healthPort);
    assert.notEqual(server.port, healthPort);
    assert.equal(await status(`http://127.0.0.1:${healthPort}/healthz`), 200);
    assert.equal(await status(`http://127.0.0.1:${healthPort}/generate`), 404);
    const answer = await fetch(`http://127.0.0.1:${server.port}/generate`);
    assert.equal((await answer.json()).path, "/generate");
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
});

Deno.test("serve() streams the app's answer as it is written", async () => {
  let push: ((text: string | null) => void) | undefined;
  const encoder = new TextEncoder();
  await using server = await serve(() =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) =>
            text === null ? controller.close() : controller.enqueue(encoder.encode(text));
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    ), { port: 0, hostname: "127.0.0.1", handleSignals: false });
  const answer = await fetch(`http://127.0.0.1:${server.port}/events`);
  const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
  push!("data: 1\n\n");
  assert.equal((await reader.read()).value, "data: 1\n\n");
  push!("data: 2\n\n");
  assert.equal((await reader.read()).value, "data: 2\n\n");
  push!(null);
  assert.equal((await reader.read()).done, true);
});

Deno.test("serve()'s shutdown() drains: requests in flight finish, health answers 503, then it stops", async () => {
  let release: (() => void) | undefined;
  const server = await serve(async (request) => {
    if (new URL(request.url).pathname === "/slow") {
      await new Promise<void>((resolve) => (release = resolve));
      return new Response("finished");
    }
    return new Response("fast");
  }, { port: 0, hostname: "127.0.0.1", handleSignals: false });
  const base = `http://127.0.0.1:${server.port}`;
  const slow = fetch(`${base}/slow`);
  while (release === undefined) await new Promise((r) => setTimeout(r, 5));
  const stopping = server.shutdown();
  assert.equal(await status(`${base}/ping`), 503);
  release();
  assert.equal(await (await slow).text(), "finished");
  await stopping;
  await server.finished;
  await assert.rejects(fetch(`${base}/ping`));
});

Deno.test("serve() refuses a bad port with RangeError", async () => {
  await assert.rejects(serve(app.fetch, { port: 70_000 }), RangeError);
  await assert.rejects(serve(app.fetch, { port: 1.5 }), RangeError);
});

Deno.test("a worker run by serve() drains on SIGTERM: the request in flight finishes, then the process ends", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      new URL("./_sigterm_child.ts", import.meta.url).pathname,
    ],
    env: { PORT: "0" },
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) text += (await lines.read()).value ?? "";
  const { port } = JSON.parse(text.split("\n")[0]!);
  const base = `http://127.0.0.1:${port}`;
  const slow = fetch(`${base}/slow`);
  while (!text.includes("slow\n")) text += (await lines.read()).value ?? ""; // /slow is in flight
  child.kill("SIGTERM");
  let health = 0;
  while (health !== 503) health = await status(`${base}/ping`); // draining now
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("go\n"));
  await writer.close();
  assert.equal(await (await slow).text(), "finished");
  while (true) {
    const next = await lines.read();
    if (next.done) break;
    text += next.value;
  }
  assert.match(text, /stopped/);
  assert.equal((await child.status).code, 0);
});
