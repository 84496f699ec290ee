// The job commands, run as a child process against the served emulator. The
// same cases run for Deno (deno_test.ts) and for Node through the npm
// package's bin (node_test.ts).
import assert from "node:assert/strict";
import { Cli, cli, ENDPOINT, KEY, queuedRef, type Runner, Served } from "./_cli.ts";

/** Registers the cases for `runner`: all of them, or those whose name `only` matches. */
export function jobCases(runner: Runner, only?: RegExp): void {
  const test = (name: string, fn: () => Promise<void>) => {
    if (!only || only.test(name)) Deno.test({ name: `${runner.name}: ${name}`, fn });
  };

  test("run submits the job, waits, prints its output on stdout and exits 0", async () => {
    await using served = new Served();
    const result = await cli(runner, ["run", ENDPOINT, "--input", '{"prompt":"a horse"}'], {
      served,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '{"echo":{"prompt":"a horse"},"attempt":1}\n');
    assert.match(result.stderr, /^Queued job ep-cli\/\S+ \(Ctrl-C cancels it\)$/m);
    assert.match(result.stderr, /COMPLETED \(waited .*, ran .*\)/);
    assert.ok(!result.stderr.includes("\x1b["), "no colour and no status line off a terminal");
    assert.equal(served.emulator.jobs.length, 1);
    assert.deepEqual(served.emulator.jobs[0]!.input, { prompt: "a horse" });
  });

  test("run --json prints the finished job as one JSON document", async () => {
    await using served = new Served();
    const result = await cli(runner, ["run", ENDPOINT, "-i", '{"n":1}', "--json", "-q"], {
      served,
    });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "", "--quiet leaves stderr empty");
    const job = JSON.parse(result.stdout);
    assert.equal(job.status, "COMPLETED");
    assert.deepEqual(job.output, { echo: { n: 1 }, attempt: 1 });
    assert.equal(result.stdout.trim().split("\n").length, 1);
  });

  test("run reads the input from stdin, from a file with @, and takes ENDPOINT_ID", async () => {
    await using served = new Served();
    const piped = await cli(runner, ["run", "-q"], {
      served,
      stdin: '{"from":"stdin"}',
      env: { ENDPOINT_ID: ENDPOINT },
    });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, '{"echo":{"from":"stdin"},"attempt":1}\n');
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/job.json`, '{"from":"file"}');
      const file = await cli(runner, ["run", "-e", ENDPOINT, "--input", `@${dir}/job.json`], {
        served,
      });
      assert.equal(file.code, 0, file.stderr);
      assert.equal(file.stdout, '{"echo":{"from":"file"},"attempt":1}\n');
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  test("run sends the policy and webhook it is given", async () => {
    await using served = new Served();
    const result = await cli(runner, [
      "run",
      ENDPOINT,
      "-i",
      "{}",
      "--policy",
      '{"lowPriority":true}',
      "--execution-timeout",
      "10m",
      "--ttl",
      "2h",
      "--webhook",
      "https://example.com/hook",
      "--no-wait",
    ], { served });
    assert.equal(result.code, 0, result.stderr);
    const job = served.emulator.jobs[0]!;
    assert.deepEqual(job.policy, { lowPriority: true, executionTimeout: 600_000, ttl: 7_200_000 });
    assert.equal(job.webhook, "https://example.com/hook");
  });

  test("run --no-wait prints ENDPOINT/JOB, which status, wait and cancel take", async () => {
    await using served = new Served();
    const queued = await cli(runner, ["run", ENDPOINT, "-i", '{"hold":"a"}', "--no-wait"], {
      served,
    });
    assert.equal(queued.code, 0, queued.stderr);
    const ref = queued.stdout.trim();
    assert.match(ref, /^ep-cli\/[\w-]+$/);
    const id = ref.split("/")[1]!;

    const status = await cli(runner, ["status", ref], { served });
    assert.equal(status.code, 0);
    assert.match(status.stdout, new RegExp(`^job +${ref}$`, "m"));
    assert.match(status.stdout, /^status +(IN_QUEUE|IN_PROGRESS)$/m);

    const waiting = new Cli(runner, ["wait", id, "-e", ENDPOINT, "--json"], { served });
    await waiting.waitFor("stderr", /IN_PROGRESS/);
    served.release("a");
    const waited = await waiting.done();
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(JSON.parse(waited.stdout).status, "COMPLETED");

    const json = await cli(runner, ["status", ref, "--json"], { served });
    assert.equal(JSON.parse(json.stdout).id, id);
    assert.equal(JSON.parse(json.stdout).status, "COMPLETED");
  });

  test("a FAILED job exits 1 and its error goes to stderr", async () => {
    await using served = new Served();
    const result = await cli(runner, ["run", ENDPOINT, "-i", '{"fail":"out of memory"}'], {
      served,
    });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, "");
    // The message as the worker threw it: no `<class 'Error'>` (issue 23, item 8).
    assert.match(result.stderr, /ep-cli\/\S+ FAILED \(.*\): out of memory$/m);
  });

  test("a CANCELLED job makes wait exit 3; cancel prints the new status", async () => {
    await using served = new Served();
    const queued = await cli(runner, ["run", ENDPOINT, "-i", '{"hold":"never"}', "--no-wait"], {
      served,
    });
    const ref = queued.stdout.trim();
    const waiting = new Cli(runner, ["wait", ref], { served });
    await waiting.waitFor("stderr", /IN_PROGRESS/);
    const cancelled = await cli(runner, ["cancel", ref], { served });
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(cancelled.stdout, `${ref} CANCELLED\n`);
    const waited = await waiting.done();
    assert.equal(waited.code, 3);
    assert.match(waited.stderr, /CANCELLED/);
  });

  test("a TIMED_OUT job makes wait exit 4", async () => {
    await using served = new Served();
    const queued = await cli(runner, ["run", ENDPOINT, "-i", '{"hold":"t"}', "--no-wait"], {
      served,
    });
    const [, id] = queued.stdout.trim().split("/");
    // The emulator's shortest executionTimeout is RunPod's 5 s: answer as RunPod would after it.
    served.emulator.inject("GET /status", {
      json: { id, status: "TIMED_OUT", delayTime: 3, executionTime: 5_000 },
    });
    const waited = await cli(runner, ["wait", `${ENDPOINT}/${id}`], { served });
    assert.equal(waited.code, 4);
    assert.match(waited.stderr, /TIMED_OUT/);
  });

  test("--timeout gives up with exit 5 and cancels the job run submitted", async () => {
    await using served = new Served();
    const result = await cli(runner, [
      "run",
      ENDPOINT,
      "-i",
      '{"hold":"x"}',
      "--timeout",
      "300ms",
    ], { served });
    assert.equal(result.code, 5, result.stderr);
    assert.match(result.stderr, /Gave up after 300 ms \(--timeout\): cancelling job ep-cli\//);
    assert.match(result.stderr, /cancelled: CANCELLED/);
    assert.equal(served.emulator.jobs[0]!.status, "CANCELLED");
  });

  test("--no-cancel-on-exit leaves the job running after --timeout", async () => {
    await using served = new Served();
    const result = await cli(runner, [
      "run",
      ENDPOINT,
      "-i",
      '{"hold":"y"}',
      "--timeout",
      "300ms",
      "--no-cancel-on-exit",
    ], { served });
    assert.equal(result.code, 5);
    assert.match(result.stderr, /keeps running \('runpod wait ep-cli\/\S+' waits again/);
    assert.equal(served.emulator.jobs[0]!.status, "IN_PROGRESS");
  });

  test("Ctrl-C while run waits cancels the job it submitted, says so, and exits 130", async () => {
    await using served = new Served();
    const child = new Cli(runner, ["run", ENDPOINT, "-i", '{"hold":"c"}'], { served });
    const { id } = await queuedRef(child);
    await child.waitFor("stderr", /IN_PROGRESS/);
    child.kill("SIGINT");
    const result = await child.done();
    assert.equal(result.code, 130);
    assert.match(
      result.stderr,
      /Interrupted by Ctrl-C: cancelling job ep-cli\/\S+ \(pass --no-cancel-on-exit/,
    );
    assert.match(result.stderr, /cancelled: CANCELLED/);
    assert.equal(served.status(id), "CANCELLED");
    assert.equal(served.emulator.countRequests("POST /cancel"), 1);
  });

  test("Ctrl-C with --no-cancel-on-exit, or on wait, leaves the job running", async () => {
    await using served = new Served();
    const kept = new Cli(runner, ["run", ENDPOINT, "-i", '{"hold":"k"}', "--no-cancel-on-exit"], {
      served,
    });
    const { ref, id } = await queuedRef(kept);
    await kept.waitFor("stderr", /IN_PROGRESS/);
    kept.kill("SIGINT");
    assert.equal((await kept.done()).code, 130);
    const waiting = new Cli(runner, ["wait", ref], { served });
    await waiting.waitFor("stderr", /IN_PROGRESS/);
    waiting.kill("SIGINT");
    const waited = await waiting.done();
    assert.equal(waited.code, 130);
    assert.match(waited.stderr, /keeps running .*'runpod cancel ep-cli\/\S+' cancels it/);
    assert.equal(served.status(id), "IN_PROGRESS");
    assert.equal(served.emulator.countRequests("POST /cancel"), 0);
  });

  test("SIGTERM (a CI runner stopping) cancels the job too, with exit 143", async () => {
    await using served = new Served();
    const child = new Cli(runner, ["run", ENDPOINT, "-i", '{"hold":"s"}'], { served });
    const { id } = await queuedRef(child);
    child.kill("SIGTERM");
    const result = await child.done();
    assert.equal(result.code, 143);
    assert.match(result.stderr, /Interrupted by SIGTERM: cancelling job/);
    assert.equal(served.status(id), "CANCELLED");
  });

  test("run --stream prints each item on its own line, --json each whole item", async () => {
    await using served = new Served();
    const plain = await cli(runner, ["run", ENDPOINT, "-i", '{"stream":3}', "--stream"], {
      served,
    });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, '{"n":1}\n{"n":2}\n{"n":3}\n');
    assert.match(plain.stderr, /COMPLETED: 3 items/);
    const json = await cli(runner, ["run", ENDPOINT, "-i", '{"stream":2}', "--stream", "--json"], {
      served,
    });
    assert.equal(json.stdout, '{"output":{"n":1}}\n{"output":{"n":2}}\n');
  });

  test("stream JOB prints items as they come and exits with the job's status", async () => {
    await using served = new Served();
    const queued = await cli(runner, [
      "run",
      ENDPOINT,
      "-i",
      '{"stream":3,"hold":"h","fail":"broke"}',
      "--no-wait",
    ], { served });
    const ref = queued.stdout.trim();
    const child = new Cli(runner, ["stream", ref, "--json"], { served });
    await child.waitFor("stdout", /\{"output":\{"n":1\}\}\n/);
    served.release("h");
    const result = await child.done();
    assert.equal(result.stdout, '{"output":{"n":1}}\n{"output":{"n":2}}\n{"output":{"n":3}}\n');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ended FAILED: .*broke/);
  });

  test("retry requeues a FAILED job; retry --wait follows it to COMPLETED", async () => {
    await using served = new Served();
    const failed = await cli(runner, ["run", ENDPOINT, "-i", '{"failOnce":true}', "--json"], {
      served,
    });
    assert.equal(failed.code, 1);
    const id = JSON.parse(failed.stdout).id;
    const retried = await cli(runner, ["retry", `${ENDPOINT}/${id}`, "--wait"], { served });
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stderr, /Requeued job ep-cli\/\S+: IN_QUEUE/);
    assert.equal(retried.stdout, '{"echo":{"failOnce":true},"attempt":2}\n');
    assert.equal(served.emulator.countRequests("POST /retry"), 1);
  });

  test("purge removes the queued jobs and prints how many", async () => {
    await using served = new Served({ workers: 1 });
    for (let i = 0; i < 3; i++) {
      const queued = await cli(runner, ["run", ENDPOINT, "-i", '{"hold":"p"}', "--no-wait"], {
        served,
      });
      assert.equal(queued.code, 0);
    }
    const json = await cli(runner, ["purge", ENDPOINT, "--json"], { served });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).removed, 2);
    const plain = await cli(runner, ["purge", ENDPOINT], { served });
    assert.equal(plain.stdout, "0 queued jobs removed from ep-cli\n");
  });

  test("health prints aligned tables, or JSON", async () => {
    await using served = new Served();
    await cli(runner, ["run", ENDPOINT, "-i", "{}"], { served });
    const plain = await cli(runner, ["health", ENDPOINT], { served });
    assert.equal(plain.code, 0, plain.stderr);
    const lines = plain.stdout.split("\n");
    assert.match(lines[0]!, /^JOBS +IN QUEUE +IN PROGRESS +COMPLETED +FAILED +RETRIED$/);
    assert.equal(lines[0]!.indexOf("COMPLETED"), lines[1]!.indexOf("1"), "columns align");
    assert.match(plain.stdout, /^WORKERS +IDLE +RUNNING/m);
    const json = await cli(runner, ["health", "-e", ENDPOINT, "--json"], { served });
    assert.equal(JSON.parse(json.stdout).jobs.completed, 1);
  });

  test("health --watch --json prints a line per change until Ctrl-C, then exits 0", async () => {
    await using served = new Served();
    const child = new Cli(
      runner,
      ["health", ENDPOINT, "--watch", "--json", "--interval", "100ms"],
      {
        served,
      },
    );
    await child.waitFor("stdout", /\n/);
    await cli(runner, ["run", ENDPOINT, "-i", "{}"], { served });
    await child.waitFor("stdout", /"completed":1/);
    child.kill("SIGINT");
    const result = await child.done();
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.equal(lines[0].jobs.completed, 0);
    assert.equal(lines.at(-1).jobs.completed, 1);
    assert.ok(lines.every((line) => typeof line.at === "string"));
  });

  test("usage errors exit 2 before sending anything and say what to type", async () => {
    await using served = new Served();
    const cases: [string[], RegExp][] = [
      [["runn"], /'runn' is not a runpod command: did you mean 'run'\?/],
      [
        ["run", ENDPOINT, "--inptu", "{}"],
        /There is no option --inptu: did you mean --input\? \(runpod run --help lists them\)/,
      ],
      [
        ["run", ENDPOINT],
        /--input - \(stdin\) is empty: give JSON, e.g. --input '\{"prompt":"a horse"\}'/,
      ],
      [["run", ENDPOINT, "-i", "{prompt:1}"], /is not JSON .*quote it for the shell/],
      [
        ["run", ENDPOINT, "-i", "{}", "--wait", "--stream"],
        /--wait and --stream do not go together/,
      ],
      [
        ["run", ENDPOINT, "-i", "{}", "--timeout", "soon"],
        /--timeout takes a duration such as 500ms/,
      ],
      [["status", "abc"], /Which endpoint is job 'abc' on\? Write ENDPOINT\/abc, pass -e ENDPOINT/],
      [["status"], /'runpod status' needs JOB, e.g. runpod status ENDPOINT\/JOB/],
      [["status", `${ENDPOINT}/x`, "--stream"], /'runpod status' takes no --stream option/],
      [["run", ENDPOINT, "-i", "{}", "--input"], /Option --input needs a value: --input JSON/],
      [["run", "bad/endpoint", "-i", "{}"], /endpoint/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(runner, args, { served })));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!;
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(" "));
      assert.equal(result.stdout, "");
    }
    assert.equal(served.emulator.requests.length, 0);
  });

  test("API errors exit 6 and never print the key, not even with --verbose", async () => {
    await using served = new Served();
    const wrongKey = "sk-wrong-key-0123456789";
    const refused = await cli(runner, ["health", ENDPOINT, "--verbose"], {
      served,
      env: { RUNPOD_API_KEY: wrongKey },
    });
    assert.equal(refused.code, 6);
    assert.match(refused.stderr, /401/);
    assert.match(refused.stderr, /Check the API key in RUNPOD_API_KEY/);
    assert.match(refused.stderr, /> GET http:\/\/127\.0\.0\.1:\d+\/v2\/ep-cli\/health/);
    assert.ok(!refused.stderr.includes(wrongKey) && !refused.stdout.includes(wrongKey));

    const verbose = await cli(runner, ["run", ENDPOINT, "-i", "{}", "-v"], { served });
    assert.equal(verbose.code, 0);
    assert.match(verbose.stderr, /< 200 POST \/v2\/ep-cli\/run/);
    assert.ok(!verbose.stderr.includes(KEY), "the key is in no verbose line");

    const unknown = await cli(runner, ["status", "other-endpoint/abc"], { served });
    assert.equal(unknown.code, 6);
    assert.match(unknown.stderr, /404/);

    const noKey = await cli(runner, ["health", ENDPOINT], { env: {} });
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /No API key: set RUNPOD_API_KEY .* add --emulator/);

    const closed = await cli(runner, ["health", ENDPOINT, "--base-url", "http://127.0.0.1:9/v2"], {
      env: { RUNPOD_API_KEY: wrongKey },
    });
    assert.equal(closed.code, 6);
    assert.ok(!closed.stderr.includes(wrongKey));
  });

  test("--api-key-file reads the key from a file", async () => {
    await using served = new Served();
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/key`, `${KEY}\n`);
      const result = await cli(runner, [
        "health",
        ENDPOINT,
        "--json",
        "--api-key-file",
        `${dir}/key`,
        "--base-url",
        served.baseUrl,
      ], { env: { RUNPOD_API_KEY: "not-this-one" } });
      assert.equal(result.code, 0, result.stderr);
      const missing = await cli(runner, ["health", ENDPOINT, "--api-key-file", `${dir}/nope`]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /Cannot read the API key file/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });

  test("every command has --help with an example; --version prints the version", async () => {
    const main = await cli(runner, ["--help"]);
    assert.equal(main.code, 0);
    const commands = [
      ...main.stdout.matchAll(/^ {2}([a-z]+(?: [a-z]+)?)(?: [A-Z[\]]+)*\s{2,}/gm),
    ].map((m) => m[1]!);
    assert.ok(commands.length >= 38, main.stdout);
    assert.ok(commands.includes("endpoints update") && commands.includes("billing"));
    const helps = [];
    for (let i = 0; i < commands.length; i += 8) {
      helps.push(
        ...await Promise.all(
          commands.slice(i, i + 8).map((command) => cli(runner, [...command.split(" "), "--help"])),
        ),
      );
    }
    for (const [i, help] of helps.entries()) {
      assert.equal(help.code, 0, commands[i]);
      assert.match(help.stdout, new RegExp(`^Usage: runpod ${commands[i]}`, "m"));
      assert.match(help.stdout, /^Examples:\n {2}.*\brunpod /m);
    }
    assert.equal(
      (await cli(runner, ["help", "run"])).stdout,
      (await cli(runner, ["run", "-h"])).stdout,
    );
    const group = await cli(runner, ["endpoints", "--help"]);
    assert.equal(group.code, 0);
    assert.match(group.stdout, /^ {2}runpod endpoints update ID +change an endpoint/m);
    const bare = await cli(runner, []);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^Usage: runpod COMMAND/m);
    const version = await cli(runner, ["--version"]);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test("--emulator runs every job command in-process, without a key", async () => {
    const done = await cli(runner, ["--emulator", "run", "demo", "-i", '{"seconds":0.05}']);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, '{"echo":{"seconds":0.05}}\n');
    const failed = await cli(runner, [
      "--emulator",
      "run",
      "demo",
      "-i",
      '{"fail":"no","seconds":0}',
    ]);
    assert.equal(failed.code, 1);
    const streamed = await cli(runner, [
      "--emulator",
      "run",
      "demo",
      "-i",
      '{"stream":2,"every":1}',
      "--stream",
    ]);
    assert.equal(streamed.stdout, '{"item":1,"of":2}\n{"item":2,"of":2}\n');
    const health = await cli(runner, ["--emulator", "health", "demo", "--json"]);
    assert.equal(JSON.parse(health.stdout).workers.idle, 2);
    const purge = await cli(runner, ["--emulator", "purge", "demo"]);
    assert.equal(purge.stdout, "0 queued jobs removed from demo\n");
    const status = await cli(runner, ["--emulator", "status", "demo/nope"]);
    assert.equal(status.code, 6, "a fresh emulator knows no job");
  });

  test("runpod emulator serves one that later commands share, until Ctrl-C", async () => {
    const server = new Cli(runner, ["emulator", "-e", "demo", "--json"]);
    const line = await server.waitFor("stdout", /^(\{.*\})\n/);
    const { baseUrl, apiKey } = JSON.parse(line[1]!);
    const env = { RUNPOD_BASE_URL: baseUrl, RUNPOD_API_KEY: apiKey, ENDPOINT_ID: "demo" };
    const queued = await cli(runner, ["run", "-i", '{"seconds":0.05}', "--no-wait"], { env });
    assert.equal(queued.code, 0, queued.stderr);
    const waited = await cli(runner, ["wait", queued.stdout.trim()], { env });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stdout, '{"echo":{"seconds":0.05}}\n');
    server.kill("SIGINT");
    const result = await server.done();
    assert.equal(result.code, 0, result.stderr);
  });

  test("runpod emulator serves until SIGTERM, and exits 0 without waiting for a held job", async () => {
    const server = new Cli(runner, ["emulator", "--json"]);
    const line = await server.waitFor("stdout", /^(\{.*\})\n/);
    const { baseUrl, apiKey } = JSON.parse(line[1]!);
    const env = { RUNPOD_BASE_URL: baseUrl, RUNPOD_API_KEY: apiKey, ENDPOINT_ID: "demo" };
    // A client waiting on a job of a minute: its /status polls hold a connection open.
    const waiting = new Cli(runner, ["run", "-i", '{"seconds":60}'], { env });
    await waiting.waitFor("stderr", /IN_PROGRESS/);
    server.kill("SIGTERM");
    const result = await server.done();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Emulator stopped\n$/);
    // The client lost its emulator: an API error, not a hang.
    assert.equal((await waiting.done()).code, 6);
  });

  test("runpod emulator --external prints each endpoint's worker variables; a worker using them runs its jobs", async () => {
    const server = new Cli(runner, ["emulator", "-e", "demo,other", "--external"]);
    const lines = await server.waitFor(
      "stdout",
      /^RUNPOD_BASE_URL=(\S+) .*\n(ENDPOINT_ID=demo .*)\n(ENDPOINT_ID=other .*)\n/,
    );
    const baseUrl = lines[1]!;
    const variables = (line: string) =>
      Object.fromEntries(line.split(" ").map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
    const demo = variables(lines[2]!);
    assert.deepEqual(demo, {
      ENDPOINT_ID: "demo",
      RUNPOD_WEBHOOK_GET_JOB: `${baseUrl}/demo/job-take/$ID?gpu=emulated`,
      RUNPOD_WEBHOOK_POST_OUTPUT: `${baseUrl}/demo/job-done/$RUNPOD_POD_ID/$ID?gpu=emulated`,
      RUNPOD_WEBHOOK_POST_STREAM: `${baseUrl}/demo/job-stream/$RUNPOD_POD_ID/$ID?gpu=emulated`,
      RUNPOD_WEBHOOK_PING: `${baseUrl}/demo/ping/$RUNPOD_POD_ID?gpu=emulated`,
      RUNPOD_POD_ID: "worker-1",
      RUNPOD_AI_API_KEY: "test-worker-key",
      RUNPOD_ENDPOINT_ID: "demo",
      RUNPOD_PING_INTERVAL: "10000",
    });
    assert.equal(
      variables(lines[3]!).RUNPOD_WEBHOOK_PING,
      `${baseUrl}/other/ping/$RUNPOD_POD_ID?gpu=emulated`,
    );
    const apiKey = /RUNPOD_API_KEY=(\S+)/.exec(server.stdout)![1]!;
    const env = { RUNPOD_BASE_URL: baseUrl, RUNPOD_API_KEY: apiKey, ENDPOINT_ID: "demo" };
    const queued = await cli(runner, ["run", "-i", '{"n":1}', "--no-wait"], { env });
    assert.equal(queued.code, 0, queued.stderr);
    const jobId = queued.stdout.trim().split("/").at(-1)!;
    // A worker process's take and result, over HTTP, from the printed templates.
    const auth = { authorization: demo.RUNPOD_AI_API_KEY! };
    const take = demo.RUNPOD_WEBHOOK_GET_JOB!.replace("$ID", demo.RUNPOD_POD_ID!);
    const job = await (await fetch(`${take}&job_in_progress=0`, { headers: auth })).json();
    assert.deepEqual(job.input, { n: 1 });
    assert.equal(job.id, jobId);
    const done = demo.RUNPOD_WEBHOOK_POST_OUTPUT!.replace("$RUNPOD_POD_ID", demo.RUNPOD_POD_ID!)
      .replace("$ID", job.id);
    const posted = await fetch(`${done}&isStream=false`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: JSON.stringify({ output: { doubled: 2 } }),
    });
    assert.equal(posted.status, 200);
    await posted.body?.cancel();
    const waited = await cli(runner, ["wait", queued.stdout.trim()], { env });
    assert.equal(waited.code, 0, waited.stderr);
    assert.equal(waited.stdout, '{"doubled":2}\n');
    server.kill("SIGINT");
    const result = await server.done();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Its jobs wait for worker processes/);
  });

  test("runpod emulator --external --json prints each endpoint's worker variables as an object", async () => {
    const server = new Cli(runner, ["emulator", "--external", "--json"]);
    const lines = await server.waitFor("stdout", /^(\{.*\})\n(\{.*\})\n/);
    const { baseUrl } = JSON.parse(lines[1]!);
    const demo = JSON.parse(lines[2]!);
    assert.equal(demo.ENDPOINT_ID, "demo");
    assert.equal(demo.RUNPOD_WEBHOOK_GET_JOB, `${baseUrl}/demo/job-take/$ID?gpu=emulated`);
    assert.equal(demo.RUNPOD_POD_ID, "worker-1");
    server.kill("SIGINT");
    assert.equal((await server.done()).code, 0);
  });
}
