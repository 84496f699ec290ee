// The management commands, run as a child process against the served
// emulator's management API (the same cases for Deno and for Node).
import assert from "node:assert/strict";
import { Cli, cli, ENDPOINT, KEY, type Runner, Served } from "./_cli.ts";

/** Registers the cases for `runner`: all of them, or those whose name `only` matches. */
export function manageCases(runner: Runner, only?: RegExp): void {
  const test = (name: string, fn: () => Promise<void>) => {
    if (!only || only.test(name)) Deno.test({ name: `${runner.name}: ${name}`, fn });
  };

  test("templates: create prints the id; ls, get, update and rm work on it", async () => {
    await using served = new Served();
    const made = await cli(runner, [
      "templates",
      "create",
      "--name",
      "horse-worker",
      "--image",
      "acme/horse:1.0",
      "--serverless",
      "--env",
      "MODEL=sdxl",
    ], { served });
    assert.equal(made.code, 0, made.stderr);
    const id = made.stdout.trim();
    assert.match(made.stderr, new RegExp(`Created template ${id} \\(horse-worker\\)`));
    const ls = await cli(runner, ["templates", "ls"], { served });
    assert.match(ls.stdout, /^ID +NAME +IMAGE +SERVERLESS +CATEGORY$/m);
    assert.match(
      ls.stdout,
      new RegExp(`^${id} +horse-worker +acme/horse:1\\.0 +yes +NVIDIA$`, "m"),
    );
    const updated = await cli(runner, ["templates", "update", id, "--image", "acme/horse:1.1"], {
      served,
    });
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /^image +acme\/horse:1\.1$/m);
    const got = await cli(runner, ["templates", "get", id, "--json"], { served });
    assert.deepEqual(JSON.parse(got.stdout).env, { MODEL: "sdxl" });
    const rm = await cli(runner, ["templates", "rm", id], { served });
    assert.equal(rm.stdout, `${id}\n`);
    const gone = await cli(runner, ["templates", "get", id], { served });
    assert.equal(gone.code, 6);
    assert.match(gone.stderr, /404/);
  });

  test("endpoints: create from a template, run a job on it, update with --wait-ready, rm", async () => {
    await using served = new Served();
    const template = (await cli(runner, [
      "templates",
      "create",
      "--name",
      "t",
      "--image",
      "acme/horse:1.0",
      "--serverless",
    ], { served })).stdout.trim();
    const made = await cli(runner, [
      "endpoints",
      "create",
      "--name",
      "horses",
      "--template",
      template,
      "--gpu",
      "ADA_24",
      "--workers-max",
      "2",
      "--idle-timeout",
      "30s",
      "--execution-timeout",
      "10m",
    ], { served });
    assert.equal(made.code, 0, made.stderr);
    const id = made.stdout.trim();
    const ls = await cli(runner, ["endpoints", "ls"], { served });
    assert.match(
      ls.stdout,
      new RegExp(`^${id} +horses +QUEUE +1x ADA_24 +0-2 +acme/horse:1\\.0$`, "m"),
    );
    const got = JSON.parse(
      (await cli(runner, ["endpoints", "get", id, "--json"], { served })).stdout,
    );
    assert.deepEqual(got.workers, { min: 0, max: 2, idleTimeout: 30 });
    assert.equal(got.timeout, 600_000);

    const job = await cli(runner, ["run", id, "-i", '{"n":1}'], { served });
    assert.equal(job.code, 0, job.stderr);
    const workers = await cli(runner, ["endpoints", "workers", id], { served });
    assert.match(workers.stdout, /^WORKER +STATUS +RELEASE +GPU +DATA CENTER +UPTIME$/m);
    assert.match(workers.stdout, /^\S+ +(IDLE|RUNNING) +v1 /m);

    const rollout = await cli(runner, [
      "endpoints",
      "update",
      id,
      "--image",
      "acme/horse:1.1",
      "--wait-ready",
      "--json",
    ], { served });
    assert.equal(rollout.code, 0, rollout.stderr);
    assert.equal(JSON.parse(rollout.stdout).image, "acme/horse:1.1");
    assert.match(rollout.stderr, new RegExp(`Endpoint ${id} is ready on release v2`));
    const releases = await cli(runner, ["endpoints", "releases", id], { served });
    assert.match(
      releases.stdout,
      /^v2 +\S+ +MANUAL +\d+ +image: acme\/horse:1\.0 -> acme\/horse:1\.1$/m,
    );

    const rm = await cli(runner, ["endpoints", "rm", id], { served });
    assert.equal(rm.code, 0, rm.stderr);
    const after = await cli(runner, ["run", id, "-i", "{}"], { served });
    assert.equal(after.code, 6, "the deleted endpoint's job routes answer 404");
  });

  test("--wait-ready follows a rollout in progress until every worker runs the new release", async () => {
    await using served = new Served();
    const inProgress = (on: number) => ({
      json: {
        endpointVersion: 2,
        rollout: {
          inProgress: true,
          workersOnLatest: on,
          workersTotal: 2,
          percentOnLatest: on * 50,
        },
        releases: [],
      },
    });
    served.emulator.inject(`GET /serverless/{id}/releases`, inProgress(0));
    served.emulator.inject(`GET /serverless/{id}/releases`, inProgress(1));
    const result = await cli(runner, [
      "endpoints",
      "update",
      ENDPOINT,
      "--image",
      "acme/next:2",
      "--wait-ready",
      "--interval",
      "100ms",
      "-q",
    ], { served });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(served.emulator.countRequests("GET /serverless/{id}/releases"), 3);
  });

  test("--wait-ready exits 7 when workers of the new release stay unhealthy, 5 at --timeout", async () => {
    await using served = new Served();
    const sick = {
      json: {
        endpointVersion: 2,
        summary: { running: 0, idle: 0, initializing: 0, throttled: 0, unhealthy: 1, total: 1 },
        workers: [{ id: "w-sick", status: "UNHEALTHY", isStale: false, version: 2, gpuCount: 1 }],
      },
    };
    served.emulator.inject("GET /serverless/{id}/workers", sick, 2);
    const failed = await cli(runner, [
      "endpoints",
      "update",
      ENDPOINT,
      "--image",
      "acme/broken:2",
      "--wait-ready",
      "--interval",
      "100ms",
    ], { served });
    assert.equal(failed.code, 7, failed.stderr);
    assert.match(
      failed.stderr,
      /release v2 are unhealthy \(w-sick\): read their logs with 'runpod endpoints logs ep-cli w-sick'/,
    );
    served.emulator.inject("GET /serverless/{id}/releases", {
      json: {
        endpointVersion: 3,
        rollout: { inProgress: true, workersOnLatest: 0, workersTotal: 1, percentOnLatest: 0 },
        releases: [],
      },
    }, 1000);
    const slow = await cli(runner, [
      "endpoints",
      "update",
      ENDPOINT,
      "--wait-ready",
      "--interval",
      "100ms",
      "--timeout",
      "300ms",
    ], { served });
    assert.equal(slow.code, 5, slow.stderr);
    assert.match(slow.stderr, /Gave up after 300 ms \(--timeout\): endpoint ep-cli is not ready/);
  });

  test("endpoints logs prints the workers' lines, and -f follows until Ctrl-C", async () => {
    await using served = new Served({ workers: 1 });
    await cli(runner, ["run", ENDPOINT, "-i", '{"n":1}'], { served });
    const past = await cli(runner, ["endpoints", "logs", ENDPOINT, "--json"], { served });
    assert.equal(past.code, 0, past.stderr);
    const lines = past.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.ok(lines.length > 0);
    for (const line of lines) {
      assert.equal(typeof line.worker, "string");
      assert.ok(["container", "system"].includes(line.source));
      assert.equal(typeof line.ts, "string");
    }
    const worker = lines[0].worker;
    const first = lines.find((l) => / started$/.test(l.line)).line.split(" ")[1];
    const follow = new Cli(runner, ["endpoints", "logs", ENDPOINT, worker, "-f"], { served });
    // The past lines show that it follows; then a new job's lines must come too.
    await follow.waitFor("stdout", new RegExp(first));
    const second = await cli(runner, ["run", ENDPOINT, "-i", '{"n":2}', "--json", "-q"], {
      served,
    });
    const jobId = JSON.parse(second.stdout).id;
    await follow.waitFor("stdout", new RegExp(`${jobId} ended COMPLETED`));
    follow.kill("SIGINT");
    const result = await follow.done();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^\S+Z (container|system) .*$/m);
  });

  test("volumes and registries: create, ls, update, rm; the password is never printed", async () => {
    await using served = new Served();
    const volume = await cli(runner, [
      "volumes",
      "create",
      "--name",
      "models",
      "--size",
      "50",
      "--data-center",
      "EU-RO-1",
    ], { served });
    assert.equal(volume.code, 0, volume.stderr);
    const id = volume.stdout.trim();
    const grown = await cli(runner, ["volumes", "update", id, "--size", "80", "--json"], {
      served,
    });
    assert.equal(JSON.parse(grown.stdout).size, 80);
    const shrunk = await cli(runner, ["volumes", "update", id, "--size", "10"], { served });
    assert.equal(shrunk.code, 6, "a network volume only grows");
    const ls = await cli(runner, ["volumes", "ls"], { served });
    assert.match(ls.stdout, new RegExp(`^${id} +models +80 GB +EU-RO-1 +STANDARD$`, "m"));
    const shown = await cli(runner, ["volumes", "get", id], { served });
    assert.match(shown.stdout, /^size +80$/m);
    assert.equal((await cli(runner, ["volumes", "rm", id], { served })).code, 0);

    const password = "p4ss-w0rd-never-shown";
    const registry = await cli(runner, [
      "registries",
      "create",
      "--name",
      "ghcr",
      "--username",
      "me",
      "--password-stdin",
      "--verbose",
    ], { served, stdin: `${password}\n` });
    assert.equal(registry.code, 0, registry.stderr);
    assert.ok(!registry.stdout.includes(password) && !registry.stderr.includes(password));
    const rid = registry.stdout.trim();
    const got = await cli(runner, ["registries", "get", rid, "--json"], { served });
    assert.deepEqual(JSON.parse(got.stdout), { id: rid, name: "ghcr" });
    const listed = await cli(runner, ["registries", "ls"], { served });
    assert.match(listed.stdout, new RegExp(`^${rid} +ghcr$`, "m"));
    const noPassword = await cli(
      runner,
      ["registries", "create", "--name", "x", "--username", "u"],
      {
        served,
      },
    );
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.stderr, /--password-stdin/);
    assert.equal((await cli(runner, ["registries", "rm", rid], { served })).stdout, `${rid}\n`);
  });

  test("pods: create, ls, get, stop, start, logs, rm", async () => {
    await using served = new Served();
    const made = await cli(runner, [
      "pods",
      "create",
      "--name",
      "dev",
      "--image",
      "runpod/pytorch:2.4",
      "--gpu",
      "NVIDIA GeForce RTX 4090",
    ], { served });
    assert.equal(made.code, 0, made.stderr);
    const id = made.stdout.trim();
    const ls = await cli(runner, ["pods", "ls"], { served });
    assert.match(ls.stdout, /^ID +NAME +STATUS +COMPUTE +IMAGE +COST$/m);
    assert.match(
      ls.stdout,
      new RegExp(`^${id} +dev +\\w+ +1x NVIDIA GeForce RTX 4090 +runpod/pytorch:2\\.4 `, "m"),
    );
    const got = JSON.parse((await cli(runner, ["pods", "get", id, "--json"], { served })).stdout);
    assert.equal(got.name, "dev");
    // Actions follow the pod's `actions` (it must be RUNNING to stop): wait for that state.
    const headers = { authorization: `Bearer ${KEY}` };
    while (true) {
      const pod = await (await fetch(`${served.restUrl}/pods/${id}`, { headers })).json();
      if (pod.actions.includes("stop")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stopped = await cli(runner, ["pods", "stop", id], { served });
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, new RegExp(`^${id} [A-Z]+\\n$`));
    const started = await cli(runner, ["pods", "start", id, "--json"], { served });
    assert.equal(started.code, 0, started.stderr);
    const logs = await cli(runner, ["pods", "logs", id], { served });
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, /^\S+Z system /m);
    assert.equal((await cli(runner, ["pods", "rm", id], { served })).code, 0);
  });

  test("gpus shows the catalog with prices and availability; billing shows spend", async () => {
    await using served = new Served();
    const gpus = await cli(runner, ["gpus"], { served });
    assert.equal(gpus.code, 0, gpus.stderr);
    assert.match(gpus.stdout, /^ID +MEMORY +POOL +AVAILABLE +SECURE +COMMUNITY +SERVERLESS$/m);
    assert.match(gpus.stdout, /^NVIDIA \S.* +\d+ GB +\w+ +(HIGH|MEDIUM|LOW|NONE) +\$\d+\.\d\d /m);
    const json = JSON.parse(
      (await cli(runner, ["gpus", "--json", "--available"], { served })).stdout,
    );
    assert.ok(
      json.length > 0 && json.every((g: { availability: string }) => g.availability !== "NONE"),
    );

    await cli(runner, ["run", ENDPOINT, "-i", "{}"], { served });
    const billing = await cli(runner, ["billing", "--last", "2"], { served });
    assert.equal(billing.code, 0, billing.stderr);
    assert.match(billing.stdout, /^START +TOTAL/m);
    // Dollars with cents, or with 4 decimals for a sub-cent amount (the job ran for milliseconds).
    assert.match(billing.stdout, /^total \$\d+\.\d\d(?:\d\d)? over 2 records$/m);
    const serverless = await cli(runner, [
      "billing",
      "serverless",
      "--by",
      "hour",
      "--last",
      "3",
      "--json",
    ], {
      served,
    });
    assert.equal(JSON.parse(serverless.stdout).records.length, 3);
    const bad = await cli(runner, ["billing", "gpus"], { served });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /'runpod billing' takes one of pods, serverless, endpoints, volumes, clusters/,
    );
  });

  test("management usage errors exit 2 and send nothing", async () => {
    await using served = new Served();
    const cases: [string[], RegExp][] = [
      [["endpoints", "frob"], /'frob' is not a command of 'runpod endpoints' \(use one of ls, get/],
      [
        ["endpoints", "create", "--image", "x", "--gpu", "ADA_24"],
        /An endpoint needs a name: --name NAME/,
      ],
      [["endpoints", "update", ENDPOINT], /Nothing to change: give what to change, e.g. --image/],
      [
        [
          "endpoints",
          "create",
          "--name",
          "x",
          "--image",
          "a/b:1",
          "--body",
          '{"bogus":1}',
          "--gpu",
          "ADA_24",
        ],
        /bogus/,
      ],
      [
        ["endpoints", "update", ENDPOINT, "--workers-max", "many"],
        /--workers-max takes a whole number/,
      ],
      [
        ["endpoints", "update", ENDPOINT, "--flashboot", "fast"],
        /--flashboot takes OFF, FLASHBOOT/,
      ],
      [["endpoints", "update", ENDPOINT, "--env", "NOVALUE"], /--env takes KEY=VALUE/],
      [["pods", "logs", "p1", "--since", "yesterday"], /--since takes a time/],
      [["templates", "ls", "--image", "x"], /'runpod templates ls' takes no --image option/],
      // Errors name the command's options, not the request body's paths (issue 23, item 7).
      [
        ["endpoints", "create", "--name", "x"],
        /^runpod: An endpoint needs a container: --image IMAGE or --template TEMPLATE$/m,
      ],
      [
        ["endpoints", "create", "--name", "x", "--image", "a/b:1"],
        /^runpod: An endpoint needs its compute: --gpu POOLS \('runpod gpus' lists them\) or --cpu ID --vcpu N$/m,
      ],
      [
        [
          "endpoints",
          "create",
          "--name",
          "x",
          "--template",
          "t",
          "--gpu",
          "ADA_24",
          "--cpu",
          "c",
          "--vcpu",
          "2",
        ],
        /--gpu and --cpu do not go together/,
      ],
      [
        [
          "endpoints",
          "create",
          "--name",
          "x",
          "--image",
          "a/b:1",
          "--gpu",
          "ADA_24",
          "--idle-timeout",
          "2h",
        ],
        /^runpod: Cannot create endpoint 'x': --idle-timeout: must be at most 3600$/m,
      ],
      [
        ["pods", "create", "--name", "x", "--gpu", "A40"],
        /A pod needs a container: --image IMAGE or --template TEMPLATE/,
      ],
      [["volumes", "create", "--name", "x"], /: --size: required; --data-center: required$/m],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(runner, args, { served })));
    for (const [i, [args, message]] of cases.entries()) {
      assert.equal(results[i]!.code, 2, `${args.join(" ")}: ${results[i]!.stderr}`);
      assert.match(results[i]!.stderr, message, args.join(" "));
      if (args[1] === "create") assert.doesNotMatch(results[i]!.stderr, /\$\./, args.join(" "));
    }
    const management = served.emulator.requests.filter((r) => !r.route.startsWith("GET /health"));
    assert.deepEqual(management.map((r) => r.route), []);
  });

  test("--emulator serves the management commands in-process too", async () => {
    const ls = await cli(runner, ["--emulator", "endpoints", "ls", "--json"]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual(JSON.parse(ls.stdout).map((e: { id: string }) => e.id), ["demo"]);
    const gpus = await cli(runner, ["--emulator", "gpus", "--json"]);
    assert.ok(JSON.parse(gpus.stdout).length > 0);
    assert.ok(!ls.stderr.includes(KEY));
  });
}
