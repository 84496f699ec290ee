/** The CORS headers every answer carries, so that a browser page can call the emulator. */
export function corsHeaders(): Record<string, string> {
  return {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "authorization, content-type, last-event-id",
    "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "access-control-expose-headers": "retry-after, x-request-id, ratelimit, ratelimit-policy",
    "access-control-max-age": "86400",
  };
}

/** A JSON answer. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** An error answer: `{error: message}`. */
export function errorAnswer(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return json({ error: message }, status, headers);
}

/** The request's JSON body, or the error answer explaining why there is none. */
export type BodyResult = { body: Record<string, unknown> } | { answer: Response };

/**
 * Reads a `/run` or `/runsync` body: at most `limit` bytes (413 beyond),
 * valid JSON (400 otherwise), an object with `input` (400 otherwise).
 */
export async function readRunBody(request: Request, limit: number): Promise<BodyResult> {
  const tooLarge = () => ({
    answer: errorAnswer(413, `Request body too large: the limit is ${limit} bytes`),
  });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => {});
    return tooLarge();
  }
  if (request.body === null) {
    return { answer: errorAnswer(400, 'Request body is empty: expected {"input": ...}') };
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { answer: errorAnswer(400, "Request body is not valid JSON") };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body) || !("input" in body)) {
    return { answer: errorAnswer(400, "Request body must be a JSON object with an 'input' field") };
  }
  return { body: body as Record<string, unknown> };
}

/**
 * Reads the `wait` query parameter: 1000 to 300000 ms, or `fallback` when
 * absent; an error answer (400) when out of range or not a number.
 */
export function readWait(url: URL, fallback: number): number | Response {
  const raw = url.searchParams.get("wait");
  if (raw === null || raw === "") return fallback;
  const wait = Number(raw);
  if (!Number.isInteger(wait) || wait < 1000 || wait > 300_000) {
    return errorAnswer(400, `Invalid wait '${raw}': expected an integer from 1000 to 300000 (ms)`);
  }
  return wait;
}
