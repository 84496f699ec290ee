// The runtime matrix in headless Chromium: serves a page on loopback that loads
// the packed package's ESM build (by name, through an import map) and runs
// every check against the emulator on another loopback origin, through CORS.
// Usage: node browser_runner.mjs REPO_ROOT SCRATCH_DIR BASE_URL CONTROL_URL
// deno-lint-ignore-file no-process-global
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";

// checks.mjs is compiled from checks.ts into the scratch project by the driver
// (a variable specifier, so that `deno check tests/` does not look for it here).
const checksModule = "./checks.mjs";
const { printResults } = await import(checksModule);

const [root, scratch, baseUrl, controlUrl] = process.argv.slice(2);
const require = createRequire(`${root}/package.json`);
const { chromium } = require("playwright-core");

const page = `<!doctype html>
<meta charset="utf-8">
<title>@runpod/sdk runtime matrix</title>
<link rel="icon" href="data:,">
<script type="importmap">
{ "imports": {
  "@runpod/sdk": "/node_modules/@runpod/sdk/esm/mod.js",
  "@runpod/sdk/testing": "/node_modules/@runpod/sdk/esm/testing.js",
  "openai": "/node_modules/openai/index.mjs"
} }
</script>
<script type="module">
import * as sdk from "@runpod/sdk";
import * as testing from "@runpod/sdk/testing";
import OpenAI from "openai";
import { httpInject, runChecks, runOpenAIChecks, runTestingChecks, skippedWorkerChecks } from "/checks.mjs";

const params = new URLSearchParams(location.search);
try {
  window.__results = [
    ...await runChecks(sdk, { baseUrl: params.get("base"), inject: httpInject(params.get("control")) }),
    ...await runTestingChecks(sdk, testing),
    ...skippedWorkerChecks("Chromium"),
    ...await runOpenAIChecks(sdk, { baseUrl: params.get("base"), inject: httpInject(params.get("control")) }, OpenAI),
  ];
} catch (error) {
  window.__results = [{ name: "the page runs the checks", ok: false, ms: 0, error: String(error) }];
}
</script>
`;

const server = createServer(async (request, response) => {
  const path = new URL(request.url ?? "/", "http://x").pathname;
  if (path === "/") {
    response.writeHead(200, { "content-type": "text/html" }).end(page);
    return;
  }
  const file = normalize(join(scratch, path));
  if (!file.startsWith(scratch) || !/\.(m?js)$/.test(file)) {
    response.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, { "content-type": "text/javascript" }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());

let ok = false;
let context;
try {
  context = await chromium.launchPersistentContext(join(scratch, "chromium-profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30_000,
  });
  const tab = context.pages()[0] ?? await context.newPage();
  const session = await context.newCDPSession(tab);
  const { product } = await session.send("Browser.getVersion");
  const version = product.split("/")[1] ?? "unknown";
  await session.detach();
  tab.on("pageerror", (error) => console.error(`[page error] ${error}`));
  tab.on("console", (message) => {
    // The checks provoke 429 and 400 answers on purpose: Chromium logs each.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      console.error(`[page console] ${message.text()}`);
    }
  });
  const query = new URLSearchParams({ base: baseUrl, control: controlUrl });
  await tab.goto(`http://127.0.0.1:${port}/?${query}`);
  const handle = await tab.waitForFunction(() => globalThis.__results, undefined, {
    timeout: 45_000,
  });
  ok = printResults(`chromium-${version}`, await handle.jsonValue());
} catch (error) {
  console.error(error);
} finally {
  await context?.close().catch(() => {});
  await new Promise((resolve) => server.close(resolve));
}
process.exitCode = ok ? 0 : 1;
