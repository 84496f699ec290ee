// `runpod chat`: one chat completion from an endpoint's OpenAI-compatible
// routes (vLLM workers), `{baseUrl}/{endpointId}/openai/v1/chat/completions`,
// with fetch and the package's SSE reader: the reply streamed to stdout
// as it comes, or each chunk as a JSON line, or the whole answer at once.
// src/_sse.ts is the one internal module the CLI imports: it is a parser of
// the web's text/event-stream format, not RunPod API, so it is not made
// public; the CLI ships in the same package and version, so it cannot drift.
import { RunpodApiError, RunpodConnectionError, RunpodError } from "../mod.ts";
import type { Client } from "./_client.ts";
import type { Options } from "./_args.ts";
import {
  type Command,
  command,
  type Context,
  ENDPOINT_OPTION,
  endpointOf,
  timeoutOf,
} from "./_context.ts";
import { EXIT, UsageError } from "./_exit.ts";
import { formatDuration } from "./_output.ts";
import { readSse } from "../src/_sse.ts";

const CHAT_ROUTE = "POST /openai/v1/chat/completions";
const MODELS_ROUTE = "GET /openai/v1/models";

/** The options of `runpod chat`. */
const CHAT_OPTIONS = {
  ...ENDPOINT_OPTION,
  model: {
    type: "string",
    value: "MODEL",
    help: "the model to ask (default: the first one GET /models lists)",
  },
  system: { type: "string", value: "TEXT", help: "a system message before the prompt" },
  "max-tokens": { type: "string", value: "N", help: "max_tokens: the reply stops after N tokens" },
  "no-stream": { type: "boolean", help: "ask for the whole reply at once instead of streaming it" },
} as const satisfies Options;

/** A context of `runpod chat`. */
type ChatContext = Context<typeof CHAT_OPTIONS>;

/** `runpod chat`. */
export const chatCommand: Command = command({
  name: "chat",
  args: "ENDPOINT PROMPT",
  arity: [0, 2],
  summary: "ask an OpenAI-compatible (vLLM) endpoint and stream its reply",
  options: CHAT_OPTIONS,
  examples: [
    `runpod chat ENDPOINT "Describe a horse in one sentence."`,
    `runpod chat ENDPOINT "Summarise this:" --system "Be brief." --max-tokens 200`,
    `git diff | runpod chat ENDPOINT --model meta-llama/Llama-3.1-8B-Instruct`,
    `runpod chat ENDPOINT "Hi" --json | jq -rj '.choices[0].delta.content // ""'`,
    `runpod --emulator chat demo "Hello there"`,
  ],
  details: `Sends the prompt to the endpoint's /openai/v1/chat/completions route with
stream: true and prints the reply on stdout as it comes. The prompt is the last
argument, or stdin when it is piped (or given as -); with -e ENDPOINT or
ENDPOINT_ID, the only argument is the prompt. --model defaults to the first
model GET /openai/v1/models lists (one more request). --json prints each chunk
as one JSON line; --no-stream waits for the whole answer (the whole answer as
JSON with --json). Ctrl-C aborts the request (exit 130); --timeout limits it
(exit 5); an error answer exits 6.`,
  async run(ctx) {
    const { endpointId, prompt } = await promptOf(ctx);
    const maxTokens = maxTokensOf(ctx);
    const timeout = timeoutOf(ctx);
    const client = await ctx.client([endpointId]);
    const endpoint = client.runpod.endpoint(endpointId);
    const call = new Call(ctx, timeout);
    const started = Date.now();
    const out = new TextOut(ctx);
    try {
      const model = ctx.values.model ?? await firstModel(client, endpoint.openaiBaseUrl, call);
      const messages = [
        ...(ctx.values.system === undefined
          ? []
          : [{ role: "system", content: ctx.values.system }]),
        { role: "user", content: prompt },
      ];
      const stream = ctx.values["no-stream"] !== true;
      const response = await send(
        client,
        CHAT_ROUTE,
        `${endpoint.openaiBaseUrl}/chat/completions`,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: stream ? "text/event-stream" : "application/json",
          },
          body: JSON.stringify({
            model,
            messages,
            ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
            stream,
          }),
          signal: call.signal,
        },
      );
      const finish = stream
        ? await printStream(ctx, response, out)
        : await printWhole(ctx, response);
      out.end();
      ctx.printer.note(
        `${model}: finish_reason ${finish ?? "(none)"}${
          finish === "length" ? " (cut by --max-tokens or the model's limit)" : ""
        }, ${formatDuration(Date.now() - started)}`,
      );
      return EXIT.ok;
    } catch (error) {
      out.end();
      if (ctx.stop.stopped) {
        ctx.printer.err(`Interrupted by ${ctx.stop.what}: the chat request was aborted`);
        return ctx.stop.code;
      }
      if (call.timedOut) {
        ctx.printer.err(
          `Gave up after ${formatDuration(timeout ?? 0)} (--timeout): the chat request was aborted`,
        );
        return EXIT.timeout;
      }
      throw error;
    } finally {
      call.close();
    }
  },
});

/** The endpoint and the prompt, from the arguments, -e, ENDPOINT_ID and stdin. */
async function promptOf(ctx: ChatContext): Promise<{ endpointId: string; prompt: string }> {
  const args = ctx.args;
  const endpointElsewhere = ctx.values.endpoint !== undefined ||
    (ctx.io.env("ENDPOINT_ID") ?? "") !== "";
  let endpointArg: string | undefined;
  let promptArg: string | undefined;
  if (args.length === 2) [endpointArg, promptArg] = args;
  else if (args.length === 1 && endpointElsewhere) promptArg = args[0];
  else endpointArg = args[0];
  const endpointId = endpointOf(ctx, endpointArg);
  let prompt = promptArg;
  if (prompt === undefined || prompt === "-") {
    if (prompt === undefined && ctx.io.stdinIsTTY) {
      throw new UsageError(
        `What should the endpoint answer? Write the prompt after the endpoint: runpod chat ${endpointId} "Describe a horse"`,
        "chat",
      );
    }
    prompt = (await ctx.io.readStdin()).trim();
  }
  if (prompt.trim() === "") {
    throw new UsageError(
      `The prompt is empty: write one after the endpoint, e.g. runpod chat ${endpointId} "Describe a horse", or pipe it on stdin`,
      "chat",
    );
  }
  return { endpointId, prompt };
}

function maxTokensOf(ctx: ChatContext): number | undefined {
  const text = ctx.values["max-tokens"];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--max-tokens takes a whole number of at least 1, not '${text}'`, "chat");
  }
  return n;
}

/** The request's signal: aborted by Ctrl-C or SIGTERM, and by --timeout. */
class Call {
  readonly #controller = new AbortController();
  readonly #stop: AbortSignal;
  readonly #onStop = () => this.#controller.abort(this.#stop.reason);
  #timer: ReturnType<typeof setTimeout> | undefined;
  timedOut = false;

  constructor(ctx: ChatContext, timeout: number | undefined) {
    this.#stop = ctx.stop.signal;
    if (this.#stop.aborted) this.#onStop();
    else this.#stop.addEventListener("abort", this.#onStop, { once: true });
    if (timeout !== undefined) {
      this.#timer = setTimeout(() => {
        this.timedOut = true;
        this.#controller.abort(new DOMException("--timeout ran out", "TimeoutError"));
      }, timeout);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#stop.removeEventListener("abort", this.#onStop);
  }
}

/** Sends a request; an error answer becomes a RunpodApiError, no answer a RunpodConnectionError. */
async function send(
  client: Client,
  route: string,
  url: string,
  init: RequestInit & { signal: AbortSignal },
): Promise<Response> {
  let response: Response;
  try {
    response = await client.authorizedFetch(url, init);
  } catch (error) {
    if (init.signal.aborted) throw error;
    throw new RunpodConnectionError({
      route,
      reason: (error as Error).message,
      cause: error,
      ...(init.method === "POST"
        ? { lost: "the request may have reached the endpoint; run the command again" }
        : {}),
    });
  }
  if (response.ok) return response;
  const text = await response.text().catch(() => "");
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the text is the detail.
  }
  throw new RunpodApiError({
    status: response.status,
    body: flatError(body),
    headers: response.headers,
    route,
  });
}

/**
 * OpenAI's errors nest their message (`{ error: { message } }`), which
 * RunpodApiError's message does not read: lift it to `{ error: message }`.
 */
function flatError(body: unknown): unknown {
  const error = (body as { error?: unknown } | null)?.error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? { ...(body as object), error: message } : body;
}

/** The first model GET /models lists. */
async function firstModel(client: Client, base: string, call: Call): Promise<string> {
  const response = await send(client, MODELS_ROUTE, `${base}/models`, {
    method: "GET",
    headers: { accept: "application/json" },
    signal: call.signal,
  });
  const answer = await readJson(response, MODELS_ROUTE);
  const id = (answer as { data?: { id?: unknown }[] } | null)?.data?.[0]?.id;
  if (typeof id !== "string" || id === "") {
    throw new RunpodError(
      `${MODELS_ROUTE} listed no model: name one with --model (the model the worker serves)`,
      { route: MODELS_ROUTE },
    );
  }
  return id;
}

async function readJson(response: Response, route: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new RunpodError(
      `${route} answered with something that is not JSON: ${text.slice(0, 200)}`,
      { route },
    );
  }
}

/** What the reply printed so far needs at its end: a newline, when it did not end with one. */
class TextOut {
  #ctx: ChatContext;
  #open = false;

  constructor(ctx: ChatContext) {
    this.#ctx = ctx;
  }

  write(text: string): void {
    if (text === "") return;
    this.#ctx.printer.stdout.write(text);
    this.#open = !text.endsWith("\n");
  }

  end(): void {
    if (this.#open) this.#ctx.printer.stdout.write("\n");
    this.#open = false;
  }
}

interface Chunk {
  choices?: { delta?: { content?: unknown }; finish_reason?: unknown }[];
  error?: unknown;
}

/** Prints a streamed reply; resolves with the finish reason. */
async function printStream(
  ctx: ChatContext,
  response: Response,
  out: TextOut,
): Promise<string | undefined> {
  if (!response.body) {
    throw new RunpodError(`${CHAT_ROUTE} answered without a body`, { route: CHAT_ROUTE });
  }
  let finish: string | undefined;
  let done = false;
  try {
    for await (const { data } of readSse(response.body)) {
      if (data.trim() === "[DONE]") {
        done = true;
        break;
      }
      let chunk: Chunk;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new RunpodError(
          `${CHAT_ROUTE} streamed an event that is not JSON: ${data.slice(0, 200)}`,
          { route: CHAT_ROUTE },
        );
      }
      if (chunk.error !== undefined) {
        const error = chunk.error as { message?: unknown } | string;
        const message = typeof error === "string"
          ? error
          : typeof error?.message === "string"
          ? error.message
          : JSON.stringify(error);
        throw new RunpodError(
          `${CHAT_ROUTE}: the reply stream ended with an error: ${message}`,
          { route: CHAT_ROUTE },
        );
      }
      if (ctx.printer.json) ctx.printer.printJsonLine(chunk);
      const choice = chunk.choices?.[0];
      if (!ctx.printer.json && typeof choice?.delta?.content === "string") {
        out.write(choice.delta.content);
      }
      if (typeof choice?.finish_reason === "string") finish = choice.finish_reason;
    }
  } catch (error) {
    if (error instanceof RunpodError || ctx.stop.signal.aborted) throw error;
    throw new RunpodConnectionError({
      route: CHAT_ROUTE,
      reason: `the reply stream broke off (${(error as Error).message})`,
      lost: "the reply printed is incomplete",
      cause: error,
    });
  }
  if (!done) {
    throw new RunpodConnectionError({
      route: CHAT_ROUTE,
      reason: "the reply stream ended before data: [DONE]",
      lost: "the reply printed is incomplete",
    });
  }
  return finish;
}

/** Prints a whole answer (--no-stream); resolves with the finish reason. */
async function printWhole(ctx: ChatContext, response: Response): Promise<string | undefined> {
  const answer = await readJson(response, CHAT_ROUTE) as {
    choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
  };
  const choice = answer?.choices?.[0];
  if (ctx.printer.json) ctx.printer.printJson(answer);
  else if (typeof choice?.message?.content === "string") ctx.printer.data(choice.message.content);
  else {
    throw new RunpodError(
      `${CHAT_ROUTE} answered without choices[0].message.content: ${
        JSON.stringify(answer).slice(0, 200)
      }`,
      { route: CHAT_ROUTE },
    );
  }
  return typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined;
}
