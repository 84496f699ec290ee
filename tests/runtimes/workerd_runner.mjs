// The runtime matrix in Cloudflare Workers: runs the bundled worker in workerd
// through miniflare's API and sends it one request, which runs every check.
// Usage: node workerd_runner.mjs REPO_ROOT WORKER_BUNDLE BASE_URL CONTROL_URL
// deno-lint-ignore-file no-process-global
import { createRequire } from "node:module";

// checks.mjs is compiled from checks.ts into the scratch project by the driver
// (a variable specifier, so that `deno check tests/` does not look for it here).
const checksModule = "./checks.mjs";
const { printResults } = await import(checksModule);

const [root, scriptPath, baseUrl, controlUrl] = process.argv.slice(2);
const require = createRequire(`${root}/package.json`);
const { Miniflare } = require("miniflare");
const version = require("miniflare/package.json").version;

/** The newest compatibility date this workerd binary accepts. */
const COMPATIBILITY_DATE = "2026-05-01";

const mf = new Miniflare({
  modules: true,
  scriptPath,
  compatibilityDate: COMPATIBILITY_DATE,
  bindings: { BASE_URL: baseUrl, CONTROL_URL: controlUrl },
  log: undefined,
});
let ok = false;
try {
  const response = await mf.dispatchFetch("http://worker.test/");
  const text = await response.text();
  if (!response.ok) throw new Error(`The worker answered HTTP ${response.status}: ${text}`);
  ok = printResults(`workerd-miniflare-${version}`, JSON.parse(text));
} catch (error) {
  console.error(error);
} finally {
  await mf.dispose();
}
process.exitCode = ok ? 0 : 1;
