// RunPod's documented numbers, in one place for the client and the emulator.
// Sources: ../shared/runpod-api.md (docs.runpod.io and RunPod's own clients).
// When RunPod changes a number, change it here and nowhere else.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** The server-side wait (`?wait=` of `/runsync` and `/stream`) RunPod accepts, in ms. */
export const WAIT_RANGE = { min: SECOND, max: 300 * SECOND } as const;

/** How long RunPod holds a `/runsync` by default, in ms (the most `runSync` asks for). */
export const RUNSYNC_HOLD = 90 * SECOND;

/** How long RunPod holds an empty `/stream` poll without `?wait=`, in ms (about 10 s). */
export const STREAM_HOLD = 10 * SECOND;

/** How long a finished job's result is kept, by the route that submitted it, in ms. */
export const RESULT_RETENTION = { run: 30 * MINUTE, runsync: MINUTE } as const;

/** A job's `policy` defaults and accepted ranges, in ms. */
export const POLICY = {
  executionTimeout: { default: 600 * SECOND, min: 5 * SECOND, max: 7 * DAY },
  ttl: { default: DAY, min: 10 * SECOND, max: 7 * DAY },
} as const;

/** The largest JSON body each submit route accepts, in bytes. */
export const PAYLOAD_LIMITS = { run: 10 * 1024 * 1024, runsync: 20 * 1024 * 1024 } as const;

/** A result larger than this fails to upload: the job ends COMPLETED with no output, in bytes. */
export const RESULT_LIMIT = 20 * 1024 * 1024;

/** The largest stream item; a larger one is split into several, in bytes. */
export const STREAM_ITEM_LIMIT = 1024 * 1024;

/**
 * RunPod's base rate limits per endpoint and route: requests per 10 s window and
 * requests in flight at once. The effective limit is the higher of this and
 * `running workers x a per-worker rate`.
 */
export const RATE_LIMITS = {
  window: 10 * SECOND,
  routes: {
    runsync: { rate: 2000, concurrent: 400 },
    run: { rate: 1000, concurrent: 200 },
    status: { rate: 2000, concurrent: 400 },
    stream: { rate: 2000, concurrent: 400 },
    cancel: { rate: 100, concurrent: 20 },
    // RunPod documents no concurrency for /purge-queue: its rate bounds it.
    "purge-queue": { rate: 2, concurrent: 2 },
    openai: { rate: 2000, concurrent: 400 },
  },
} as const;

/** A queue deeper than both numbers answers `/run` with 429. */
export const DEEP_QUEUE = { minQueued: 50, perMaxWorker: 500 } as const;

/** Webhook delivery: attempts after the first, and the pause between them, in ms. */
export const WEBHOOK_RETRIES = { extra: 2, delay: 10_000 } as const; // 10 s

/**
 * The worker protocol as runpod-python 1.12 speaks it (../shared/runpod-worker-protocol.md): the
 * heartbeat's default interval (`RUNPOD_PING_INTERVAL`), and how long its take waits for an answer
 * before taking again (RunPod's server must answer a held take sooner), in ms.
 */
export const WORKER_PROTOCOL = { pingInterval: 10_000, takeTimeout: 90_000 } as const;

// The management API (REST v2, https://api.runpod.io/v2): ../shared/runpod-rest-api.md and
// RunPod's OpenAPI document (runpod-rest-v2.openapi.json).

/**
 * The management API's rate-limit policy for the minute window as the OpenAPI document's
 * example shows it (`RateLimit-Policy: "minute";q=60;w=60`); live quotas are larger.
 */
export const REST_RATE_LIMIT_EXAMPLE = { quota: 60, window: MINUTE } as const;

/** What a serverless endpoint created without these fields gets. */
export const REST_ENDPOINT_DEFAULTS = {
  workers: { min: 0, max: 3, idleTimeout: 10 },
  flashboot: "OFF",
  timeout: 300_000, // 300 s
} as const;

/** The backfill of a log stream (`tail`): lines sent when the query does not say. */
export const REST_LOG_TAIL = { default: 100, max: 5000 } as const;

/**
 * The Batch Jobs API (beta): active batches (a DRAFT batch, or a FINALIZED one
 * not done) per endpoint, requests per batch, requests of active batches not
 * done yet per endpoint, and the largest body of one create or add, in bytes.
 */
export const BATCH_LIMITS = {
  activePerEndpoint: 10,
  requestsPerBatch: 5_000,
  queuedPerEndpoint: 50_000,
  bodyBytes: 10 * 1024 * 1024,
} as const;

// Load-balancing endpoints (REST v2 `type: "LOAD_BALANCER"`): ../shared/runpod-load-balancing.md.

/**
 * A load-balancing endpoint's documented numbers: the largest request and
 * answer body (30 MB, bytes), how long RunPod holds a request waiting for a
 * worker to take it (about 2 min) and how long one may be processed (5.5
 * min; older docs: then cut with HTTP 524), in ms; the worker's default
 * `PORT` and `HEALTH_CHECK_PATH`.
 */
export const LOAD_BALANCER = {
  bodyLimit: 30 * 1024 * 1024,
  workerWait: 2 * MINUTE,
  processing: 5.5 * MINUTE,
  port: 80,
  healthPath: "/ping",
} as const;
