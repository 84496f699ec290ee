// Reads a Server-Sent Events body (text/event-stream) with web standards only,
// following the parsing rules of the HTML standard: UTF-8 with an optional BOM,
// lines ended by CRLF, LF or CR, `:` comments, the fields `event`, `data`, `id`
// and `retry`, an event dispatched at each blank line, and a last event that
// is not ended by a blank line discarded.

/** One event of a Server-Sent Events stream. */
export interface SseEvent {
  /** The event type: `"message"` unless the server named another. */
  event: string;
  /** The data lines of the event, joined by `\n`. */
  data: string;
  /** The last event id the stream set, at or before this event ("" when none). */
  id: string;
  /** The reconnection time the stream asked for, in ms, if it did. */
  retry?: number;
}

/**
 * Yields the events of a `text/event-stream` body, one at a time. Leaving the
 * loop early (`break`, `return`, a throw) cancels the body.
 *
 * @param body The response body.
 * @returns An async generator of events; it ends when the body ends.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let first = true;
  let event = "";
  let data: string[] = [];
  let id = "";
  let retry: number | undefined;
  let done = false;
  try {
    while (true) {
      const chunk = await reader.read();
      if (chunk.done) {
        done = true;
        // A CR that ended the body ended its line too.
        buffer += decoder.decode();
        if (!buffer.endsWith("\r")) return;
        buffer += "\n";
      } else buffer += decoder.decode(chunk.value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      let start = 0;
      while (true) {
        const end = lineEnd(buffer, start);
        if (end === -1) break;
        // A CR at the very end of the buffer may be the first half of a CRLF.
        if (buffer[end] === "\r" && end === buffer.length - 1) break;
        const line = buffer.slice(start, end);
        start = end + (buffer[end] === "\r" && buffer[end + 1] === "\n" ? 2 : 1);
        if (line === "") {
          if (data.length > 0) {
            const out: SseEvent = { event: event || "message", data: data.join("\n"), id };
            if (retry !== undefined) out.retry = retry;
            yield out;
          }
          event = "";
          data = [];
          continue;
        }
        if (line[0] === ":") continue;
        const colon = line.indexOf(":");
        const name = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? "" : line.slice(colon + 1);
        if (value[0] === " ") value = value.slice(1);
        if (name === "data") data.push(value);
        else if (name === "event") event = value;
        else if (name === "id") {
          if (!value.includes("\0")) id = value;
        } else if (name === "retry" && /^\d+$/.test(value)) retry = Number(value);
      }
      buffer = buffer.slice(start);
      if (done) return;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}
