// Bundled by node_exit_test.ts (esbuild) and run by `node`: makes one call
// against the emulator the test serves on loopback, then does nothing more.
// On exit it prints how long the process lived after the call settled:
// a timer, listener or socket the SDK left behind would keep it alive.
import process from "node:process";
import { writeSync } from "node:fs";
import runpodSdk from "../../mod.ts";

const mode = process.env.EXIT_CASE ?? "";
const baseUrl = process.env.EXIT_BASE_URL ?? "";
let settledAt: number | undefined;
let outcome = "pending";
/** What keeps the event loop alive just after the call settled (stdio pipes aside). */
let alive: string[] = [];

process.on("exit", () => {
  const gap = settledAt === undefined ? -1 : performance.now() - settledAt;
  writeSync(1, `${JSON.stringify({ mode, outcome, gap, alive })}\n`);
});

async function run(): Promise<unknown> {
  const endpoint = runpodSdk("test-key", { baseUrl }).endpoint<unknown, unknown>("test-endpoint");
  switch (mode) {
    case "success":
      return await endpoint.runSync({ input: "hello" });
    case "stream": {
      const { id } = await endpoint.run({ input: { items: 3 } });
      const items = [];
      for await (const item of endpoint.stream(id)) items.push(item.output);
      return items;
    }
    case "stream-break": {
      const { id } = await endpoint.run({ input: { items: 3 } });
      for await (const _ of endpoint.stream(id)) break;
      return;
    }
    case "raw-fetch": {
      // The baseline: one fetch and its body, without the SDK.
      const response = await fetch(`${baseUrl}/test-endpoint/health`, {
        headers: { authorization: "Bearer test-key" },
      });
      return await response.text();
    }
    case "error":
      return await runpodSdk("wrong-key", { baseUrl }).endpoint("test-endpoint").health();
    case "error-after-retries":
      return await endpoint.health(); // the test makes /health answer 503 three times
    case "timeout":
      return await endpoint.runSync({ input: { sleep: 60_000 } }, { timeout: 300 });
    case "abort": {
      const { id } = await endpoint.run({ input: { sleep: 60_000 } });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      return await endpoint.waitFor(id, { signal: controller.signal, cancelOnAbort: true });
    }
  }
  throw new Error(`unknown case '${mode}'`);
}

run().then(
  () => (outcome = "resolved"),
  (error) => (outcome = error?.name ?? String(error)),
).finally(() => {
  settledAt = performance.now();
  setImmediate(() => {
    // Node >= 17; @types/node 20.9 does not declare it.
    const info = (process as unknown as { getActiveResourcesInfo(): string[] })
      .getActiveResourcesInfo();
    alive = info.filter((r) => r !== "PipeWrap" && r !== "TTYWrap");
  });
});
