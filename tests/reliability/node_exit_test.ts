// Every call settles and leaves nothing behind, checked in Node: the process
// must exit right after its last call settles, after success, error, timeout
// and abort alike (a leftover timer, listener or open body would keep it
// alive). mod.ts is bundled with esbuild; the emulator is served here, on
// loopback, so the Node process holds nothing but the SDK and its fetch.
import assert from "node:assert/strict";
import { createEmulator } from "../../testing.ts";

const canRun = Deno.permissions.querySync({ name: "run" }).state === "granted";
/**
 * How long a Node process may live after its last call settled. The SDK's own
 * timers (a 30 s timeout, a 250 ms poll pause) are caught by the check of what
 * keeps the loop alive, which does not depend on the machine's speed; this
 * bound is a backstop for the rest, well under the SDK's 30 s default timeout
 * and loose enough for a slow, loaded machine (measured here: 0 to 320 ms).
 */
const EXIT_WITHIN_MS = 10_000;

const CASES: Record<string, string> = {
  "raw-fetch": "resolved",
  "success": "resolved",
  "stream": "resolved",
  "stream-break": "resolved",
  "error": "RunpodApiError",
  "error-after-retries": "RunpodApiError",
  "timeout": "TimeoutError",
  "abort": "AbortError",
};

function worker({ input, sleep }: { input: unknown; sleep(ms: number): Promise<void> }) {
  const { items, sleep: ms } = (input ?? {}) as { items?: number; sleep?: number };
  if (items) {
    return (async function* () {
      for (let i = 1; i <= items; i++) {
        await sleep(20);
        yield i;
      }
    })();
  }
  if (ms) return sleep(ms);
  return input;
}

async function bundle(): Promise<Uint8Array> {
  const entry = new URL("./_node_exit_child.ts", import.meta.url).pathname;
  const esbuild = new URL("../../node_modules/esbuild/bin/esbuild", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(esbuild, {
    args: [entry, "--bundle", "--format=esm", "--platform=node", "--log-level=warning"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return stdout;
}

async function runCase(script: Uint8Array, mode: string) {
  await using emulator = createEmulator({ worker });
  // `connection: close`: an idle keep-alive socket would keep Node alive a while
  // (raw fetch shows it too); this test is about what the SDK leaves behind.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request, info) => {
      const response = await emulator.handler(request, info);
      response.headers.set("connection", "close");
      return response;
    },
  );
  try {
    if (mode === "error-after-retries") emulator.inject("GET /health", { status: 503 }, 3);
    const child = new Deno.Command("node", {
      args: ["--input-type=module", "-"],
      env: { EXIT_CASE: mode, EXIT_BASE_URL: `http://127.0.0.1:${server.addr.port}/v2` },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const started = performance.now();
    const writer = child.stdin.getWriter();
    await writer.write(script);
    await writer.close();
    // A process that does not exit is killed after 20 s: the test then fails on its report.
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const { code, stdout, stderr } = await child.output();
    clearTimeout(killer);
    const lived = performance.now() - started;
    const text = new TextDecoder().decode(stdout).trim();
    assert.equal(code, 0, `${mode}: exit code ${code}: ${new TextDecoder().decode(stderr)}`);
    return { ...JSON.parse(text.split("\n").at(-1)!), lived };
  } finally {
    await emulator.close();
    await server.shutdown();
  }
}

Deno.test({
  name:
    "node: the process exits right after its last call settles, after success, error, timeout and abort",
  ignore: !canRun,
  async fn() {
    const script = await bundle();
    const reports = await Promise.all(Object.keys(CASES).map((mode) => runCase(script, mode)));
    for (const report of reports) {
      assert.equal(report.outcome, CASES[report.mode], `${report.mode}: ${JSON.stringify(report)}`);
      assert.ok(report.gap >= 0, `${report.mode}: the call never settled`);
      // Right after settling, only the fetch's socket (closed by the server) may remain:
      // no timer, no immediate, nothing else of the SDK's.
      assert.deepEqual(
        report.alive.filter((r: string) => r !== "TCPSocketWrap"),
        [],
        `${report.mode}: still alive after settling: ${report.alive}`,
      );
      assert.ok(
        report.gap < EXIT_WITHIN_MS,
        `${report.mode}: the process lived ${Math.round(report.gap)} ms after the call settled`,
      );
    }
    console.log(
      reports.map((r) =>
        `${r.mode}: ${r.outcome}, exit ${r.gap.toFixed(1)} ms after settling, alive ${r.alive}`
      )
        .join("\n"),
    );
  },
});
