// `runpod chat`, run as a child process against the served emulator, whose
// OpenAI-compatible routes answer with `openaiWorker` (the reply echoes the
// prompt). The same cases run for Deno and for Node (deno_test.ts, node_test.ts).
import assert from "node:assert/strict";
import { Cli, cli, ENDPOINT, type Runner, Served } from "./_cli.ts";

/** Registers the cases for `runner`: all of them, or those whose name `only` matches. */
export function chatCases(runner: Runner, only?: RegExp): void {
  const test = (name: string, fn: () => Promise<void>) => {
    if (!only || only.test(name)) Deno.test({ name: `${runner.name}: ${name}`, fn });
  };

  test("chat streams the reply to stdout, asking the model /models lists first", async () => {
    await using served = new Served();
    const result = await cli(runner, ["chat", ENDPOINT, "a horse"], { served });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "echo: a horse\n");
    assert.match(result.stderr, /^test-model: finish_reason stop, /m);
    assert.equal(served.emulator.countRequests("GET /openai/v1/models"), 1);
    assert.deepEqual(served.emulator.jobs.at(-1)!.input, {
      openai_route: "/v1/chat/completions",
      openai_input: {
        model: "test-model",
        messages: [{ role: "user", content: "a horse" }],
        stream: true,
      },
    });

    const given = await cli(runner, [
      "chat",
      ENDPOINT,
      "a horse",
      "--model",
      "my-model",
      "--system",
      "Be brief.",
      "--max-tokens",
      "1",
    ], { served });
    assert.equal(given.code, 0, given.stderr);
    assert.equal(given.stdout, "echo: \n", "cut after one word, and the line ended");
    assert.match(given.stderr, /^my-model: finish_reason length/m);
    assert.equal(served.emulator.countRequests("GET /openai/v1/models"), 1, "--model: no lookup");
    assert.deepEqual(served.emulator.jobs.at(-1)!.input, {
      openai_route: "/v1/chat/completions",
      openai_input: {
        model: "my-model",
        messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "a horse" }],
        max_tokens: 1,
        stream: true,
      },
    });
  });

  test("chat --json prints each chunk as a JSON line; --no-stream prints the whole answer", async () => {
    await using served = new Served();
    const json = await cli(runner, ["chat", ENDPOINT, "hi there", "--json", "--model", "m"], {
      served,
    });
    assert.equal(json.code, 0, json.stderr);
    const chunks = json.stdout.trim().split("\n").map((line) => JSON.parse(line));
    assert.ok(chunks.every((chunk) => chunk.object === "chat.completion.chunk"));
    assert.equal(chunks.map((c) => c.choices[0].delta.content ?? "").join(""), "echo: hi there");
    assert.equal(chunks.at(-1).choices[0].finish_reason, "stop");

    const whole = await cli(runner, ["chat", ENDPOINT, "hi", "--no-stream", "--model", "m"], {
      served,
    });
    assert.equal(whole.code, 0, whole.stderr);
    assert.equal(whole.stdout, "echo: hi\n");
    const job = served.emulator.jobs.at(-1)!;
    assert.equal((job.input as { openai_input: { stream: boolean } }).openai_input.stream, false);

    const wholeJson = await cli(runner, ["chat", ENDPOINT, "hi", "--no-stream", "--json", "-q"], {
      served,
    });
    assert.equal(wholeJson.stderr, "");
    const answer = JSON.parse(wholeJson.stdout);
    assert.equal(answer.object, "chat.completion");
    assert.equal(answer.choices[0].message.content, "echo: hi");
  });

  test("chat exits 2 on a bad line before sending, and 6 on a refused key, which it never prints", async () => {
    await using served = new Served();
    const empty = await cli(runner, ["chat", ENDPOINT], { served });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /The prompt is empty: write one after the endpoint/);
    const zero = await cli(runner, ["chat", ENDPOINT, "hi", "--max-tokens", "0"], { served });
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /--max-tokens takes a whole number of at least 1, not '0'/);
    assert.equal(served.emulator.requests.length, 0);

    const wrongKey = "sk-wrong-key-0123456789";
    const refused = await cli(runner, ["chat", ENDPOINT, "hi", "--model", "m", "-v"], {
      served,
      env: { RUNPOD_API_KEY: wrongKey },
    });
    assert.equal(refused.code, 6);
    assert.match(refused.stderr, /POST \/openai\/v1\/chat\/completions failed with HTTP 401/);
    assert.match(refused.stderr, /Check the API key in RUNPOD_API_KEY/);
    assert.equal(refused.stdout, "");
    assert.ok(!refused.stderr.includes(wrongKey), "the key is not printed");
    assert.equal(served.emulator.jobs.length, 0);
  });

  test("Ctrl-C during chat aborts the streamed request, the job is cancelled, exit 130", async () => {
    await using served = new Served();
    const child = new Cli(runner, ["chat", ENDPOINT, "hold", "--model", "m"], { served });
    await child.waitFor("stdout", /echo: /);
    child.kill("SIGINT");
    const result = await child.done();
    assert.equal(result.code, 130, result.stderr);
    assert.equal(result.stdout, "echo: \n", "the reply's line is ended");
    assert.match(result.stderr, /Interrupted by Ctrl-C: the chat request was aborted/);
    const id = await served.chatCancelled;
    assert.equal(served.status(id), "CANCELLED");
  });
}
