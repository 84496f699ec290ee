// A tiny raw client for the emulator's own tests: sends a request through
// `emulator.fetch` and reads the whole answer, so no body is left unread.
import type { Emulator } from "../../testing.ts";

export interface Answer {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
}

export interface RawClient {
  post(path: string, body?: unknown, init?: RequestInit): Promise<Answer>;
  get(path: string, init?: RequestInit): Promise<Answer>;
  /** POST /run with `{input, ...extra}`; returns the job id. */
  run(input: unknown, extra?: Record<string, unknown>): Promise<string>;
}

export function client(
  emulator: Emulator,
  options: { key?: string; endpoint?: string } = {},
): RawClient {
  const { key = "test-key", endpoint = "test-endpoint" } = options;
  const base = `${emulator.baseUrl}/${endpoint}`;
  const send = async (
    method: string,
    path: string,
    body: unknown,
    init: RequestInit = {},
  ): Promise<Answer> => {
    const response = await emulator.fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      ...init,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    post: (path, body, init) => send("POST", path, body, init),
    get: (path, init) => send("GET", path, undefined, init),
    async run(input, extra = {}) {
      const answer = await send("POST", "/run", { input, ...extra });
      if (answer.status !== 200) {
        throw new Error(`POST /run answered ${answer.status}: ${answer.text}`);
      }
      return answer.body.id;
    },
  };
}

/** A promise with its resolve function, for workers that wait on the test. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
