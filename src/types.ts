import type { Clock } from "./clock.ts";

/**
 * A job's status as RunPod reports it. `RUNNING` is listed in RunPod's docs
 * but not seen in practice; any status the SDK does not know is kept as
 * given and treated as not terminal.
 */
export type JobStatus =
  | "IN_QUEUE"
  | "IN_PROGRESS"
  | "RUNNING"
  | "COMPLETED"
  | "FAILED"
  | "CANCELLED"
  | "TIMED_OUT"
  // deno-lint-ignore ban-types
  | (string & {});

/** The statuses after which a job never changes again. */
export type TerminalStatus = "COMPLETED" | "FAILED" | "CANCELLED" | "TIMED_OUT";

/** Per-job execution policy sent with a request. */
export interface JobPolicy {
  /** Maximum execution time in ms (RunPod: default 600000, 5 s to 7 days). */
  executionTimeout?: number;
  /** When true, the job does not make the endpoint scale workers up. */
  lowPriority?: boolean;
  /** Time to live in ms (RunPod: default 86400000, 10 s to 7 days); the job is deleted when it expires. */
  ttl?: number;
}

/** Where a worker may upload its results. */
export interface S3Config {
  /** Access key id. */
  accessId: string;
  /** Secret access key. */
  accessSecret: string;
  /** Bucket name. */
  bucketName: string;
  /** The S3-compatible endpoint URL. */
  endpointUrl: string;
  /** Object path prefix (undocumented by RunPod). */
  objectPath?: string;
}

/** The body of a `/run` or `/runsync` request. */
export interface RunRequest<I = unknown> {
  /** What the worker receives as `job.input`: any JSON value. */
  input: I;
  /** A URL that RunPod POSTs the finished job to. */
  webhook?: string;
  /** Execution policy. */
  policy?: JobPolicy;
  /** S3 upload settings. */
  s3Config?: S3Config;
}

/** What `/run`, `/cancel` and `/retry` answer: a job's id and status. */
export interface JobHandle {
  /** The job id. */
  id: string;
  /** The job's status at the time of the answer. */
  status: JobStatus;
}

/** A job as `/status` shows it. */
export interface Job<O = unknown> extends JobHandle {
  /** Milliseconds the job waited in the queue. */
  delayTime?: number;
  /** Milliseconds the job ran. */
  executionTime?: number;
  /** The worker's output (or its latest progress update while IN_PROGRESS). */
  output?: O;
  /** What a FAILED job reported; often a JSON string from a Python worker. */
  error?: unknown;
  /** The worker that ran the job. */
  workerId?: string;
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/** One item of a job's stream. */
export interface StreamItem<O = unknown> {
  /** What the worker yielded. */
  output: O;
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/** What `/stream` answers. */
export interface StreamChunk<O = unknown> {
  /** The job's status when the poll was answered. */
  status: JobStatus;
  /** Items produced since the previous poll, oldest first. */
  stream: StreamItem<O>[];
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/** What `/purge-queue` answers. */
export interface PurgeResult {
  /** How many queued jobs were removed. */
  removed: number;
  /** `"completed"` when the purge ran. */
  status: string;
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/** What `/health` answers. */
export interface EndpointHealth {
  /** Job counts. */
  jobs: {
    completed: number;
    failed: number;
    inProgress: number;
    inQueue: number;
    retried: number;
    [key: string]: number;
  };
  /** Worker counts. */
  workers: {
    idle: number;
    running: number;
    [key: string]: number;
  };
  /** Any other field the API returns is kept. */
  [key: string]: unknown;
}

/** Options every {@linkcode Endpoint} method accepts. */
export interface CallOptions {
  /**
   * The local timeout for the whole call in ms, retries and polling included.
   * On expiry the call rejects with a {@linkcode TimeoutError}.
   *
   * @default {30000} for single requests; none for `runSync`, `waitFor` and `stream`
   */
  timeout?: number;
  /**
   * Aborts the call: it rejects with `signal.reason`.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * How many times a retryable failure is retried (overrides the client's).
   *
   * @default {2}
   */
  maxRetries?: number;
}

/** Options for {@linkcode Endpoint.runSync} and {@linkcode Endpoint.waitFor}. */
export interface WaitOptions<O = unknown> extends CallOptions {
  /**
   * Called with the job each time its status (or its progress output) changes.
   *
   * @default {undefined}
   */
  onStatus?: (job: Job<O>) => void;
  /**
   * When true, a job still running when the call times out or is aborted is
   * cancelled with `/cancel`, so nobody pays for a result no one will read.
   *
   * @default {false}
   */
  cancelOnAbort?: boolean;
}

/** Options for {@linkcode Endpoint.stream}. */
export interface StreamOptions extends CallOptions {
  /**
   * When true, the stream carries on after a poll whose answer was lost (its
   * items, already drained on the server, are gone). When false, such a loss
   * makes the generator throw a {@linkcode StreamGapError}.
   *
   * @default {false}
   */
  allowGaps?: boolean;
  /**
   * When true, a job still running when the stream times out, is aborted or
   * is left early (`break`) is cancelled with `/cancel`.
   *
   * @default {false}
   */
  cancelOnAbort?: boolean;
}

/** Options of {@linkcode runpodSdk}. */
export interface ClientOptions {
  /**
   * The API's base URL, without the endpoint id. Plain `http://` is accepted
   * only for loopback hosts unless {@linkcode ClientOptions.allowInsecureHttp} is set.
   *
   * @default {"https://api.runpod.ai/v2"}
   */
  baseUrl?: string;
  /**
   * Allows a plain `http://` base URL on a host other than loopback (the API
   * key then travels in clear text).
   *
   * @default {false}
   */
  allowInsecureHttp?: boolean;
  /**
   * The `fetch` to send requests with; the emulator's `fetch` plugs in here.
   *
   * @default {globalThis.fetch}
   */
  fetch?: (input: Request | URL | string, init?: RequestInit) => Promise<Response>;
  /**
   * How many times a retryable failure is retried.
   *
   * @default {2}
   */
  maxRetries?: number;
  /**
   * The default local timeout of single-request calls, in ms.
   *
   * @default {30000}
   */
  timeout?: number;
  /**
   * Extra headers sent with every request. `Authorization` cannot be overridden.
   *
   * @default {{}}
   */
  headers?: Record<string, string>;
  /**
   * The clock the SDK waits on (backoff, polling, timeouts).
   *
   * @default {realClock}
   */
  clock?: Clock;
}
