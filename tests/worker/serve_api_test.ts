import assert from "node:assert/strict";
import runpodSdk from "../../mod.ts";
import { start } from "../../worker.ts";

Deno.test("--serve-api serves the emulator on a port with the handler as its worker: bare /runsync without a key, and the SDK on /v2/local", async () => {
  const lines: string[] = [];
  const exits: number[] = [];
  const handle = start({
    args: ["--serve-api", "--port", "0"],
    env: {},
    handleSignals: false,
    logger: { log: (_level, message) => void lines.push(message) },
    exit: (code) => void exits.push(code),
    handler: async (job, ctx) => {
      await ctx.progress("half");
      return { text: `hello ${job.input.name}` };
    },
  });
  try {
    while (!lines.some((l) => l.startsWith("serving the local API at "))) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const url = /at (http:\/\/[^:]+:\d+)/.exec(lines.find((l) => l.startsWith("serving"))!)![1]!;
    const answer = await fetch(`${url}/runsync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: { name: "Ada" } }),
    });
    const job = await answer.json();
    assert.equal(job.status, "COMPLETED");
    assert.deepEqual(job.output, { text: "hello Ada" });

    const endpoint = runpodSdk("local-key", { baseUrl: `${url}/v2` }).endpoint("local");
    const viaSdk = await endpoint.runSync({ input: { name: "Bo" } }, 10_000);
    assert.deepEqual(viaSdk.output, { text: "hello Bo" });
    assert.ok(lines.some((l) => l.includes("RUNPOD_BASE_URL=") && l.includes("ENDPOINT_ID=local")));
  } finally {
    await handle.stop();
  }
  assert.equal(await handle.done, 0);
  assert.deepEqual(exits, []);
});

Deno.test("--serve-api on a port already taken logs why and ends with 1", async () => {
  const blocker = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response(),
  );
  try {
    const lines: string[] = [];
    const exits: number[] = [];
    const handle = start({
      args: ["--rp_serve_api", "--rp_api_port", String(blocker.addr.port)],
      env: {},
      handleSignals: false,
      logger: { log: (_level, message) => void lines.push(message) },
      exit: (code) => void exits.push(code),
      handler: () => 1,
    });
    assert.equal(await handle.done, 1);
    assert.deepEqual(exits, [1]);
    assert.ok(lines.some((l) => l.startsWith("the local API could not be served")));
  } finally {
    await blocker.shutdown();
  }
});
