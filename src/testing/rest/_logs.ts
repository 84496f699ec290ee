import type { Clock } from "../../clock.ts";
import { REST_LOG_TAIL } from "../../_runpod_facts.ts";
import type { Timers } from "../_timers.ts";
import { problem } from "./_problem.ts";
import { iso } from "./_time.ts";

/** One log line of a pod or a serverless worker. */
export interface LogLine {
  /** The clock time of the line, in ms. */
  at: number;
  source: "container" | "system";
  line: string;
}

/**
 * The lines of one log, oldest first, as they stand now (lines dated in the
 * future are not shown yet); `undefined` once the pod or worker is gone.
 */
export type LogReader = () => LogLine[] | undefined;

/** How often (ms, on the clock) an open stream looks for new lines. */
const POLL = 1000;

interface Keyed extends LogLine {
  seq: number;
}

/** A position in a log: after the line (`at`, `seq`). */
interface Cursor {
  at: number;
  seq: number;
}

/**
 * Serves logs as Server-Sent Events, as RunPod's `/pods/{id}/logs` and
 * `/serverless/{id}/workers/{workerId}/logs` do: `source`, `tail` and `since`
 * pick the backfill, `Last-Event-ID` resumes after an event, each event's id
 * is its timestamp and a sequence number (`2026-01-01T00:00:00.000Z/000000000001`,
 * the sequence telling apart lines of the same millisecond), its data
 * `{source, line, ts}`. The stream stays open and sends new lines as they
 * come until the client goes away, the pod or worker is gone, or the emulator closes.
 */
export class LogHub {
  #clock: Clock;
  #timers: Timers;

  constructor(clock: Clock, timers: Timers) {
    this.#clock = clock;
    this.#timers = timers;
  }

  /** The SSE answer for a log request, or a problem answer for a bad query. */
  respond(request: Request, url: URL, read: LogReader, signal: AbortSignal): Response {
    const query = url.searchParams;
    const source = query.get("source");
    const errors: string[] = [];
    if (source !== null && source !== "container" && source !== "system") {
      errors.push(`query.source: expected one of container, system, received '${source}'`);
    }
    const tailText = query.get("tail");
    const tail = tailText === null ? REST_LOG_TAIL.default : Number(tailText);
    if (
      tailText !== null && (!/^\d+$/.test(tailText) || tail > REST_LOG_TAIL.max)
    ) {
      errors.push(
        `query.tail: expected an integer from 0 to ${REST_LOG_TAIL.max}, received '${tailText}'`,
      );
    }
    const sinceText = query.get("since");
    const since = sinceText === null ? undefined : parseTime(sinceText);
    if (sinceText !== null && since === undefined) {
      errors.push(`query.since: expected an RFC 3339 timestamp, received '${sinceText}'`);
    }
    const lastEventId = request.headers.get("last-event-id");
    const resume = lastEventId === null ? undefined : parseEventId(lastEventId);
    if (lastEventId !== null && resume === undefined) {
      errors.push(
        `header.Last-Event-ID: expected an event id of this stream, received '${lastEventId}'`,
      );
    }
    if (errors.length > 0) return problem(422, "Request validation failed.", { errors });

    const lines = (): Keyed[] | undefined => {
      const all = read();
      if (!all) return undefined;
      const now = this.#clock.now();
      const keyed: Keyed[] = [];
      let previous = Number.NaN;
      let seq = 0;
      for (const line of [...all].sort((a, b) => a.at - b.at)) {
        if (line.at > now) break;
        seq = line.at === previous ? seq + 1 : 0;
        previous = line.at;
        if (source === null || line.source === source) keyed.push({ ...line, seq });
      }
      return keyed;
    };

    const initial = lines() ?? [];
    let backfill: Keyed[];
    if (resume) backfill = initial.filter((line) => after(line, resume));
    else if (since !== undefined) backfill = initial.filter((line) => line.at >= since);
    else backfill = tail === 0 ? [] : initial.slice(-tail);
    const lastInitial = initial.at(-1);
    let cursor: Cursor = lastInitial ?? { at: Number.NEGATIVE_INFINITY, seq: 0 };
    if (resume && (!lastInitial || after(resume, lastInitial))) cursor = resume;

    const encoder = new TextEncoder();
    const event = (line: Keyed) =>
      encoder.encode(
        `id: ${eventId(line)}\ndata: ${
          JSON.stringify({ source: line.source, line: line.line, ts: iso(line.at) })
        }\n\n`,
      );
    let stopTimer: (() => void) | undefined;
    let finish = () => {};
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        for (const line of backfill) controller.enqueue(event(line));
        const stop = () => {
          stopTimer?.();
          stopTimer = undefined;
          signal.removeEventListener("abort", onAbort);
        };
        const onAbort = () => {
          stop();
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
        };
        finish = stop;
        const poll = () => {
          const now = lines();
          if (!now) return onAbort();
          for (const line of now) {
            if (after(line, cursor)) {
              controller.enqueue(event(line));
              cursor = line;
            }
          }
          stopTimer = this.#timers.set(poll, POLL);
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        stopTimer = this.#timers.set(poll, POLL);
      },
      cancel: () => finish(),
    });
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      },
    });
  }
}

function after(line: Cursor, cursor: Cursor): boolean {
  return line.at > cursor.at || (line.at === cursor.at && line.seq > cursor.seq);
}

function eventId(line: Keyed): string {
  return `${iso(line.at)}/${String(line.seq).padStart(12, "0")}`;
}

/** Reads an event id (`<timestamp>/<seq>`) or a bare timestamp (after every line of that time). */
function parseEventId(id: string): Cursor | undefined {
  const match = /^([^/]+)(?:\/(\d{1,15}))?$/.exec(id.trim());
  if (!match?.[1]) return undefined;
  const at = parseTime(match[1]);
  if (at === undefined) return undefined;
  return { at, seq: match[2] === undefined ? Number.POSITIVE_INFINITY : Number(match[2]) };
}

function parseTime(text: string): number | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}
