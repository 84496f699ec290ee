// The runtime matrix in Deno, through mod.ts and testing.ts as JSR users get them.
// Usage: deno run --allow-net=127.0.0.1 --allow-env tests/runtimes/deno_runner.ts BASE_URL CONTROL_URL
// (--allow-env: the openai package reads its OPENAI_* variables)
import * as sdk from "../../mod.ts";
import * as testing from "../../testing.ts";
import * as worker from "../../worker.ts";
import OpenAI from "openai";
import {
  httpInject,
  printResults,
  runChecks,
  runLoadBalancerChecks,
  runOpenAIChecks,
  runTestingChecks,
  runWorkerChecks,
} from "./checks.ts";

const [baseUrl, controlUrl] = Deno.args;
if (!baseUrl || !controlUrl) throw new TypeError("usage: deno_runner.ts <baseUrl> <controlUrl>");
const results = [
  ...await runChecks(sdk, { baseUrl, inject: httpInject(controlUrl) }),
  ...await runTestingChecks(sdk, testing),
  ...await runWorkerChecks(sdk, testing, worker),
  ...await runOpenAIChecks(sdk, { baseUrl, inject: httpInject(controlUrl) }, OpenAI),
  ...await runLoadBalancerChecks(sdk, testing, worker),
];
Deno.exit(printResults(`deno-${Deno.version.deno}`, results) ? 0 : 1);
