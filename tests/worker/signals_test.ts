// SIGTERM and SIGINT on a real worker process (Deno), against a protocol server on loopback.
import assert from "node:assert/strict";

interface Server {
  base: string;
  /** Resolves once the job's handler runs (it asks the server for /release). */
  running: Promise<void>;
  results: Map<string, unknown>;
  release(): void;
  close(): Promise<void>;
}

function serve(): Server {
  let running!: () => void;
  const runningPromise = new Promise<void>((resolve) => (running = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const results = new Map<string, unknown>();
  let given = false;
  const holds = new AbortController();
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    async (req): Promise<Response> => {
      const url = new URL(req.url);
      if (url.pathname.includes("/job-take/") && !given) {
        given = true;
        return Response.json({ id: "job-1", input: { release: `${base}/release` } });
      }
      if (url.pathname.includes("/job-done/")) {
        results.set(url.pathname.split("/").pop()!, JSON.parse(await req.text()));
        return new Response(null);
      }
      if (url.pathname === "/release") {
        running();
        await released;
        return new Response("yes");
      }
      if (url.pathname.includes("/ping/")) return new Response(null);
      // Takes and stop polls are held until the worker gives them up.
      await new Promise((resolve) => {
        req.signal.addEventListener("abort", resolve);
        holds.signal.addEventListener("abort", resolve);
      });
      return new Response(null, { status: 204 });
    },
  );
  const base: string = `http://127.0.0.1:${server.addr.port}`;
  return {
    base,
    running: runningPromise,
    results,
    release,
    async close() {
      holds.abort();
      release();
      await server.shutdown();
    },
  };
}

function spawnWorker(base: string) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_signal_worker.ts", import.meta.url).pathname],
    env: {
      RUNPOD_WEBHOOK_GET_JOB: `${base}/v2/ep/job-take/$ID?gpu=x`,
      RUNPOD_WEBHOOK_POST_OUTPUT: `${base}/v2/ep/job-done/$RUNPOD_POD_ID/$ID?gpu=x`,
      RUNPOD_WEBHOOK_PING: `${base}/v2/ep/ping/$RUNPOD_POD_ID?gpu=x`,
      RUNPOD_POD_ID: "signal-worker",
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("SIGTERM: the worker takes nothing more, lets the job in hand finish and post, and exits 0", async () => {
  const server = serve();
  try {
    const child = spawnWorker(server.base);
    await server.running;
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.release();
    const { code, stdout } = await child.output();
    assert.equal(code, 0, new TextDecoder().decode(stdout));
    assert.deepEqual(server.results.get("job-1"), { output: { released: "yes" } });
  } finally {
    await server.close();
  }
});

Deno.test("a second SIGINT aborts the job in hand: its ctx.signal ends it, the error is posted, exit 0", async () => {
  const server = serve();
  try {
    const child = spawnWorker(server.base);
    await server.running;
    child.kill("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill("SIGINT");
    const { code } = await child.output();
    assert.equal(code, 0);
    const result = server.results.get("job-1") as { error: string };
    assert.equal(JSON.parse(result.error).error_type, "AbortError");
  } finally {
    await server.close();
  }
});
