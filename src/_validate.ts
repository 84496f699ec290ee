// Argument checks: bad input gets a TypeError or RangeError before any request.
import type { CallOptions, RunRequest } from "./types.ts";
import type { RunManyOptions } from "./run_many.ts";
import { CALL_KEYS, checkKnownKeys, keys, type KnownKeys } from "./_known_keys.ts";

const ID = /^[A-Za-z0-9_-]{1,256}$/;
/** The largest delay that setTimeout accepts. */
export const MAX_TIMEOUT = 2_147_483_647;
/** The most retries a caller may ask for. */
export const MAX_RETRIES = 10;

/** A call's description for messages ("cancel job 'abc'"); an object is stringified only when a message needs it. */
export type What = string | { toString(): string };

/** Control and bidirectional-override characters, escaped when a value is echoed in a message. */
// deno-lint-ignore no-control-regex
const UNSAFE = /[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]/g;

export function quote(value: unknown): string {
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    // A value may come from an untrusted request: echoed raw, a newline could forge a log line.
    return `'${
      shown.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    }'`;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  return typeof value;
}

export function checkApiKey(apiKey: unknown): string {
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new TypeError(
      `Cannot create the RunPod client: the API key must be a non-empty string, received ${
        typeof apiKey === "string" ? "an empty string" : typeof apiKey
      }`,
    );
  }
  // deno-lint-ignore no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(apiKey)) {
    throw new TypeError(
      "Cannot create the RunPod client: the API key holds whitespace or control characters; copy it again from the RunPod console",
    );
  }
  return apiKey;
}

/** An id as messages show it: quoted, and escaped where it is not a valid id. */
export function named(id: unknown): string {
  return typeof id === "string" && ID.test(id) ? `'${id}'` : quote(id);
}

/** Checks the id parameter `name` (`jobId`, `endpointId`, `id`) of the call `what`. */
export function checkId(what: What, name: string, id: unknown): string {
  if (typeof id !== "string" || !ID.test(id)) {
    throw new TypeError(
      `Cannot ${what}: the ${
        name.replace(/Id$/, " id")
      } must be 1 to 256 letters, digits, '-' or '_' as RunPod shows it, received ${quote(id)}`,
    );
  }
  return id;
}

/** Checks a whole number option `name` (`unit` such as " of milliseconds"): one message shape for both. */
function checkWhole(
  what: What,
  name: string,
  value: unknown,
  min: number,
  max: number,
  unit = "",
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number") {
    throw new TypeError(
      `Cannot ${what}: ${name} must be a number${unit}, received ${quote(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Cannot ${what}: ${name} must be a whole number${unit} from ${min} to ${max}, received ${value}`,
    );
  }
  return value;
}

export function checkTimeout(what: What, timeout: unknown): number | undefined {
  return checkWhole(what, "timeout", timeout, 1, MAX_TIMEOUT, " of milliseconds");
}

export function checkRetries(what: What, maxRetries: unknown): number | undefined {
  return checkWhole(what, "maxRetries", maxRetries, 0, MAX_RETRIES);
}

/**
 * Normalizes the last argument of a method: a timeout number or an options
 * object, whose keys must be among `known` (a misspelt option is a TypeError).
 */
export function callOptions<T extends CallOptions>(
  what: What,
  arg: unknown,
  known: KnownKeys = CALL_KEYS,
): T {
  if (arg === undefined) return {} as T;
  if (typeof arg === "number") return { timeout: checkTimeout(what, arg) } as T;
  if (typeof arg !== "object" || arg === null || Array.isArray(arg)) {
    throw new TypeError(
      `Cannot ${what}: the last argument must be a timeout in ms or an options object, received ${
        quote(arg)
      }`,
    );
  }
  const options = arg as T & Record<string, unknown>;
  checkKnownKeys(what, options, known);
  checkTimeout(what, options.timeout);
  checkRetries(what, options.maxRetries);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new TypeError(`Cannot ${what}: signal must be an AbortSignal`);
  }
  for (const name of ["onStatus"]) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new TypeError(`Cannot ${what}: ${name} must be a function`);
    }
  }
  for (const name of ["cancelOnAbort", "allowGaps"]) {
    if (options[name] !== undefined && typeof options[name] !== "boolean") {
      throw new TypeError(`Cannot ${what}: ${name} must be a boolean`);
    }
  }
  return options;
}

/** The options of `runSync` and `waitFor` (of an endpoint and of a batch). */
export const WAIT_KEYS: KnownKeys = keys("onStatus", "cancelOnAbort");
/** The options of `stream`. */
export const STREAM_KEYS: KnownKeys = keys("allowGaps", "cancelOnAbort");
/** The options of `runMany`. */
const MANY_KEYS: KnownKeys = keys("concurrency", "onStatus", "cancelOnAbort");

/** Serializes a /run or /runsync body, refusing what the API would refuse. */
export function encodeRequest(what: What, request: unknown, limit: number): string {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    throw new TypeError(
      `Cannot ${what}: the request must be an object like { input: ... }, received ${
        quote(request)
      }`,
    );
  }
  if (!("input" in request) || (request as { input: unknown }).input === undefined) {
    throw new TypeError(
      `Cannot ${what}: the request has no 'input'; send { input: ... } with what the worker expects`,
    );
  }
  let body: string | undefined;
  try {
    body = JSON.stringify(request);
    if (JSON.stringify((request as { input: unknown }).input) === undefined) body = undefined;
  } catch (cause) {
    throw new TypeError(
      `Cannot ${what}: the request cannot be encoded as JSON (${
        (cause as Error).message
      }); send only JSON values (no BigInt, no cycles)`,
      { cause },
    );
  }
  if (body === undefined) {
    throw new TypeError(
      `Cannot ${what}: 'input' cannot be encoded as JSON; send only JSON values (no functions or symbols)`,
    );
  }
  // A UTF-8 byte count is at most 3 per UTF-16 unit: count only when it may matter.
  if (body.length * 3 > limit) {
    const bytes = new TextEncoder().encode(body).byteLength;
    if (bytes > limit) {
      throw new RangeError(
        `Cannot ${what}: the request is ${bytes} bytes, over RunPod's limit of ${limit} bytes for this route; upload large inputs elsewhere and send a URL`,
      );
    }
  }
  return body;
}

/** Checks Endpoint.runMany's arguments; throws before anything is sent. */
export function checkMany<I, O>(
  what: string,
  requests: unknown,
  options: unknown,
): { requests: Iterable<RunRequest<I>> | AsyncIterable<RunRequest<I>>; opts: RunManyOptions<O> } {
  const iterable = requests !== null && typeof requests === "object" &&
    (Symbol.asyncIterator in requests || Symbol.iterator in requests);
  if (!iterable) {
    throw new TypeError(
      `Cannot ${what}: requests must be an array, an iterable or an async iterable of requests`,
    );
  }
  const opts = callOptions<RunManyOptions<O> & { signal?: AbortSignal }>(
    what,
    options ?? {},
    MANY_KEYS,
  );
  const { concurrency } = opts;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(
      `Cannot ${what}: concurrency must be a positive integer, received ${concurrency}`,
    );
  }
  return {
    requests: requests as Iterable<RunRequest<I>> | AsyncIterable<RunRequest<I>>,
    opts,
  };
}
