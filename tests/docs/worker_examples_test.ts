// Keeps docs/examples/worker/ true: each Dockerfile's CMD, run as written in a
// directory holding what the Dockerfile COPYs, with the RUNPOD_* variables of
// an emulator served on loopback (as RunPod sets them in the container),
// completes a job, and exits 0 on SIGTERM (exec form: the signal reaches the
// runtime). The image's own install steps cannot run here (no registry): the
// Node worker gets the npm package built from these sources, and the Deno
// worker's jsr: import is mapped to them by a deno.json beside it.
import assert from "node:assert/strict";
import runpodSdk from "../../mod.ts";
import { createEmulator } from "../../testing.ts";
import { nodeProject } from "../_helpers/doc_examples.ts";

const examples = new URL("../../docs/examples/worker/", import.meta.url);
const root = new URL("../../", import.meta.url);

/** What a Dockerfile says: the files it copies, and its CMD. */
interface Dockerfile {
  name: string;
  copies: string[];
  cmd: string[];
}

function parse(name: string, text: string): Dockerfile {
  const lines = text.split("\n").map((line) => line.trim());
  const copies = lines.filter((line) => line.startsWith("COPY "))
    .flatMap((line) => line.split(/\s+/).slice(1, -1));
  const cmdLine = lines.find((line) => line.startsWith("CMD "));
  assert.ok(cmdLine, `${name} has a CMD`);
  const cmd = JSON.parse(cmdLine.slice(4));
  assert.ok(
    Array.isArray(cmd) && cmd.every((part) => typeof part === "string"),
    `${name}'s CMD is in exec form (a JSON array), so that SIGTERM reaches the runtime: ${cmdLine}`,
  );
  return { name, copies, cmd };
}

const dockerfiles: Dockerfile[] = [];
for await (const entry of Deno.readDir(examples)) {
  if (entry.name.startsWith("Dockerfile")) {
    dockerfiles.push(
      parse(entry.name, await Deno.readTextFile(new URL(entry.name, examples))),
    );
  }
}
dockerfiles.sort((a, b) => a.name.localeCompare(b.name));

Deno.test("docs/examples/worker has a Dockerfile for Deno and one for Node", () => {
  assert.deepEqual(dockerfiles.map((d) => [d.name, d.cmd[0]]), [
    ["Dockerfile.deno", "deno"],
    ["Dockerfile.node", "node"],
  ]);
});

/** A directory holding what the Dockerfile copies, where its CMD can run with this runtime. */
async function workdir(dockerfile: Dockerfile): Promise<{ dir: string } & AsyncDisposable> {
  if (dockerfile.cmd[0] === "node") {
    // The npm package as `npm install` would give it, from these sources.
    const project = await nodeProject();
    for (const file of dockerfile.copies) {
      await Deno.copyFile(new URL(file, examples), `${project.dir}/${file}`);
    }
    return { dir: project.dir, [Symbol.asyncDispose]: () => project[Symbol.asyncDispose]() };
  }
  const dir = await Deno.makeTempDir({ prefix: "runpod-dockerfile-" });
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
  const imports: Record<string, string> = {};
  for (const file of dockerfile.copies) {
    await Deno.copyFile(new URL(file, examples), `${dir}/${file}`);
    const source = await Deno.readTextFile(`${dir}/${file}`);
    for (const [specifier, path] of source.matchAll(/jsr:@runpod\/sdk@[^/"']+(\/[\w/]+)?/g)) {
      const entry = config.exports[`.${path ?? ""}`];
      assert.ok(entry, `${file} imports ${specifier}, which deno.json does not export`);
      imports[specifier] = new URL(entry, root).href;
    }
  }
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ imports }));
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

for (const dockerfile of dockerfiles) {
  Deno.test(`${dockerfile.name}'s CMD (${dockerfile.cmd.join(" ")}) serves the emulator's jobs and exits 0 on SIGTERM`, async () => {
    const emulator = createEmulator({ endpoints: [{ id: "docker", external: true }] });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, emulator.handler);
    // Closed in this order: under Deno.serve a held take is not ended by its client going away,
    // and the emulator's close ends it.
    await using _served = {
      async [Symbol.asyncDispose]() {
        await emulator.close();
        await server.shutdown();
      },
    };
    const baseUrl = `http://127.0.0.1:${server.addr.port}/v2`;
    await using work = await workdir(dockerfile);
    const [program, ...args] = dockerfile.cmd;
    const child = new Deno.Command(program === "deno" ? Deno.execPath() : program!, {
      args,
      cwd: work.dir,
      clearEnv: true,
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "",
        ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
        ...emulator.workerEnv("docker", { baseUrl, workerId: "container-1" }),
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output = Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]).then(([out, err]) => out + err);
    let code: number;
    try {
      const endpoint = runpodSdk("test-key", { baseUrl }).endpoint("docker");
      const job = await endpoint.runSync({ input: { name: "Ada" } }, 60_000);
      assert.equal(job.status, "COMPLETED");
      assert.deepEqual(job.output, { text: "hello Ada" });
      assert.equal(job.workerId, "container-1");
    } finally {
      child.kill("SIGTERM");
      code = (await child.status).code;
    }
    const printed = await output;
    assert.equal(code, 0, printed);
    assert.match(printed, /worker container-1 started/);
    assert.match(printed, /worker stopped/);
  });
}
