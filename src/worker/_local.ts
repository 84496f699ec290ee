// Local mode: run the handler once on a test input (`--test-input` or
// ./test_input.json), print what it would post, and give the exit code.
import type { Reporter } from "./_error_report.ts";
import type { Log } from "./_logger.ts";
import { isPlainObject } from "../_handler_values.ts";
import { runHandler } from "./_run_handler.ts";
import type { Handler } from "./types.ts";

/** The job id of a local test run (runpod-python's). */
export const LOCAL_JOB_ID = "local_test";

/** Runs `handler` once on the JSON text `inputText`; resolves with the exit code (0 or 1). */
export async function runLocal(
  handler: Handler,
  inputText: string,
  source: string,
  reporter: Reporter,
  log: Log,
  options: { refreshAll: boolean; signal: AbortSignal },
): Promise<number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(inputText);
  } catch (error) {
    log("error", `the test input (${source}) is not JSON: ${String(error)}`);
    return 1;
  }
  if (!isPlainObject(parsed) || !("input" in parsed)) {
    log("error", `the test input (${source}) needs an "input" field: {"input": {...}}`);
    return 1;
  }
  const job = { ...parsed, id: LOCAL_JOB_ID, input: parsed.input };
  log("info", `running the handler once on the test input from ${source}`, LOCAL_JOB_ID);
  const outcome = await runHandler(
    {
      handler,
      reporter,
      refreshAll: options.refreshAll,
      aggregate: true,
      streamItem: (text) => {
        log("info", `stream item: ${text}`, LOCAL_JOB_ID);
        return Promise.resolve();
      },
    },
    job,
    {
      signal: options.signal,
      workerId: reporter.workerId,
      progress: (value) => {
        let text: string;
        try {
          text = JSON.stringify(value ?? null);
        } catch (error) {
          text = `(not JSON: ${String(error)})`;
        }
        log("info", `progress: ${text}`, LOCAL_JOB_ID);
        return Promise.resolve();
      },
    },
  );
  log(outcome.body.failed ? "error" : "info", `job result: ${outcome.body.text}`, LOCAL_JOB_ID);
  return outcome.body.failed ? 1 : 0;
}
