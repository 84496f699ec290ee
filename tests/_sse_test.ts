// readSse(): the HTML standard's event-stream parsing, whatever the chunking.
import assert from "node:assert/strict";
import { readSse, type SseEvent } from "../src/_sse.ts";

function body(chunks: (string | Uint8Array)[], onCancel?: () => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
    },
    cancel() {
      onCancel?.();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const event of readSse(stream)) out.push(event);
  return out;
}

const TEXT = "\uFEFF: a comment\r\n" +
  "id: 2026-06-01T12:05:04Z/1\n" +
  'data: {"line":"héllo 🐎"}\n\n' +
  "event: ping\ndata\n\n" +
  "data: two\rdata: lines\r\r" +
  "id: 3\nretry: 1500\ndata:no space\r\n\r\n" +
  "id\ndata: no id\n\n" +
  "data: never ended";

const EXPECTED: SseEvent[] = [
  { event: "message", data: '{"line":"héllo 🐎"}', id: "2026-06-01T12:05:04Z/1" },
  { event: "ping", data: "", id: "2026-06-01T12:05:04Z/1" },
  { event: "message", data: "two\nlines", id: "2026-06-01T12:05:04Z/1" },
  { event: "message", data: "no space", id: "3", retry: 1500 },
  { event: "message", data: "no id", id: "", retry: 1500 },
];

Deno.test("readSse() parses fields, comments, CR/LF/CRLF lines, a BOM and ids, and drops an unfinished event", async () => {
  assert.deepEqual(await all(body([TEXT])), EXPECTED);
});

Deno.test("readSse() yields the same events however the bytes are split, even inside a character or a CRLF", async () => {
  const bytes = new TextEncoder().encode(TEXT);
  for (let cut = 1; cut < bytes.length; cut++) {
    const events = await all(body([bytes.slice(0, cut), bytes.slice(cut)]));
    assert.deepEqual(events, EXPECTED, `split at byte ${cut}`);
  }
  const single = [...bytes].map((b) => new Uint8Array([b]));
  assert.deepEqual(await all(body(single)), EXPECTED);
});

Deno.test("readSse() ends an event at a CR that ends the body", async () => {
  assert.deepEqual(await all(body(["data: x\r\r"])), [{ event: "message", data: "x", id: "" }]);
});

Deno.test("readSse() ignores an id holding NUL and a retry that is not digits", async () => {
  assert.deepEqual(await all(body(["id: a\0b\nretry: 1s\ndata: x\n\n"])), [
    { event: "message", data: "x", id: "" },
  ]);
});

Deno.test("leaving readSse() early cancels the body", async () => {
  let cancelled = false;
  const stream = body(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"], () => (cancelled = true));
  for await (const event of readSse(stream)) {
    assert.equal(event.data, "1");
    break;
  }
  assert.equal(cancelled, true);
});

Deno.test("readSse() does not cancel a body it read to the end", async () => {
  let cancelled = false;
  await all(body(["data: 1\n\n"], () => (cancelled = true)));
  assert.equal(cancelled, false);
});
