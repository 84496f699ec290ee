// A small reader of Server-Sent Events bodies (text/event-stream), for the
// OpenAI-compatible routes: the data of each event, as the HTML standard
// parses it (lines ended by LF or CRLF, `:` comments, data lines joined by
// LF, an event dispatched at a blank line). Only `data` is kept: the routes
// send no other field the command needs.

/**
 * Yields the data of each event of `body`, one at a time. A last event that
 * no blank line ends is dropped, as the standard says. Leaving early
 * (`break`, a throw, an abort) cancels the body.
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let first = true;
  let ended = false;
  try {
    while (true) {
      const chunk = await reader.read();
      ended = chunk.done;
      buffer += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      if (first && buffer.length > 0) {
        if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
        first = false;
      }
      let at: number;
      while ((at = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, buffer[at - 1] === "\r" ? at - 1 : at);
        buffer = buffer.slice(at + 1);
        if (line === "") {
          if (data.length > 0) yield data.join("\n");
          data = [];
        } else if (line.startsWith("data")) {
          const value = line.slice(4);
          if (value === "") data.push("");
          else if (value.startsWith(":")) data.push(value.slice(value.startsWith(": ") ? 2 : 1));
        }
      }
      if (ended) return;
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
