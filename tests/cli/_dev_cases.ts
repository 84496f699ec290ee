// `runpod dev HANDLER_FILE`, run as a child process: the handler file (written
// to a temp dir) runs as a real worker process, a job goes through it, the
// file changes, and the next job is answered by the new code. The same cases
// run for Deno (from the sources, _dev_test.ts) and Node (the npm package's
// bin, node_test.ts). Every wait is on a line the command prints.
import assert from "node:assert/strict";
import runpodSdk from "../../mod.ts";
import { Cli, type Runner } from "./_cli.ts";

/** Where a case writes its handler file, and how that file imports `@runpod/sdk/worker`. */
export interface DevSetup {
  /** Makes a fresh directory for a handler file. */
  dir(): Promise<string>;
  /** The module specifier of `@runpod/sdk/worker` from that directory. */
  worker: string;
  /** The handler file's extension (".ts", or ".mjs" for a Node without type stripping). */
  ext: string;
}

/** The printed --json line of `runpod dev`. */
interface Served {
  baseUrl: string;
  apiKey: string;
  loadBalancerUrl?: string;
}

/** Registers the cases for `runner`. */
export function devCases(runner: Runner, setup: DevSetup): void {
  const test = (name: string, fn: () => Promise<void>) =>
    Deno.test({ name: `${runner.name}: ${name}`, fn });

  test("runpod dev runs the handler file as a worker process and restarts it with the new code when the file changes", async () => {
    const dir = await setup.dir();
    const file = `${dir}/handler${setup.ext}`;
    const handler = (version: number) =>
      `import { start } from "${setup.worker}";\n` +
      `start({ handler: (job) => ({ version: ${version}, echo: job.input }) });\n`;
    await Deno.writeTextFile(file, handler(1));
    const dev = new Cli(runner, ["dev", file, "--json", "-e", "my-ep"]);
    try {
      const served: Served = JSON.parse((await dev.waitFor("stdout", /^\{.*\}$/m))[0]);
      await dev.waitFor("stderr", /Worker 1 started/);
      assert.match(
        dev.stderr,
        /runpodSdk\("[^"]+", \{ baseUrl: "http:\/\/127\.0\.0\.1:\d+\/v2" \}\)/,
      );
      const endpoint = runpodSdk(served.apiKey, { baseUrl: served.baseUrl }).endpoint("my-ep");
      const first = await endpoint.runSync({ input: { n: 1 } }, { timeout: 30_000 });
      assert.deepEqual([first.status, first.output], ["COMPLETED", { version: 1, echo: { n: 1 } }]);
      assert.equal(first.workerId, "dev-worker-1");

      await Deno.writeTextFile(file, handler(2));
      await dev.waitFor("stderr", /changed: restarting/);
      await dev.waitFor("stderr", /Worker 1 stopped/);
      await dev.waitFor("stderr", /Worker 2 started/);
      const second = await endpoint.runSync({ input: { n: 2 } }, { timeout: 30_000 });
      assert.deepEqual(second.output, { version: 2, echo: { n: 2 } });
      assert.equal(second.workerId, "dev-worker-2");
      // A stream goes through the worker process too.
      await Deno.writeTextFile(
        file,
        `import { start } from "${setup.worker}";\n` +
          `start({ handler: async function* (job) { for (let i = 1; i <= job.input.n; i++) yield { i }; } });\n`,
      );
      await dev.waitFor("stderr", /Worker 3 started/);
      const { id } = await endpoint.run({ input: { n: 3 } });
      const items: unknown[] = [];
      for await (const item of endpoint.stream(id)) items.push(item.output);
      assert.deepEqual(items, [{ i: 1 }, { i: 2 }, { i: 3 }]);
    } finally {
      dev.kill("SIGTERM");
      await dev.done();
    }
    const result = await dev.done();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Worker 3 stopped\nStopped\n$/);
    await Deno.remove(dir, { recursive: true });
  });

  test("runpod dev serves a file that calls serve() as a load-balancing endpoint, restarted on change", async () => {
    const dir = await setup.dir();
    const file = `${dir}/server${setup.ext}`;
    const server = (version: number) =>
      `import { serve } from "${setup.worker}";\n` +
      `await serve((request) => Response.json({ version: ${version}, path: new URL(request.url).pathname }));\n` +
      `console.log("listening ${version}");\n`;
    await Deno.writeTextFile(file, server(1));
    const dev = new Cli(runner, ["dev", file, "--json"]);
    try {
      const served: Served = JSON.parse((await dev.waitFor("stdout", /^\{.*\}$/m))[0]);
      assert.match(served.loadBalancerUrl ?? "", /^http:\/\/127\.0\.0\.1:\d+\/lb\/dev$/);
      await dev.waitFor("stderr", /listening 1/);
      const lb = runpodSdk(served.apiKey, {
        loadBalancerUrl: served.loadBalancerUrl!.replace(/dev$/, "{endpointId}"),
      }).loadBalancer("dev");
      assert.deepEqual(await lb.json("/hello"), { version: 1, path: "/hello" });

      await Deno.writeTextFile(file, server(2));
      await dev.waitFor("stderr", /Worker 2 started/);
      await dev.waitFor("stderr", /listening 2/);
      const answer = await lb.json("/again");
      assert.deepEqual(answer, { version: 2, path: "/again" });
    } finally {
      dev.kill("SIGTERM");
      await dev.done();
    }
    const result = await dev.done();
    assert.equal(result.code, 0, result.stderr);
    await Deno.remove(dir, { recursive: true });
  });

  test("runpod dev serves a file whose default export has a fetch as a load-balancing endpoint", async () => {
    const dir = await setup.dir();
    const file = `${dir}/app${setup.ext}`;
    await Deno.writeTextFile(
      file,
      `export default {\n  fetch: (request) => Response.json({ app: new URL(request.url).pathname }),\n};\n`,
    );
    const dev = new Cli(runner, ["dev", file, "--json", "-e", "app"]);
    try {
      const served: Served = JSON.parse((await dev.waitFor("stdout", /^\{.*\}$/m))[0]);
      await dev.waitFor("stderr", /Worker 1 started \(pid \d+\): serve\(\) of the default export/);
      const lb = runpodSdk(served.apiKey, {
        loadBalancerUrl: served.loadBalancerUrl!.replace(/app$/, "{endpointId}"),
      }).loadBalancer("app");
      // The emulator reads the worker's health path until it answers 200: a cold start.
      assert.deepEqual(await lb.json("/hi"), { app: "/hi" });
    } finally {
      dev.kill("SIGTERM");
      await dev.done();
    }
    const result = await dev.done();
    assert.equal(result.code, 0, result.stderr);
    await Deno.remove(dir, { recursive: true });
  });
}
