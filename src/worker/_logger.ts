// The worker's log: levels, the key never shown, and the console logger
// (JSON lines on RunPod, plain text elsewhere).
import type { LogLevel, WorkerLogger } from "./types.ts";

/** The engine's logging function. */
export type Log = (level: LogLevel, message: string, jobId?: string) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * A `Log` over `logger`: lines under `level` dropped, every occurrence of the
 * key replaced by `***`, and a throwing logger ignored (logging never fails a job).
 */
export function makeLog(logger: WorkerLogger, level: LogLevel, key: string | undefined): Log {
  return (lineLevel, message, jobId) => {
    if (RANK[lineLevel] < RANK[level]) return;
    const text = key === undefined || key === "" ? message : message.replaceAll(key, "***");
    try {
      logger.log(lineLevel, text, jobId);
    } catch {
      // A logger that throws must not take the worker down.
    }
  };
}

/**
 * The default logger: one line per call on the console. With `json`, lines
 * are `{"requestId", "message", "level"}` as RunPod's log view reads them.
 */
export function consoleLogger(json: boolean): WorkerLogger {
  return {
    log(level, message, jobId) {
      const line = json
        ? JSON.stringify({ requestId: jobId ?? null, message, level: level.toUpperCase() })
        : `${level.toUpperCase().padEnd(5)} | ${
          jobId === undefined ? "" : `${jobId} | `
        }${message}`;
      // deno-lint-ignore no-console
      if (level === "error" || level === "warn") console.error(line);
      // deno-lint-ignore no-console
      else console.log(line);
    },
  };
}
