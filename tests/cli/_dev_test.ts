// `runpod dev`: how it starts the worker on each runtime, which files are
// load-balancing workers, and (spawned by Deno from the sources) the cases
// of _dev_cases.ts.
import assert from "node:assert/strict";
import { exportsFetchHandler, isLoadBalancerSource } from "../../cli/_dev.ts";
import { evalCommand, workerCommand } from "../../cli/_dev_process.ts";
import { UsageError } from "../../cli/_exit.ts";
import { denoRunner } from "./_cli.ts";
import { devCases } from "./_dev_cases.ts";

Deno.test("runpod dev starts the worker on the runtime it runs on", () => {
  const node20 = { version: "20.20.2", typescript: undefined };
  assert.deepEqual(workerCommand("h.ts", "deno", node20, "/bin/deno"), [
    "/bin/deno",
    "run",
    "-A",
    "h.ts",
  ]);
  assert.deepEqual(workerCommand("h.ts", "bun", node20, "/bin/bun"), ["/bin/bun", "h.ts"]);
  assert.deepEqual(workerCommand("h.mjs", "node", node20, "/bin/node"), ["/bin/node", "h.mjs"]);
  assert.deepEqual(
    workerCommand("h.ts", "node", { version: "23.6.0", typescript: "strip" }, "/bin/node"),
    ["/bin/node", "h.ts"],
  );
  assert.deepEqual(
    workerCommand("h.ts", "node", { version: "22.6.0", typescript: undefined }, "/bin/node"),
    ["/bin/node", "--experimental-strip-types", "h.ts"],
  );
});

Deno.test("runpod dev refuses a .ts file on a Node that cannot strip types, saying what to do", () => {
  assert.throws(
    () => workerCommand("h.ts", "node", { version: "20.20.2", typescript: undefined }, "node"),
    (error: unknown) =>
      error instanceof UsageError &&
      /Node 20\.20\.2 cannot run TypeScript \('h\.ts'\): give it a JavaScript file/.test(
        error.message,
      ) && /Node 22\.6 or later/.test(error.message),
  );
});

Deno.test("runpod dev takes a file that imports serve from the SDK's worker module for a load-balancing worker", () => {
  assert.ok(isLoadBalancerSource(`import { serve } from "@runpod/sdk/worker";`));
  assert.ok(
    isLoadBalancerSource(`import { serve, type ServeOptions } from "jsr:@runpod/sdk/worker";`),
  );
  assert.ok(isLoadBalancerSource(`import {\n  serve,\n} from "../../worker.ts";`));
  assert.ok(!isLoadBalancerSource(`import { start } from "@runpod/sdk/worker";`));
  assert.ok(!isLoadBalancerSource(`import { serve } from "hono/deno";`));
});

Deno.test("runpod dev takes a file whose default export has a fetch for a load-balancing worker", () => {
  assert.ok(
    exportsFetchHandler(`export default { fetch(request) { return new Response("hi"); } };`),
  );
  assert.ok(exportsFetchHandler(`export default {\n  async fetch(req: Request) {},\n}`));
  assert.ok(!exportsFetchHandler(`export default function handler() {}`));
  assert.ok(!exportsFetchHandler(`start({ handler: (job) => fetch(job.input.url) });`));
});

Deno.test("runpod dev runs a fetch handler's wrapper module with each runtime's eval", () => {
  const node20 = { version: "20.20.2", typescript: undefined };
  assert.deepEqual(evalCommand("CODE", "app.ts", "deno", node20, "deno"), ["deno", "eval", "CODE"]);
  assert.deepEqual(evalCommand("CODE", "app.ts", "bun", node20, "bun"), ["bun", "-e", "CODE"]);
  assert.deepEqual(evalCommand("CODE", "app.mjs", "node", node20, "node"), [
    "node",
    "--input-type=module",
    "-e",
    "CODE",
  ]);
  assert.throws(() => evalCommand("CODE", "app.ts", "node", node20, "node"), UsageError);
});

devCases(denoRunner, {
  dir: () => Deno.makeTempDir({ prefix: "runpod-dev-" }),
  worker: new URL("../../worker.ts", import.meta.url).href,
  ext: ".ts",
});
