/**
 * Serves the emulator of `@runpod/sdk/testing` over real HTTP in Node.js:
 * `@runpod/sdk/testing/node`.
 *
 * `emulator.fetch` needs no server, and `emulator.handler` plugs into
 * `Deno.serve`, `Bun.serve` or a Worker's `fetch`. Node has no built-in
 * server that takes a web-standard handler, so {@linkcode serveNode} adapts
 * one to `node:http`: point any HTTP client (another SDK, `curl`, a browser
 * page, a child process) at `server.url + "/v2"`. An injected `drop` fault
 * destroys the socket before anything is sent, as a lost connection does;
 * a client that goes away ends its held `/runsync` or `/stream` poll.
 *
 * This entry imports `node:http` and `node:stream`; it runs on Node.js 20.19+,
 * and also on Deno and Bun. The rest of the SDK uses web standards only.
 *
 * @example Serving the emulator to a client over HTTP
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import { serveNode } from "@runpod/sdk/testing/node";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({ worker: (job) => ({ echo: job.input }) });
 * await using server = await serveNode(emulator.handler);
 * const endpoint = runpodSdk("test-key", { baseUrl: `${server.url}/v2` })
 *   .endpoint("test-endpoint");
 * const job = await endpoint.runSync({ input: "hi" });
 * assert.deepEqual(job.output, { echo: "hi" });
 * ```
 *
 * @module
 */
export { type NodeServer, serveNode, type ServeNodeOptions } from "./src/testing/serve_node.ts";
