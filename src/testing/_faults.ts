import type { Fault } from "./faults.ts";
import { errorAnswer, json } from "./_http.ts";
import { dropped } from "./_drop.ts";
import { routeMatches } from "./_request_log.ts";
import { checkKnownKeys, type KnownKeys } from "../_known_keys.ts";

interface Rule {
  route: string;
  fault: Fault;
  remaining: number;
}

/** The faults waiting to be applied, first injected first applied. */
export class FaultQueue {
  #rules: Rule[] = [];

  /** Adds a fault for the next `times` requests matching `route`. */
  inject(route: string, fault: Fault, times: number): void {
    if (typeof route !== "string" || route.trim() === "") {
      throw new TypeError(
        `Cannot inject a fault: route must be a route such as "POST /run" or "*", received ${
          JSON.stringify(route)
        }`,
      );
    }
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(
        `Cannot inject a fault: times must be a positive integer, received ${times}`,
      );
    }
    validate(fault);
    this.#rules.push({ route: route.trim(), fault, remaining: times });
  }

  /** Takes the fault for a request to `route`, if one is waiting. */
  take(route: string): Fault | undefined {
    const i = this.#rules.findIndex((rule) => routeMatches(rule.route, route));
    if (i < 0) return undefined;
    const rule = this.#rules[i]!;
    if (--rule.remaining === 0) this.#rules.splice(i, 1);
    return rule.fault;
  }

  /** How many injected answers are still waiting. */
  get pending(): number {
    return this.#rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** Drops every waiting fault. */
  clear(): void {
    this.#rules = [];
  }
}

/** Each kind of fault, by the field that names it (in the order they are told apart), and its fields. */
const FAULT_KINDS: [string, KnownKeys][] = [
  ["json", new Set(["json", "status"])],
  ["redirect", new Set(["redirect", "status"])],
  ["html", new Set(["html"])],
  ["malformed", new Set(["malformed"])],
  ["status", new Set(["status", "retryAfter", "body", "headers"])],
  ["delay", new Set(["delay"])],
  ["drop", new Set(["drop", "when"])],
  ["truncate", new Set(["truncate"])],
];

function validate(fault: Fault): void {
  if (fault === null || typeof fault !== "object") {
    throw new TypeError(
      `Cannot inject a fault: expected a fault object, received ${String(fault)}`,
    );
  }
  const kind = FAULT_KINDS.find(([key]) => key in fault);
  if (kind === undefined) {
    throw new TypeError(`Cannot inject a fault: unknown fault ${JSON.stringify(fault)}`);
  }
  // A field of another kind of fault would be ignored: `{ json, retryAfter }` sends no Retry-After.
  checkKnownKeys(`inject a fault (${kind[0]})`, fault, kind[1]);
  if ("delay" in fault && !(Number.isFinite(fault.delay) && fault.delay >= 0)) {
    throw new RangeError(
      `Cannot inject a fault: delay must be a non-negative number, received ${fault.delay}`,
    );
  }
}

/** Whether the fault replaces the answer without the request being processed. */
export function replacesAnswer(fault: Fault): boolean {
  return "status" in fault || "json" in fault || "html" in fault || "malformed" in fault ||
    "redirect" in fault;
}

/** The answer a replacing fault gives. */
export function faultAnswer(fault: Fault): Response {
  if ("json" in fault) return json(fault.json, fault.status ?? 200);
  if ("redirect" in fault) {
    return new Response(null, {
      status: fault.status ?? 302,
      headers: { location: fault.redirect },
    });
  }
  if ("html" in fault) {
    const status = fault.html;
    const page = `<html>\r\n<head><title>${status} Error</title></head>\r\n<body>\r\n` +
      `<center><h1>${status} Error</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
    return new Response(page, { status, headers: { "content-type": "text/html; charset=UTF-8" } });
  }
  if ("malformed" in fault) {
    return new Response('{"id": "', {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }
  if ("status" in fault) {
    const headers: Record<string, string> = { ...fault.headers };
    if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
    if (fault.body !== undefined) {
      return new Response(fault.body, {
        status: fault.status,
        headers: { "content-type": "application/json", ...headers },
      });
    }
    return errorAnswer(fault.status, `Injected fault: HTTP ${fault.status}`, headers);
  }
  return dropped();
}

/**
 * The same answer with its body cut after half its bytes. The body errors
 * with a `TypeError` as `fetch` does; when `served`, with an `AbortError`
 * instead, which servers take as a reset without logging it.
 */
export async function truncate(response: Response, served: boolean): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (half.length > 0) controller.enqueue(half);
    },
    pull(controller) {
      controller.error(
        served
          ? new DOMException("The connection was reset (injected fault)", "AbortError")
          : new TypeError("error reading a body from connection: connection reset"),
      );
    },
  });
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** A short description of a fault for the request log. */
export function describeFault(fault: Fault): string {
  if ("drop" in fault) return `drop ${fault.when ?? "before"}`;
  if ("delay" in fault) return `delay ${fault.delay}`;
  if ("truncate" in fault) return "truncate";
  if ("malformed" in fault) return "malformed";
  if ("html" in fault) return `html ${fault.html}`;
  if ("json" in fault) return `json ${fault.status ?? 200}`;
  if ("redirect" in fault) return `redirect ${fault.status ?? 302}`;
  return `status ${fault.status}`;
}
