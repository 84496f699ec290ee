// The command's link to its runtime: arguments, environment, standard
// streams, files and signals, through Node's built-in modules (which Deno and
// Bun provide too). Everything else in cli/ talks to an `Io`, so the commands
// can be run in-process by tests.
import { readFile } from "node:fs/promises";
import process from "node:process";

/** Where the command writes: stdout or stderr. */
export interface Out {
  /** Writes text as it is. */
  write(text: string): void;
  /** Whether this stream is a terminal. */
  readonly isTTY: boolean;
  /** The terminal's width in columns, when it is one. */
  readonly columns: number | undefined;
}

/** The signals that stop a command: Ctrl-C, and a CI runner's stop. */
export type StopSignal = "SIGINT" | "SIGTERM";

/** The command's link to its runtime. */
export interface Io {
  /** Reads an environment variable. */
  env(name: string): string | undefined;
  /** Standard output: data only. */
  readonly stdout: Out;
  /** Standard error: notes, the live status line, errors. */
  readonly stderr: Out;
  /** Whether standard input is a terminal (then it is not read for input). */
  readonly stdinIsTTY: boolean;
  /** Reads standard input to its end. */
  readStdin(): Promise<string>;
  /** Reads a text file. */
  readFile(path: string): Promise<string>;
  /** Calls `handler` on SIGINT and SIGTERM until the returned function is called. */
  onStop(handler: (signal: StopSignal) => void): () => void;
  /** Exits at once with `code` (a second Ctrl-C). */
  exitNow(code: number): void;
}

function out(stream: typeof process.stdout | typeof process.stderr): Out {
  return {
    write: (text) => void stream.write(text),
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.isTTY ? stream.columns : undefined;
    },
  };
}

/** The `Io` of this process. */
export function processIo(): Io {
  return {
    env: (name) => process.env[name],
    stdout: out(process.stdout),
    stderr: out(process.stderr),
    stdinIsTTY: process.stdin.isTTY === true,
    async readStdin() {
      const chunks: Uint8Array[] = [];
      for await (const chunk of process.stdin) {
        chunks.push(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
      }
      return new TextDecoder().decode(concat(chunks));
    },
    readFile: (path) => readFile(path, "utf8"),
    onStop(handler) {
      const signals: StopSignal[] = process.platform === "win32"
        ? ["SIGINT"]
        : ["SIGINT", "SIGTERM"];
      const listeners = signals.map((signal) => {
        const listener = () => handler(signal);
        process.on(signal, listener);
        return [signal, listener] as const;
      });
      return () => {
        for (const [signal, listener] of listeners) process.off(signal, listener);
      };
    },
    exitNow: (code) => exit(code),
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/** Writes everything still buffered on stdout and stderr, then exits with `code`. */
export function exit(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}
