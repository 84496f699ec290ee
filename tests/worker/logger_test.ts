import assert from "node:assert/strict";
import { consoleLogger, makeLog } from "../../src/worker/_logger.ts";

Deno.test("the log drops lines under its level and replaces the key wherever it appears", () => {
  const lines: string[] = [];
  const log = makeLog(
    { log: (level, message) => void lines.push(`${level}:${message}`) },
    "warn",
    "k3y",
  );
  log("info", "hidden");
  log("warn", "the key k3y and k3y again");
  assert.deepEqual(lines, ["warn:the key *** and *** again"]);
});

Deno.test("a logger that throws never takes the worker down", () => {
  const log = makeLog(
    {
      log: () => {
        throw new Error("disk full");
      },
    },
    "debug",
    undefined,
  );
  log("error", "still fine");
});

Deno.test("the console logger writes JSON lines {requestId, message, level} or plain lines", () => {
  const printed: string[] = [];
  const original = { log: console.log, error: console.error };
  console.log = (line: string) => void printed.push(line);
  console.error = (line: string) => void printed.push(line);
  try {
    consoleLogger(true).log("info", "job done", "job-1");
    consoleLogger(true).log("error", "no job");
    consoleLogger(false).log("warn", "slow", "job-2");
  } finally {
    Object.assign(console, original);
  }
  assert.deepEqual(JSON.parse(printed[0]!), {
    requestId: "job-1",
    message: "job done",
    level: "INFO",
  });
  assert.deepEqual(JSON.parse(printed[1]!), { requestId: null, message: "no job", level: "ERROR" });
  assert.equal(printed[2], "WARN  | job-2 | slow");
});
