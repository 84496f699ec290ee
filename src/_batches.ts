// The code of the Batch Jobs client (src/batches.ts), loaded on its first
// call (a dynamic import), so that an app that only runs jobs does not carry
// it: bundlers put it in a chunk of its own.
import { delay } from "./delay.ts";
import type { CallOptions, RunRequest } from "./types.ts";
import {
  type Batch,
  type BatchPage,
  type BatchRequest,
  type BatchWaitOptions,
  isBatchDone,
} from "./batch.ts";
import { BATCH_LIMITS } from "./_runpod_facts.ts";
import { send, type Transport } from "./_http.ts";
import { call, open, sendParsed } from "./_request.ts";
import { BATCH_ROUTES } from "./_batch_routes.ts";
import { CallScope } from "./_scope.ts";
import { encodeRequest, named, WAIT_KEYS, type What } from "./_validate.ts";
import { keys } from "./_known_keys.ts";

/** The first pause between two reads of a batch in `waitFor`, and the longest, in ms. */
const POLL = { first: 1_000, max: 10_000 } as const;
/** How long a best-effort cancel after an abort may take, in ms. */
const CANCEL_TIMEOUT = 10_000;
/** The options of `requests`. */
const PAGE_KEYS = keys("pageSize");

/** `BatchJobs.create`: a DRAFT batch, then adds for what does not fit in one body. */
export async function create(
  t: Transport,
  endpointId: string,
  requests: RunRequest[],
  options: number | CallOptions | undefined,
): Promise<Batch> {
  const chunks = encodeChunks(`create a batch on endpoint '${endpointId}'`, requests, 0);
  const params = { endpointId };
  const { opts, scope } = open<CallOptions>(t, {
    call: BATCH_ROUTES.create.call,
    params,
    options,
    timeout: t.timeout,
  });
  try {
    const [first = [], ...rest] = chunks;
    let batch = await sendParsed(t, scope, BATCH_ROUTES.create, {
      params,
      body: `[${first.join(",")}]`,
      maxRetries: opts.maxRetries,
    });
    for (const chunk of rest) batch = await addChunk(t, scope, opts, endpointId, batch.id, chunk);
    return batch;
  } finally {
    scope.dispose();
  }
}

/** `BatchJobs.add`: as many adds of at most 10 MiB as needed. */
export async function add(
  t: Transport,
  endpointId: string,
  batchId: string,
  requests: RunRequest[],
  options: number | CallOptions | undefined,
): Promise<Batch> {
  const chunks = encodeChunks(`add requests to batch ${named(batchId)}`, requests, 1);
  const { opts, scope } = open<CallOptions>(t, {
    call: BATCH_ROUTES.add.call,
    params: { endpointId, batchId },
    options,
    timeout: t.timeout,
  });
  try {
    let batch: Batch | undefined;
    for (const chunk of chunks) batch = await addChunk(t, scope, opts, endpointId, batchId, chunk);
    return batch!;
  } finally {
    scope.dispose();
  }
}

/** `BatchJobs.finalize`, `get` and `cancel`: one call of the route. */
export async function batchCall(
  t: Transport,
  endpointId: string,
  route: "finalize" | "get" | "cancel",
  batchId: string,
  options: number | CallOptions | undefined,
): Promise<Batch> {
  return await call(t, BATCH_ROUTES[route], { endpointId, batchId }, options);
}

/** `BatchJobs.page`: one page of a batch's requests. */
export async function page<O>(
  t: Transport,
  endpointId: string,
  batchId: string,
  page: { offset?: number; limit?: number },
  options: number | CallOptions | undefined,
): Promise<BatchPage<O>> {
  const query = pageQuery(`read the requests of batch ${named(batchId)}`, page);
  return await call(t, BATCH_ROUTES.requests, { endpointId, batchId }, options, {
    query,
  }) as BatchPage<O>;
}

/** `BatchJobs.requests`: every request of a batch, page after page. */
export async function* requests<O>(
  t: Transport,
  endpointId: string,
  batchId: string,
  options: CallOptions & { pageSize?: number },
): AsyncGenerator<BatchRequest<O>, void, undefined> {
  const params = { endpointId, batchId };
  const { opts, scope } = open<CallOptions & { pageSize?: number }>(t, {
    call: BATCH_ROUTES.requests.call,
    params,
    options,
    known: PAGE_KEYS,
  });
  try {
    const limit =
      pageQuery(`read the requests of batch ${named(batchId)}`, { limit: opts.pageSize }).limit;
    for (let offset = 0;;) {
      const page = await sendParsed(t, scope, BATCH_ROUTES.requests, {
        params,
        query: { offset, limit },
        maxRetries: opts.maxRetries,
      }) as BatchPage<O>;
      for (const request of page.requests) yield request;
      if (!page.hasMore || page.requests.length === 0) return;
      offset += page.requests.length;
    }
  } finally {
    scope.dispose();
  }
}

/** `BatchJobs.waitFor`: reads the batch, pausing longer each time, until it is done. */
export async function waitFor(
  t: Transport,
  endpointId: string,
  batchId: string,
  options: number | BatchWaitOptions | undefined,
): Promise<Batch> {
  const params = { endpointId, batchId };
  const { opts, scope } = open<BatchWaitOptions>(t, {
    call: "wait for batch {batchId}",
    params,
    options,
    known: WAIT_KEYS,
  });
  try {
    let seen = "";
    for (let pause: number = POLL.first;; pause = Math.min(POLL.max, Math.round(pause * 1.5))) {
      const batch = await sendParsed(t, scope, BATCH_ROUTES.get, {
        params,
        maxRetries: opts.maxRetries,
      });
      const print = JSON.stringify([
        batch.status,
        batch.requestInProgress,
        batch.requestCompleted,
        batch.requestFailed,
        batch.requestTotal,
      ]);
      if (print !== seen) {
        seen = print;
        opts.onStatus?.(batch);
      }
      if (isBatchDone(batch)) return batch;
      await delay(pause, { signal: scope.signal, clock: t.clock });
    }
  } catch (error) {
    if (opts.cancelOnAbort && scope.signal.aborted) await cancelQuietly(t, params);
    throw error;
  } finally {
    scope.dispose();
  }
}

async function addChunk(
  t: Transport,
  scope: CallScope,
  opts: CallOptions,
  endpointId: string,
  batchId: string,
  chunk: string[],
): Promise<Batch> {
  return await sendParsed(t, scope, BATCH_ROUTES.add, {
    params: { endpointId, batchId },
    body: `{"requests":[${chunk.join(",")}]}`,
    maxRetries: opts.maxRetries,
  });
}

async function cancelQuietly(
  t: Transport,
  params: { endpointId: string; batchId: string },
): Promise<void> {
  const scope = new CallScope(
    t,
    CANCEL_TIMEOUT,
    undefined,
    `cancel batch ${named(params.batchId)}`,
  );
  try {
    await send(t, scope, BATCH_ROUTES.cancel, { params });
  } catch {
    // Best effort: the caller's own error says what happened to the wait.
  } finally {
    scope.dispose();
  }
}

/**
 * Encodes each request and groups them into bodies of at most 10 MiB;
 * refuses more than a batch holds, or (for a create) none at all.
 */
function encodeChunks(what: What, requests: unknown, least: number): string[][] {
  if (!Array.isArray(requests)) {
    throw new TypeError(`Cannot ${what}: requests must be an array of { input: ... }`);
  }
  if (requests.length < least) {
    throw new RangeError(`Cannot ${what}: give at least ${least} request`);
  }
  if (requests.length > BATCH_LIMITS.requestsPerBatch) {
    throw new RangeError(
      `Cannot ${what}: ${requests.length} requests, and a batch holds at most ${BATCH_LIMITS.requestsPerBatch}; split them over several batches`,
    );
  }
  const room = BATCH_LIMITS.bodyBytes - 64; // the body's own brackets and key
  const encoder = new TextEncoder();
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const request of requests) {
    const encoded = encodeRequest(what, request, room);
    const bytes = encoder.encode(encoded).byteLength + 1;
    if (chunk.length > 0 && size + bytes > room) {
      chunks.push(chunk);
      chunk = [];
      size = 0;
    }
    chunk.push(encoded);
    size += bytes;
  }
  if (chunk.length > 0 || chunks.length === 0) chunks.push(chunk);
  return chunks;
}

function pageQuery(
  what: What,
  page: { offset?: number | undefined; limit?: number | undefined },
): { offset: number; limit: number } {
  const { offset = 0, limit = 100 } = page ?? {};
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`Cannot ${what}: offset must be an integer ≥ 0, received ${offset}`);
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `Cannot ${what}: the page size must be a positive integer, received ${limit}`,
    );
  }
  return { offset, limit };
}
