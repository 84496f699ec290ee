// `runpod dev`: how it starts the worker on each runtime, which files are
// load-balancing workers, and (spawned by Deno from the sources) the cases
// of _dev_cases.ts.
import assert from "node:assert/strict";
import { isLoadBalancerSource } from "../../cli/_dev.ts";
import { workerCommand } from "../../cli/_dev_process.ts";
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

devCases(denoRunner, {
  dir: () => Deno.makeTempDir({ prefix: "runpod-dev-" }),
  worker: new URL("../../worker.ts", import.meta.url).href,
  ext: ".ts",
});
