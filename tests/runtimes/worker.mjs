// The runtime matrix in Cloudflare Workers: bundled by esbuild with the packed
// package and run in workerd by workerd_runner.mjs. One request runs every
// check (a stream, a timeout, an abort, retries) and answers their results.
import * as sdk from "@runpod/sdk";
import * as testing from "@runpod/sdk/testing";
import OpenAI from "openai"; // bundled by esbuild from the repository's node_modules
import {
  httpInject,
  runChecks,
  runOpenAIChecks,
  runTestingChecks,
  skippedWorkerChecks,
} from "./checks.ts";

export default {
  /**
   * @param {Request} _request
   * @param {{ BASE_URL: string, CONTROL_URL: string }} env
   */
  async fetch(_request, env) {
    const results = [
      ...await runChecks(sdk, { baseUrl: env.BASE_URL, inject: httpInject(env.CONTROL_URL) }),
      ...await runTestingChecks(sdk, testing),
      ...skippedWorkerChecks("workerd"),
      ...await runOpenAIChecks(
        sdk,
        { baseUrl: env.BASE_URL, inject: httpInject(env.CONTROL_URL) },
        OpenAI,
      ),
    ];
    return Response.json(results);
  },
};
