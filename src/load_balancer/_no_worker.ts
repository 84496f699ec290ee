// Which answers of a load-balancing endpoint mean that no worker took the
// request (../shared/runpod-load-balancing.md): RunPod's "no workers
// available" (its HTTP status is not documented, so any 4xx/5xx with that
// text counts), 400 "timed out waiting for worker" or `worker_timeout`, and
// the proxy's 502 (the worker's port unreachable) and 503. Such a request was
// processed by no worker, so it may be sent again whatever its method.
import type { NoWorkerReason } from "./errors.ts";

/** The most of an error answer's body read to recognize it: RunPod's are a few dozen bytes. */
const PEEK = 64 * 1024;

/** A failed answer read: why no worker took it (if that is what it says), its body, and the answer to hand on. */
export interface Peeked {
  reason: NoWorkerReason | undefined;
  /** The body's text, where it was read whole. */
  text: string | undefined;
  /** The answer with its body intact (rebuilt from what was read). */
  response: Response;
}

/**
 * Reads up to 64 KB of a 4xx/5xx answer's body to tell RunPod's own answers
 * from the worker's; the answer handed on has its whole body still to read.
 */
export async function peek(response: Response): Promise<Peeked> {
  const { status } = response;
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = reader === undefined;
  while (!done && size < PEEK) {
    const next = await reader!.read();
    if (next.done) done = true;
    else {
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  }
  const text = done ? new TextDecoder().decode(concat(chunks, size)) : undefined;
  const reason = classify(status, text);
  if (done) reader?.releaseLock();
  const body = reader === undefined ? null : done ? concat(chunks, size) : resume(chunks, reader);
  const rebuilt = new Response(body as BodyInit | null, {
    status,
    statusText: response.statusText,
    headers: response.headers,
  });
  return { reason, text, response: rebuilt };
}

/** Why no worker took a request answered `status` with body `text`, or undefined where a worker answered. */
function classify(status: number, text: string | undefined): NoWorkerReason | undefined {
  if (status < 400) return undefined;
  if (text !== undefined && /no workers available/i.test(text)) return "no-workers";
  if (
    status === 400 && text !== undefined &&
    /timed out waiting for worker|worker_timeout/i.test(text)
  ) {
    return "worker-timeout";
  }
  if (status === 502) return "bad-gateway";
  if (status === 503) return "unavailable";
  return undefined;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/** A body of the chunks already read, then the rest of the reader's. */
function resume(
  chunks: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const first = chunks.shift();
      if (first !== undefined) return controller.enqueue(first);
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
