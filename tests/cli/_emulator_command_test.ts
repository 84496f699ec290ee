// `runpod emulator` in-process: what ends it after a stop signal (issue 23,
// item 11). The spawned cases (Deno, Node) are in _job_cases.ts.
import assert from "node:assert/strict";
import type { Io, StopSignal } from "../../cli/_io.ts";
import { main } from "../../cli/_main.ts";

/** An Io whose stdout resolves `line` with the first line written, and whose stop() sends a signal. */
function served() {
  let handler: ((signal: StopSignal) => void) | undefined;
  let first!: (line: string) => void;
  const line = new Promise<string>((resolve) => first = resolve);
  let out = "";
  let err = "";
  const io: Io = {
    env: () => undefined,
    stdout: {
      write(text) {
        out += text;
        if (out.includes("\n")) first(out.slice(0, out.indexOf("\n")));
      },
      isTTY: false,
      columns: undefined,
    },
    stderr: { write: (text) => void (err += text), isTTY: false, columns: undefined },
    stdinIsTTY: true,
    readStdin: () => Promise.resolve(""),
    readFile: () => Promise.reject(new Error("no files here")),
    onStop(fn) {
      handler = fn;
      return () => handler = undefined;
    },
    exitNow: () => {
      throw new Error("exitNow");
    },
  };
  return { io, line, stop: (signal: StopSignal) => handler?.(signal), err: () => err };
}

Deno.test("runpod emulator ends on SIGTERM once its connections close, on no timer", async () => {
  const session = served();
  const running = main(["emulator", "--json"], session.io);
  const { baseUrl, apiKey } = JSON.parse(await session.line);
  const headers = { authorization: `Bearer ${apiKey}` };
  // A connection left open and idle (keep-alive), and a request still held: /runsync of a
  // job that would run a minute.
  const health = await fetch(`${baseUrl}/demo/health`, { headers });
  assert.equal(health.status, 200);
  await health.body?.cancel();
  const held = fetch(`${baseUrl}/demo/runsync`, {
    method: "POST",
    headers,
    body: JSON.stringify({ input: { seconds: 60 } }),
  }).then(async (r) => `answered ${r.status}: ${await r.text()}`, (e) => `dropped: ${e}`);
  // Held once the job runs: /health says so.
  for (;;) {
    const answer = await fetch(`${baseUrl}/demo/health`, { headers });
    if ((await answer.json()).jobs.inProgress === 1) break;
  }
  // Every timer set from the signal on: none may be what the exit waits for.
  const timers: number[] = [];
  const setTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    timers.push(ms ?? 0);
    return setTimeout(fn, ms);
  }) as typeof globalThis.setTimeout;
  let code: number;
  try {
    session.stop("SIGTERM");
    code = await running;
  } finally {
    globalThis.setTimeout = setTimeout;
  }
  assert.equal(code, 0, session.err());
  assert.match(session.err(), /Emulator stopped\n$/);
  assert.deepEqual(timers.filter((ms) => ms >= 100), [], "no timer of 100 ms or more");
  // The held request was not waited for: its connection was closed under it.
  assert.match(await held, /^dropped: /);
});
