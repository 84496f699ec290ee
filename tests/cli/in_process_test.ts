// deno-lint-ignore-file no-control-regex
// The command run in-process with a fake terminal: what only a terminal
// shows (the live status line, colour), and the helpers behind the output.
import assert from "node:assert/strict";
import type { EndpointHealth } from "../../mod.ts";
import type { Worker } from "../../rest.ts";
import { parseDuration } from "../../cli/_args.ts";
import type { Io, StopSignal } from "../../cli/_io.ts";
import { main } from "../../cli/_main.ts";
import { formatDuration, formatTable } from "../../cli/_output.ts";
import { queueHint } from "../../cli/_status_line.ts";

interface FakeIo extends Io {
  out: string;
  err: string;
  stop(signal: StopSignal): void;
}

function fakeIo(options: { tty?: boolean; env?: Record<string, string>; stdinIsTTY?: boolean }) {
  const tty = options.tty ?? true;
  let handler: ((signal: StopSignal) => void) | undefined;
  const io: FakeIo = {
    out: "",
    err: "",
    env: (name) => options.env?.[name],
    stdout: {
      write: (text) => void (io.out += text),
      isTTY: tty,
      columns: tty ? 120 : undefined,
    },
    stderr: {
      write: (text) => void (io.err += text),
      isTTY: tty,
      columns: tty ? 120 : undefined,
    },
    stdinIsTTY: options.stdinIsTTY ?? tty,
    readStdin: () => Promise.resolve(""),
    readFile: () => Promise.reject(new Error("no files here")),
    onStop(fn) {
      handler = fn;
      return () => handler = undefined;
    },
    exitNow: () => {
      throw new Error("exitNow");
    },
    stop: (signal) => handler?.(signal),
  };
  return io;
}

Deno.test("on a terminal, a live status line is drawn on stderr and erased before the summary", async () => {
  const io = fakeIo({});
  const code = await main(["--emulator", "run", "demo", "-i", '{"seconds":0.05}'], io);
  assert.equal(code, 0, io.err);
  assert.match(io.err, /\r\x1b\[2K⠋ \x1b\[34mSUBMITTED\x1b\[0m · \d+ ms/);
  assert.match(io.err, /\r\x1b\[2Kdemo\/\S+ \x1b\[32mCOMPLETED\x1b\[0m \(waited/);
  // The output is pretty-printed JSON on a terminal.
  assert.equal(io.out, '{\n  "echo": {\n    "seconds": 0.05\n  }\n}\n');
});

Deno.test("NO_COLOR turns colour off on a terminal; the live line stays", async () => {
  const io = fakeIo({ env: { NO_COLOR: "1" } });
  const code = await main(["--emulator", "run", "demo", "-i", '{"seconds":0.05}'], io);
  assert.equal(code, 0);
  assert.match(io.err, /⠋ SUBMITTED · /);
  assert.ok(!/\x1b\[\d+m/.test(io.err), "no colour code");
});

Deno.test("run on a terminal without --input says how to give one, and sends nothing", async () => {
  const io = fakeIo({ stdinIsTTY: true });
  const code = await main(["--emulator", "run", "demo"], io);
  assert.equal(code, 2);
  assert.match(
    io.err,
    /The job needs an input: --input '\{"prompt":"a horse"\}', --input @job\.json, or pipe JSON on stdin/,
  );
});

Deno.test("Ctrl-C during the wait cancels the job in-process too", async () => {
  const io = fakeIo({ tty: false });
  const running = main(["--emulator", "run", "demo", "-i", '{"seconds":60}'], io);
  while (!io.err.includes("IN_PROGRESS")) await new Promise((r) => setTimeout(r, 5));
  io.stop("SIGINT");
  assert.equal(await running, 130);
  assert.match(io.err, /Interrupted by Ctrl-C: cancelling job demo\/\S+/);
  assert.match(io.err, /cancelled: CANCELLED/);
});

Deno.test("durations take ms, s, m, h and d; a bare number is seconds", () => {
  assert.equal(parseDuration("500ms", "--timeout"), 500);
  assert.equal(parseDuration("1.5s", "--timeout"), 1_500);
  assert.equal(parseDuration("10m", "--timeout"), 600_000);
  assert.equal(parseDuration("2h", "--timeout"), 7_200_000);
  assert.equal(parseDuration("7d", "--timeout"), 604_800_000);
  assert.equal(parseDuration("30", "--timeout"), 30_000);
  assert.throws(() => parseDuration("-1s", "--timeout"), /--timeout takes a duration/);
  assert.throws(() => parseDuration("soon", "--ttl"), /--ttl takes a duration/);
  assert.equal(formatDuration(850), "850 ms");
  assert.equal(formatDuration(12_340), "12.3 s");
  assert.equal(formatDuration(245_000), "4 min 05 s");
});

Deno.test("tables align their columns, colour codes aside", () => {
  assert.equal(
    formatTable(["ID", "NAME", "STATUS"], [["a", "first", "\x1b[32mRUNNING\x1b[0m"], [
      "bbbb",
      "x",
      "IDLE",
    ]]),
    "ID    NAME   STATUS\na     first  \x1b[32mRUNNING\x1b[0m\nbbbb  x      IDLE",
  );
});

Deno.test("a job stuck IN_QUEUE is explained from the workers /health reports", () => {
  const health = (workers: Record<string, number>): EndpointHealth => ({
    jobs: { completed: 0, failed: 0, inProgress: 0, inQueue: 1, retried: 0 },
    workers: { idle: 0, running: 0, ...workers },
  });
  assert.match(queueHint(health({ unhealthy: 2 }))!, /unhealthy \(a crash loop\?\)/);
  assert.match(queueHint(health({ throttled: 1 }))!, /throttled: no GPU/);
  assert.match(queueHint(health({ initializing: 1 }))!, /starting/);
  assert.match(queueHint(health({ running: 3 }))!, /all workers are busy/);
  assert.match(queueHint(health({}))!, /no workers/);
  assert.equal(queueHint(health({ idle: 1 })), undefined);
  // With the management API's worker list, the unhealthy worker is named, with its logs command.
  const worker = (id: string, status: Worker["status"]): Worker => ({
    id,
    status,
    isStale: false,
    gpuCount: 1,
  });
  assert.equal(
    queueHint(health({ unhealthy: 1 }), {
      endpointId: "ep1",
      list: [worker("w1", "UNHEALTHY"), worker("w2", "INITIALIZING")],
    }),
    "1 worker is unhealthy (a crash loop?): runpod endpoints logs ep1 w1",
  );
  assert.match(
    queueHint(health({ running: 1, unhealthy: 1 }), {
      endpointId: "ep1",
      list: [worker("w1", "UNHEALTHY"), worker("w2", "RUNNING")],
    })!,
    /all workers are busy/,
  );
});
