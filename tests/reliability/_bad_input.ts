// The bad-input matrix: arguments the SDK must refuse with a TypeError or a
// RangeError before sending anything. bad_input_test.ts runs every value
// against every call listed; docs/reliability.md's table is written from it.
import runpodSdk, { type ClientOptions, type Endpoint } from "../../mod.ts";

type AnyEndpoint = Endpoint<unknown, unknown>;
type Call = (e: AnyEndpoint, value: unknown) => unknown;

export interface BadInputCase {
  /** What is wrong, for the doc. */
  what: string;
  /** The values tried: a label for the doc, and the value. */
  values: readonly (readonly [string, unknown])[];
  /** The calls each value is passed to. */
  calls: Readonly<Record<string, Call>>;
  error: "TypeError" | "RangeError";
  /** The message each error must match. */
  message: RegExp;
}

const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
const deepCyclic: Record<string, unknown> = { a: { b: {} } };
(deepCyclic.a as { b: Record<string, unknown> }).b.back = deepCyclic;

// Calls that take a job id, with the value as the id.
const ID_CALLS: Record<string, Call> = {
  "status()": (e, id) => e.status(id as string),
  "waitFor()": (e, id) => e.waitFor(id as string),
  "stream()": (e, id) => e.stream(id as string).next(),
  "cancel()": (e, id) => e.cancel(id as string),
  "retry()": (e, id) => e.retry(id as string),
};

// Every call, with `options` as its last argument.
function everyCall(options: (value: unknown) => unknown): Record<string, Call> {
  const o = (v: unknown) => options(v) as never;
  return {
    "run()": (e, v) => e.run({ input: 1 }, o(v)),
    "runSync()": (e, v) => e.runSync({ input: 1 }, o(v)),
    "status()": (e, v) => e.status("job-1", o(v)),
    "waitFor()": (e, v) => e.waitFor("job-1", o(v)),
    "stream()": (e, v) => e.stream("job-1", o(v)).next(),
    "cancel()": (e, v) => e.cancel("job-1", o(v)),
    "retry()": (e, v) => e.retry("job-1", o(v)),
    "purgeQueue()": (e, v) => e.purgeQueue(o(v)),
    "health()": (e, v) => e.health(o(v)),
  };
}

const SUBMIT: Record<string, Call> = {
  "run()": (e, request) => e.run(request as never),
  "runSync()": (e, request) => e.runSync(request as never),
};

const BAD_IDS: readonly (readonly [string, unknown])[] = [
  ["'a/b'", "a/b"],
  ["'..'", ".."],
  ["'abc/../def'", "abc/../def"],
  ["'a?b=1'", "a?b=1"],
  ["'a#b'", "a#b"],
  ["'a b'", "a b"],
  ["' abc'", " abc"],
  ["'abc\\n'", "abc\n"],
  ["'abc\\u0000'", "abc\u0000"],
  ["'a%2Fb'", "a%2Fb"],
  ["'%2e%2e'", "%2e%2e"],
  ["'jöb'", "jöb"],
  ["'🙂'", "🙂"],
  ["'ａｂｃ' (full-width)", "ａｂｃ"],
  ["'\\u202eabc' (right-to-left override)", "\u202eabc"],
  ["''", ""],
  ["257 characters", "a".repeat(257)],
  ["42", 42],
  ["null", null],
  ["undefined", undefined],
  ["{}", {}],
  ["new String('abc')", new String("abc")],
];

export const BAD_INPUTS: readonly BadInputCase[] = [
  {
    what:
      "job id with a path, query or fragment character, space, control, non-ASCII, empty, too long, or not a string",
    values: BAD_IDS,
    calls: ID_CALLS,
    error: "TypeError",
    message: /^Cannot .*: the job id must be 1 to 256 letters, digits, '-' or '_'.*, received /s,
  },
  {
    what: "endpoint id, the same values",
    values: BAD_IDS,
    calls: { "runpod.endpoint()": (_e, id) => runpodSdk("test-key").endpoint(id as string) },
    error: "TypeError",
    message: /^Cannot create an Endpoint: the endpoint id must be .*, received /s,
  },
  {
    what: "request that is not an object, or has no input",
    values: [
      ["undefined", undefined],
      ["null", null],
      ["'text'", "text"],
      ["[1]", [1]],
      ["{}", {}],
      ["{ input: undefined }", { input: undefined }],
      ["{ webhook } only", { webhook: "https://example.com/hook" }],
    ],
    calls: SUBMIT,
    error: "TypeError",
    message: /the request must be an object|the request has no 'input'/,
  },
  {
    what: "input that JSON cannot encode",
    values: [
      ["10n", { input: 10n }],
      ["{ n: 1n } (nested BigInt)", { input: { n: 1n } }],
      ["a cycle", { input: cyclic }],
      ["a cycle two levels down", { input: deepCyclic }],
      ["a function", { input: () => 1 }],
      ["a symbol", { input: Symbol("x") }],
      ["toJSON() that throws", {
        input: {
          toJSON() {
            throw new Error("no");
          },
        },
      }],
      ["toJSON() that returns undefined", { input: { toJSON: () => undefined } }],
      ["a getter that throws", {
        input: {
          get x() {
            throw new Error("no");
          },
        },
      }],
    ],
    calls: SUBMIT,
    error: "TypeError",
    message: /cannot be encoded as JSON/,
  },
  {
    what: "/run body over 10 MiB (10485760 bytes)",
    values: [
      ["'x' × 10 Mi (a body of 10 MiB + 12 bytes)", { input: "x".repeat(10 * 1024 * 1024) }],
      ["'é' × (5 Mi + 1): 2 bytes each in UTF-8, 1 unit in UTF-16", {
        input: "é".repeat(5 * 1024 * 1024 + 1),
      }],
    ],
    calls: { "run()": SUBMIT["run()"] },
    error: "RangeError",
    message: /over RunPod's limit of 10485760 bytes/,
  },
  {
    what: "/runsync body over 20 MiB (20971520 bytes)",
    values: [["'x' × 20 Mi (a body of 20 MiB + 12 bytes)", {
      input: "x".repeat(20 * 1024 * 1024),
    }]],
    calls: { "runSync()": SUBMIT["runSync()"] },
    error: "RangeError",
    message: /over RunPod's limit of 20971520 bytes/,
  },
  {
    what: "timeout (as the last argument, or as `{ timeout }`) out of range",
    values: [
      ["-1", -1],
      ["0", 0],
      ["-0", -0],
      ["0.5", 0.5],
      ["1.5", 1.5],
      ["NaN", NaN],
      ["Infinity", Infinity],
      ["-Infinity", -Infinity],
      ["2 ** 31", 2 ** 31],
      ["Number.MAX_VALUE", Number.MAX_VALUE],
    ],
    calls: {
      ...everyCall((timeout) => timeout),
      ...prefix("{ timeout } to ", everyCall((timeout) => ({ timeout }))),
    },
    error: "RangeError",
    message: /timeout must be a whole number of milliseconds from 1 to 2147483647, received/,
  },
  {
    what: "`{ timeout }` of the wrong type",
    values: [
      ["'5000'", "5000"],
      ["5000n", 5000n],
      ["true", true],
      ["null", null],
      ["new Number(5000)", new Number(5000)],
    ],
    calls: everyCall((timeout) => ({ timeout })),
    error: "TypeError",
    message: /timeout must be a number of milliseconds, received/,
  },
  {
    what: "last argument neither a timeout nor an options object",
    values: [
      ["'5000'", "5000"],
      ["true", true],
      ["5000n", 5000n],
      ["null", null],
      ["[]", []],
      ["a function", () => 5000],
    ],
    calls: everyCall((value) => value),
    error: "TypeError",
    message: /the last argument must be a timeout in ms or an options object/,
  },
  {
    what: "`{ maxRetries }` out of range",
    values: [
      ["-1", -1],
      ["1.5", 1.5],
      ["11", 11],
      ["NaN", NaN],
      ["Infinity", Infinity],
      ["2 ** 53", 2 ** 53],
    ],
    calls: everyCall((maxRetries) => ({ maxRetries })),
    error: "RangeError",
    message: /maxRetries must be a whole number from 0 to 10, received/,
  },
  {
    what: "`{ maxRetries }` of the wrong type",
    values: [["'2'", "2"], ["2n", 2n], ["true", true], ["null", null]],
    calls: everyCall((maxRetries) => ({ maxRetries })),
    error: "TypeError",
    message: /maxRetries must be a number, received/,
  },
  {
    what: "`{ signal }` that is not an AbortSignal",
    values: [
      ["'abort'", "abort"],
      ["an object shaped like a signal", { aborted: false, addEventListener() {} }],
      ["an AbortController", new AbortController()],
      ["null", null],
    ],
    calls: everyCall((signal) => ({ signal })),
    error: "TypeError",
    message: /signal must be an AbortSignal/,
  },
  {
    what: "`{ onStatus }` that is not a function",
    values: [["'log'", "log"], ["1", 1], ["{}", {}]],
    calls: {
      "runSync()": (e, onStatus) => e.runSync({ input: 1 }, { onStatus } as never),
      "waitFor()": (e, onStatus) => e.waitFor("job-1", { onStatus } as never),
    },
    error: "TypeError",
    message: /onStatus must be a function/,
  },
  {
    what: "`{ cancelOnAbort }` or `{ allowGaps }` that is not a boolean",
    values: [["'true'", "true"], ["1", 1], ["null", null]],
    calls: {
      "runSync({ cancelOnAbort })": (e, v) =>
        e.runSync({ input: 1 }, { cancelOnAbort: v } as never),
      "waitFor({ cancelOnAbort })": (e, v) => e.waitFor("job-1", { cancelOnAbort: v } as never),
      "stream({ cancelOnAbort })": (e, v) =>
        e.stream("job-1", { cancelOnAbort: v } as never).next(),
      "stream({ allowGaps })": (e, v) => e.stream("job-1", { allowGaps: v } as never).next(),
    },
    error: "TypeError",
    message: /(cancelOnAbort|allowGaps) must be a boolean/,
  },
  {
    what: "API key empty, with whitespace or control characters, or not a string",
    values: [
      ["''", ""],
      ["'   '", "   "],
      ["'key with space'", "key with space"],
      ["'key\\n'", "key\n"],
      ["'key\\u0000'", "key\u0000"],
      ["42", 42],
      ["null", null],
      ["undefined", undefined],
    ],
    calls: { "runpodSdk()": (_e, key) => runpodSdk(key as string) },
    error: "TypeError",
    message: /API key/,
  },
  {
    what: "baseUrl not an http(s) URL, or with credentials, a query or a fragment",
    values: [
      ["'not a url'", "not a url"],
      ["42", 42],
      ["'ftp://api.runpod.ai/v2'", "ftp://api.runpod.ai/v2"],
      ["'javascript:alert(1)'", "javascript:alert(1)"],
      ["'https://user:pass@api.runpod.ai/v2'", "https://user:pass@api.runpod.ai/v2"],
      ["'https://api.runpod.ai/v2?x=1'", "https://api.runpod.ai/v2?x=1"],
      ["'https://api.runpod.ai/v2#x'", "https://api.runpod.ai/v2#x"],
    ],
    calls: { "runpodSdk()": (_e, baseUrl) => runpodSdk("test-key", { baseUrl } as never) },
    error: "TypeError",
    message: /^Cannot create the RunPod client: baseUrl/,
  },
  {
    what: "client `timeout` or `maxRetries` out of range",
    values: [
      ["{ timeout: 0 }", { timeout: 0 }],
      ["{ timeout: NaN }", { timeout: NaN }],
      ["{ timeout: 1.5 }", { timeout: 1.5 }],
      ["{ timeout: 2 ** 31 }", { timeout: 2 ** 31 }],
      ["{ maxRetries: -1 }", { maxRetries: -1 }],
      ["{ maxRetries: 1.5 }", { maxRetries: 1.5 }],
      ["{ maxRetries: 11 }", { maxRetries: 11 }],
    ],
    calls: { "runpodSdk()": (_e, options) => runpodSdk("test-key", options as ClientOptions) },
    error: "RangeError",
    message: /^Cannot create the RunPod client: (timeout|maxRetries) must be a whole number/,
  },
  {
    what: "client options of the wrong type",
    values: [
      ["options: null", null],
      ["options: 'x'", "x"],
      ["{ timeout: '5000' }", { timeout: "5000" }],
      ["{ maxRetries: '2' }", { maxRetries: "2" }],
      ["{ fetch: 'fetch' }", { fetch: "fetch" }],
      ["{ headers: { 'x-n': 1 } }", { headers: { "x-n": 1 } }],
      ["{ headers: { 'bad name': 'x' } }", { headers: { "bad name": "x" } }],
      ["{ headers: 'x-team: vision' }", { headers: "x-team: vision" }],
      ["{ headers: new Headers() } (silently ignored before)", {
        headers: new Headers({ a: "b" }),
      }],
      ["{ clock: {} }", { clock: {} }],
      ["{ clock: Date }", { clock: Date }],
      ["{ allowInsecureHttp: 'yes' }", { allowInsecureHttp: "yes" }],
    ],
    calls: { "runpodSdk()": (_e, options) => runpodSdk("test-key", options as ClientOptions) },
    error: "TypeError",
    message: /^Cannot create the RunPod client: /,
  },
];

function prefix(text: string, calls: Record<string, Call>): Record<string, Call> {
  return Object.fromEntries(Object.entries(calls).map(([name, call]) => [text + name, call]));
}

/** How many (value, call) pairs the matrix tries. */
export function badInputCount(): number {
  return BAD_INPUTS.reduce((n, c) => n + c.values.length * Object.keys(c.calls).length, 0);
}
