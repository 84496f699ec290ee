// Type-checks a small consumer of the packed npm package with the oldest and
// the newest TypeScript the package supports (node_modules/ts-oldest and
// node_modules/typescript), under `module: nodenext` (ESM and CommonJS files)
// and `moduleResolution: bundler`, with `skipLibCheck: false` so that the
// package's own .d.ts files are checked too.
//
//   deno run -A scripts/check_npm_types.ts [--no-build]
//
// Prints one line per combination and `N passed, N failed` last. The consumer
// lives in a temporary directory, removed at the end.

const root = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");

const compilers = [
  { name: "typescript-5.0", tsc: `${root}/node_modules/ts-oldest/bin/tsc` },
  { name: "typescript-5.9", tsc: `${root}/node_modules/typescript/bin/tsc` },
];

/** An ESM consumer: every public entry and the types a user touches. */
const ESM_CONSUMER = `
import runpodSdk, {
  type EndpointHealth,
  isTerminalStatus,
  type Job,
  RunpodApiError,
  RunpodError,
  TimeoutError,
} from "@runpod/sdk";
import { createEmulator, FakeClock, type Fault } from "@runpod/sdk/testing";
// The Node adapter's types need no @types/node (the consumer has types: []).
import { type NodeServer, serveNode } from "@runpod/sdk/testing/node";
import type { CreateEndpointRequest, ServerlessEndpoint } from "@runpod/sdk/rest";
import { type Handler, start, type StartOptions, type WorkerHandle } from "@runpod/sdk/worker";

export function worker(): WorkerHandle {
  const options: StartOptions = {
    handler: async (job, ctx) => {
      await ctx.progress({ step: 1 });
      ctx.signal.throwIfAborted();
      return { text: \`hello \${job.input.name}\` };
    },
    concurrency: (current) => current + 1,
  };
  return start(options);
}

export async function streamer(): Promise<number> {
  const handler: Handler<{ n: number }> = async function* (job) {
    for (let i = 0; i < job.input.n; i++) yield i;
  };
  const handle = start({ handler, returnAggregateStream: true, refreshWorker: false });
  await handle.stop();
  return await handle.done;
}

export async function serve(): Promise<string> {
  const server: NodeServer = await serveNode(createEmulator().handler, { port: 0 });
  await server.close();
  return server.url;
}

interface Input {
  prompt: string;
}
interface Output {
  image: string;
}

export async function main(): Promise<string | undefined> {
  const clock: FakeClock = new FakeClock();
  const emulator = createEmulator({ clock, worker: (job) => ({ image: String(job.input) }) });
  const fault: Fault = { status: 429, retryAfter: "1" };
  emulator.inject("POST /run", fault);
  const runpod = runpodSdk("key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock });
  const endpoint = runpod.endpoint<Input, Output>("abc");
  const job: Job<Output> = await endpoint.runSync({ input: { prompt: "a horse" } }, 1000);
  // @ts-expect-error the input's shape is checked
  await endpoint.run({ input: { prompt: 1 } });
  for await (const item of endpoint.stream(job.id, { signal: AbortSignal.timeout(1000) })) {
    const image: string = item.output.image;
    console.log(image);
  }
  const health: EndpointHealth = await endpoint.health({ timeout: 1000, maxRetries: 0 });
  const queued: number = health.jobs.inQueue;
  try {
    await endpoint.cancel(job.id);
  } catch (error) {
    if (error instanceof RunpodApiError) {
      const status: number = error.status;
      console.log(status, error.body, error.headers.get("retry-after"));
    } else if (error instanceof TimeoutError) {
      const timeout: number = error.timeout;
      console.log(timeout);
    } else if (error instanceof RunpodError) {
      console.log(error.route);
    }
  }
  const request: CreateEndpointRequest = {
    name: "sd",
    type: "QUEUE",
    image: "me/sd:1",
    scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
  };
  const created: ServerlessEndpoint = await runpod.endpoints.create(request);
  console.log(created.id);
  await emulator.close();
  return isTerminalStatus(job.status) && queued === 0 ? job.output?.image : undefined;
}
`;

/** A consumer that disposes of the emulator with \`await using\` (TypeScript 5.2+). */
const USING_CONSUMER = `
import runpodSdk from "@runpod/sdk";
import { createEmulator, FakeClock } from "@runpod/sdk/testing";

export async function main(): Promise<unknown> {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const endpoint = runpodSdk("key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch, clock })
    .endpoint("abc");
  return (await endpoint.runSync({ input: 1 }, 1000)).output;
}
`;

/** A CommonJS consumer with a static import, which compiles to require(): TypeScript 5.8+. */
const CJS_REQUIRE_CONSUMER = `
import runpodSdk = require("@runpod/sdk");
import testing = require("@runpod/sdk/testing");

export async function main(): Promise<string> {
  const emulator = testing.createEmulator();
  const endpoint = runpodSdk.default("key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
    .endpoint<{ prompt: string }, string>("abc");
  const job = await endpoint.runSync({ input: { prompt: "hi" } });
  if (!(job instanceof Object)) throw new runpodSdk.RunpodError("unreachable");
  await emulator.close();
  return job.status;
}
`;

/** A consumer under the strict options the SDK itself is checked with, passing `undefined` options. */
const STRICT_CONSUMER = `
import runpodSdk, { type CallOptions, type ClientOptions } from "@runpod/sdk";
import { createEmulator } from "@runpod/sdk/testing";

export async function main(timeout?: number): Promise<string> {
  const emulator = createEmulator();
  const client: ClientOptions = { baseUrl: emulator.baseUrl, fetch: emulator.fetch, timeout };
  const call: CallOptions = { timeout, signal: undefined, maxRetries: undefined };
  const job = await runpodSdk("key", client).endpoint("abc").runSync({ input: 1 }, call);
  await emulator.close();
  return job.status;
}
`;

/** A CommonJS consumer with a dynamic import(), for any TypeScript. */
const CJS_IMPORT_CONSUMER = `
export async function main(): Promise<string> {
  const { default: runpodSdk, RunpodApiError } = await import("@runpod/sdk");
  const { createEmulator } = await import("@runpod/sdk/testing");
  const emulator = createEmulator();
  const endpoint = runpodSdk("key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
    .endpoint<{ prompt: string }, string>("abc");
  try {
    return (await endpoint.runSync({ input: { prompt: "hi" } })).status;
  } catch (error) {
    if (error instanceof RunpodApiError) return String(error.status);
    throw error;
  } finally {
    await emulator.close();
  }
}
`;

const BASE_OPTIONS = {
  target: "ES2022",
  lib: ["ES2022", "DOM", "DOM.Iterable"],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
};

interface Case {
  name: string;
  files: Record<string, string>;
  options: Record<string, unknown>;
  /** The oldest TypeScript that supports this case. */
  since?: string;
}

const cases: Case[] = [
  {
    name: "nodenext, ESM",
    files: { "esm.mts": ESM_CONSUMER },
    options: { module: "NodeNext", moduleResolution: "NodeNext" },
  },
  {
    name: "bundler",
    files: { "bundler.ts": ESM_CONSUMER },
    options: { module: "ESNext", moduleResolution: "Bundler" },
  },
  {
    name: "nodenext, CommonJS, import()",
    files: { "cjs_import.cts": CJS_IMPORT_CONSUMER },
    options: { module: "NodeNext", moduleResolution: "NodeNext" },
  },
  {
    name: "bundler, await using, lib esnext.disposable",
    files: { "using.ts": USING_CONSUMER },
    options: {
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: [...BASE_OPTIONS.lib, "ESNext.Disposable"],
    },
    since: "typescript-5.9",
  },
  {
    name: "nodenext, CommonJS, require()",
    files: { "cjs_require.cts": CJS_REQUIRE_CONSUMER },
    options: { module: "NodeNext", moduleResolution: "NodeNext" },
    since: "typescript-5.9",
  },
  {
    name: "bundler, strict options",
    files: { "strict.ts": STRICT_CONSUMER },
    options: {
      module: "ESNext",
      moduleResolution: "Bundler",
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
    },
  },
];

async function exec(cmd: string, args: string[], cwd: string) {
  const { success, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return {
    success,
    out: (new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr)).trim(),
  };
}

const version = JSON.parse(await Deno.readTextFile(`${root}/deno.json`)).version as string;
const tarball = `${root}/.tmp/runpod-sdk-${version}.tgz`;
if (!Deno.args.includes("--no-build")) {
  const built = await exec(Deno.execPath(), ["run", "-A", `${root}/scripts/build_npm.ts`], root);
  if (!built.success) console.log(built.out);
}

let passed = 0;
let failed = 0;
const dir = await Deno.makeTempDir({ prefix: "runpod-consumer-" });
try {
  await Deno.writeTextFile(
    `${dir}/package.json`,
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const install = await exec(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-package-lock", "--offline", tarball],
    dir,
  );
  if (!install.success) {
    console.log(`FAIL npm install of the tarball:\n${install.out}`);
    failed++;
  } else {
    for (const compiler of compilers) {
      const { out: tscVersion } = await exec("node", [compiler.tsc, "--version"], dir);
      for (const c of cases) {
        if (
          c.since && compilers.findIndex((x) => x.name === c.since) > compilers.indexOf(compiler)
        ) {
          continue;
        }
        const project = `${dir}/${compiler.name}-${c.name.replace(/[^a-z]+/gi, "-")}`;
        await Deno.mkdir(project);
        for (const [file, text] of Object.entries(c.files)) {
          await Deno.writeTextFile(`${project}/${file}`, text);
        }
        await Deno.writeTextFile(
          `${project}/tsconfig.json`,
          JSON.stringify({
            compilerOptions: { ...BASE_OPTIONS, ...c.options },
            files: Object.keys(c.files),
          }),
        );
        const result = await exec("node", [compiler.tsc, "-p", project], project);
        if (result.success) passed++;
        else failed++;
        console.log(`${result.success ? "ok  " : "FAIL"} ${tscVersion}, ${c.name}`);
        if (!result.success) console.log(result.out);
      }
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);
