// Log streams (Server-Sent Events): end, follow, resume without repeats or
// losses, and closing the body on break and abort.
import assert from "node:assert/strict";
import { assertRejects } from "../_helpers/assert_rejects.ts";
import { RunpodApiError, RunpodError, TimeoutError } from "../../mod.ts";
import { problem, sse, stub } from "./_stub.ts";

Deno.test("logs() yields { source, line, ts } and ends when the server ends the stream", async () => {
  const body = sse();
  body.send("01", "booting", "system");
  body.raw(": keep-alive\n\n");
  body.send("02", "Worker ready.");
  body.close();
  using s = stub(() => body.response());
  const lines = [];
  for await (const log of s.runpod.endpoints.logs("ep1", "w1", { tail: 50, source: "container" })) {
    lines.push(log);
  }
  assert.deepEqual(lines, [
    { source: "system", line: "booting", ts: "2026-06-01T12:00:01Z" },
    { source: "container", line: "Worker ready.", ts: "2026-06-01T12:00:02Z" },
  ]);
  assert.equal(s.calls[0]!.url.search, "?source=container&tail=50");
  assert.equal(s.calls[0]!.headers.get("last-event-id"), null);
});

Deno.test("follow resumes a dropped stream with Last-Event-ID, without repeating or losing a line", async () => {
  const bodies = [sse(), sse()];
  bodies[0]!.send("01", "one");
  bodies[0]!.send("02", "two");
  bodies[0]!.fail();
  // The server resumes at the cursor, inclusive, and replays an older line too.
  bodies[1]!.send("01", "one");
  bodies[1]!.send("02", "two");
  bodies[1]!.send("03", "three");
  using s = stub((_call, i) => bodies[i]!.response());
  const lines: string[] = [];
  for await (const log of s.runpod.pods.logs("p1", { follow: true })) {
    lines.push(log.line);
    if (log.line === "three") break;
  }
  assert.deepEqual(lines, ["one", "two", "three"]);
  assert.equal(s.calls.length, 2);
  assert.equal(s.calls[1]!.headers.get("last-event-id"), "02");
  assert.equal(bodies[1]!.cancelled, true);
});

Deno.test("follow reconnects after the server ends the stream", async () => {
  const bodies = [sse(), sse()];
  bodies[0]!.send("01", "one");
  bodies[0]!.close();
  bodies[1]!.send("02", "two");
  using s = stub((_call, i) => bodies[i]!.response());
  const lines: string[] = [];
  for await (const log of s.runpod.pods.logs("p1", { follow: true })) {
    lines.push(log.line);
    if (lines.length === 2) break;
  }
  assert.deepEqual(lines, ["one", "two"]);
  assert.equal(s.calls[1]!.headers.get("last-event-id"), "01");
});

Deno.test("break closes the body and sends nothing more", async () => {
  const body = sse();
  body.send("01", "one");
  body.send("02", "two");
  using s = stub(() => body.response());
  for await (const log of s.runpod.pods.logs("p1", { follow: true })) {
    assert.equal(log.line, "one");
    break;
  }
  assert.equal(body.cancelled, true);
  assert.equal(s.calls.length, 1);
});

Deno.test("an abort while waiting for a line rejects with the signal's reason and closes the body", async () => {
  const body = sse();
  body.send("01", "one");
  using s = stub(() => body.response());
  const controller = new AbortController();
  const lines: string[] = [];
  await assertRejects(
    async () => {
      for await (
        const log of s.runpod.pods.logs("p1", { follow: true, signal: controller.signal })
      ) {
        lines.push(log.line);
        setTimeout(() => controller.abort(new Error("user stopped")), 0);
      }
    },
    Error,
    "user stopped",
  );
  assert.deepEqual(lines, ["one"]);
  assert.equal(body.cancelled, true);
});

Deno.test("without follow, a stream left open ends once no line came for `idle` ms", async () => {
  const body = sse();
  body.send("01", "one");
  using s = stub(() => body.response());
  const start = s.clock.now();
  const lines: string[] = [];
  for await (const log of s.runpod.pods.logs("p1", { idle: 1500 })) lines.push(log.line);
  assert.deepEqual(lines, ["one"]);
  assert.equal(s.clock.now() - start, 1500);
  assert.equal(body.cancelled, true);
});

Deno.test("a 5xx on connecting is retried; a 404 is a RunpodApiError", async () => {
  const body = sse();
  body.send("01", "one");
  body.close();
  using s = stub((_call, i) =>
    i === 0 ? problem(503, "Service Unavailable", "busy") : body.response()
  );
  const lines: string[] = [];
  for await (const log of s.runpod.pods.logs("p1")) lines.push(log.line);
  assert.deepEqual(lines, ["one"]);
  assert.equal(s.calls.length, 2);

  using missing = stub(() => problem(404, "Not Found", "pod not found"));
  const error = await assertRejects(missing.runpod.pods.logs("nope").next(), RunpodApiError);
  assert.equal(error.status, 404);
});

Deno.test("a timeout ends a followed stream with TimeoutError and closes the body", async () => {
  const body = sse();
  using s = stub(() => body.response());
  await assertRejects(
    async () => {
      for await (const _ of s.runpod.pods.logs("p1", { follow: true, timeout: 5000 })) {
        /* none */
      }
    },
    TimeoutError,
    "timed out after 5000 ms",
  );
  assert.equal(body.cancelled, true);
});

Deno.test("an event whose data is not a log line is a RunpodError", async () => {
  const body = sse();
  body.raw("id: 01\ndata: not json\n\n");
  using s = stub(() => body.response());
  await assertRejects(s.runpod.pods.logs("p1").next(), RunpodError, "not JSON");
  assert.equal(body.cancelled, true);
});
