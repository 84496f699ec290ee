// The runtime matrix in Node, through `require()` of the packed package
// (Node's require(esm), unflagged since Node 20.19).
// Usage: node cjs_runner.cjs require BASE_URL CONTROL_URL
// deno-lint-ignore-file no-process-global
const sdk = require("@runpod/sdk");
const testing = require("@runpod/sdk/testing");
const testingNode = require("@runpod/sdk/testing/node");
const worker = require("@runpod/sdk/worker");
const { OpenAI } = require("openai"); // the repository's openai, linked into the scratch project
const {
  httpInject,
  printResults,
  runChecks,
  runOpenAIChecks,
  runServeNodeChecks,
  runTestingChecks,
  runWorkerChecks,
} = require("./checks.cjs");

const [how, baseUrl, controlUrl] = process.argv.slice(2);
const label = `node-${process.versions.node}-${how}`;
(async () => {
  if (typeof sdk.default !== "function" || typeof sdk.runpodSdk !== "function") {
    throw new Error("require('@runpod/sdk') did not give the module's exports");
  }
  const results = [
    ...await runChecks(sdk, { baseUrl, inject: httpInject(controlUrl) }),
    ...await runTestingChecks(sdk, testing),
    ...await runWorkerChecks(sdk, testing, worker),
    ...await runServeNodeChecks(sdk, testing, testingNode),
    ...await runOpenAIChecks(sdk, { baseUrl, inject: httpInject(controlUrl) }, OpenAI),
  ];
  process.exitCode = printResults(label, results) ? 0 : 1;
})().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
