// Reads the IETF draft rate-limit headers of the management API:
//   RateLimit: "minute";r=0;t=12, "hour";r=2800;t=1812
//   RateLimit-Policy: "minute";q=60;w=60, "hour";q=3000;w=3600
// (structured-field lists: one member per window, with integer parameters).
import type { RateLimitWindow } from "./types.ts";

/** One member of a structured-field list: its name and parameters. */
function members(header: string): { name: string; params: Record<string, number> }[] {
  const out: { name: string; params: Record<string, number> }[] = [];
  for (const member of splitOutsideQuotes(header, ",")) {
    const [item = "", ...params] = splitOutsideQuotes(member, ";").map((part) => part.trim());
    const name = item.replace(/^"(.*)"$/, "$1");
    if (name === "") continue;
    const values: Record<string, number> = {};
    for (const param of params) {
      const [key, value] = param.split("=", 2).map((part) => part.trim());
      if (key && value !== undefined && /^-?\d+(\.\d+)?$/.test(value)) values[key] = Number(value);
    }
    out.push({ name, params: values });
  }
  return out;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The windows the `RateLimit` and `RateLimit-Policy` headers describe, merged
 * by name; undefined when the answer carried neither (exempt callers, or a
 * server that does not send them).
 */
export function parseRateLimit(headers: Headers): RateLimitWindow[] | undefined {
  const limit = headers.get("ratelimit");
  const policy = headers.get("ratelimit-policy");
  if (limit === null && policy === null) return undefined;
  const windows = new Map<string, RateLimitWindow>();
  const at = (name: string) => {
    let window = windows.get(name);
    if (!window) windows.set(name, window = { name });
    return window;
  };
  for (const { name, params } of members(limit ?? "")) {
    const window = at(name);
    if (params.r !== undefined) window.remaining = params.r;
    if (params.t !== undefined) window.resetIn = params.t * 1000;
  }
  for (const { name, params } of members(policy ?? "")) {
    const window = at(name);
    if (params.q !== undefined) window.quota = params.q;
    if (params.w !== undefined) window.window = params.w * 1000;
  }
  return windows.size ? [...windows.values()] : undefined;
}

/**
 * How long until every exhausted window (`remaining` 0) has reset, in ms;
 * undefined when no window is exhausted or none says when it resets.
 */
export function exhaustedFor(windows: readonly RateLimitWindow[] | undefined): number | undefined {
  let wait: number | undefined;
  for (const window of windows ?? []) {
    if (window.remaining === 0 && window.resetIn !== undefined) {
      wait = Math.max(wait ?? 0, window.resetIn);
    }
  }
  return wait;
}
