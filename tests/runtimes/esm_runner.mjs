// The runtime matrix in Node and Bun, through `import` of the packed package.
// Copied next to the scratch project's node_modules, with checks.mjs.
// Usage: node esm_runner.mjs import BASE_URL CONTROL_URL
// deno-lint-ignore-file no-process-global
import * as sdk from "@runpod/sdk";
import * as testing from "@runpod/sdk/testing";
import * as testingNode from "@runpod/sdk/testing/node";
import * as worker from "@runpod/sdk/worker";
import OpenAI from "openai"; // the repository's openai, linked into the scratch project

// checks.mjs is compiled from checks.ts into the scratch project by the driver
// (a variable specifier, so that `deno check tests/` does not look for it here).
const checksModule = "./checks.mjs";
const {
  httpInject,
  printResults,
  runChecks,
  runLoadBalancerChecks,
  runOpenAIChecks,
  runServeNodeChecks,
  runTestingChecks,
  runWorkerChecks,
} = await import(
  checksModule
);

const [how, baseUrl, controlUrl] = process.argv.slice(2);
const label = process.versions.bun
  ? `bun-${process.versions.bun}-${how}`
  : `node-${process.versions.node}-${how}`;
const results = [
  ...await runChecks(sdk, { baseUrl, inject: httpInject(controlUrl) }),
  ...await runTestingChecks(sdk, testing),
  ...await runWorkerChecks(sdk, testing, worker),
  ...await runServeNodeChecks(sdk, testing, testingNode),
  ...await runOpenAIChecks(sdk, { baseUrl, inject: httpInject(controlUrl) }, OpenAI),
  ...await runLoadBalancerChecks(sdk, testing, worker),
];
process.exitCode = printResults(label, results) ? 0 : 1;
