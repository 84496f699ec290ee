// Exit codes, and how an error becomes a message and an exit code.
import {
  JobError,
  RunpodApiError,
  RunpodConnectionError,
  RunpodError,
  StreamGapError,
  TimeoutError,
} from "../mod.ts";

/** The command's exit codes (README "Command line" lists them). */
export const EXIT = {
  /** The command did what was asked; a job it waited for ended COMPLETED. */
  ok: 0,
  /** The job ended FAILED. */
  failed: 1,
  /** Bad arguments or options: nothing was sent. */
  usage: 2,
  /** The job ended CANCELLED. */
  cancelled: 3,
  /** The job ended TIMED_OUT (its `executionTimeout` ran out on RunPod). */
  timedOut: 4,
  /** The local `--timeout` ran out before the job ended. */
  timeout: 5,
  /** The API answered with an error, or could not be reached, or answered nonsense. */
  api: 6,
  /** `--wait-ready`: workers of the new release are unhealthy. */
  rollout: 7,
  /** A bug in this command. */
  internal: 70,
  /** Stopped by Ctrl-C (SIGINT). */
  sigint: 130,
  /** Stopped by SIGTERM. */
  sigterm: 143,
} as const;

/** The exit code for a job's final status. */
export function exitForStatus(status: string): number {
  switch (status) {
    case "COMPLETED":
      return EXIT.ok;
    case "FAILED":
      return EXIT.failed;
    case "CANCELLED":
      return EXIT.cancelled;
    case "TIMED_OUT":
      return EXIT.timedOut;
    default:
      return EXIT.api;
  }
}

/** A mistake in the command line: the message says what to type instead. */
export class UsageError extends Error {
  /** The command whose help to point at, if any. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** What to print for an error, and the exit code. */
export function describeFailure(
  error: unknown,
  verbose: boolean,
): { message: string; code: number } {
  if (error instanceof UsageError) {
    const help = error.command ? `runpod ${error.command} --help` : "runpod --help";
    return { message: `${error.message}\n(${help} shows every option)`, code: EXIT.usage };
  }
  if (error instanceof TimeoutError) {
    return { message: error.message, code: EXIT.timeout };
  }
  if (error instanceof JobError) {
    return { message: error.message, code: exitForStatus(error.status) };
  }
  if (error instanceof RunpodApiError) {
    return { message: error.message + apiHint(error), code: EXIT.api };
  }
  if (error instanceof StreamGapError || error instanceof RunpodConnectionError) {
    return { message: error.message, code: EXIT.api };
  }
  if (error instanceof RunpodError) return { message: error.message, code: EXIT.api };
  // The SDK refuses bad arguments with TypeError or RangeError before sending anything.
  if (error instanceof TypeError || error instanceof RangeError) {
    return { message: error.message, code: EXIT.usage };
  }
  const text = error instanceof Error
    ? (verbose && error.stack ? error.stack : `${error.name}: ${error.message}`)
    : String(error);
  return {
    message: `Unexpected error (a bug in runpod; please report it): ${text}`,
    code: EXIT.internal,
  };
}

/** The routes of the job API (`https://api.runpod.ai/v2/{endpoint}/...`), as errors name them. */
const JOB_API = /^[A-Z]+ \/(run|runsync|status|stream|cancel|retry|purge-queue|health|openai)\b/;

function apiHint(error: RunpodApiError): string {
  switch (error.status) {
    case 401:
    case 403:
      return "\nCheck the API key in RUNPOD_API_KEY (or --api-key-file): RunPod refused it.";
    case 404:
      // A management route's 404 names what was not found itself (a template, a pod...).
      if (!JOB_API.test(error.route ?? "")) return "";
      return error.jobId
        ? "\nA job id belongs to one endpoint: check the ENDPOINT in ENDPOINT/JOB (or -e)."
        : "\nCheck the endpoint id: the RunPod console shows it.";
    default:
      return "";
  }
}
