import type { EmulatorWorker, WorkerJob } from "./worker.ts";
import { checkKnownKeys, type KnownKeys } from "../_known_keys.ts";

/**
 * The input of a job that RunPod makes from a call to an endpoint's
 * OpenAI-compatible routes (`/openai/v1/...`): the route below `/openai`
 * and the request's JSON body. `GET /models` has no body, so no
 * `openai_input`.
 *
 * @example Reading the job of a chat completion call
 * ```ts
 * import { createEmulator, type OpenAIJobInput } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const seen: OpenAIJobInput[] = [];
 * await using emulator = createEmulator<OpenAIJobInput>({
 *   worker: (job) => {
 *     seen.push(job.input);
 *     return { object: "chat.completion", choices: [] };
 *   },
 * });
 * const url = `${emulator.baseUrl}/test-endpoint/openai/v1/chat/completions`;
 * const response = await emulator.fetch(url, {
 *   method: "POST",
 *   headers: { authorization: "Bearer test-key", "content-type": "application/json" },
 *   body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
 * });
 * assert.equal((await response.json()).object, "chat.completion");
 * assert.equal(seen[0]?.openai_route, "/v1/chat/completions");
 * assert.deepEqual(seen[0]?.openai_input, { model: "m", messages: [{ role: "user", content: "hi" }] });
 * ```
 */
export interface OpenAIJobInput {
  /** The route, such as `"/v1/chat/completions"`, `"/v1/completions"` or `"/v1/models"`. */
  openai_route: string;
  /** The request's JSON body (absent for `GET /models`). */
  openai_input?: unknown;
}

/**
 * Options of {@linkcode openaiWorker}.
 *
 * @example A worker that answers with the prompt in upper case, slowly
 * ```ts
 * import { createEmulator, FakeClock, openaiWorker, type OpenAIWorkerOptions } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * const options: OpenAIWorkerOptions = {
 *   reply: (request) => String(request.prompt).toUpperCase(),
 *   model: "my-model",
 *   chunkDelay: 1_000, // per word, on the emulator's clock
 * };
 * await using emulator = createEmulator({ clock, worker: openaiWorker(options) });
 * const response = await emulator.fetch(
 *   `${emulator.baseUrl}/test-endpoint/openai/v1/completions`,
 *   {
 *     method: "POST",
 *     headers: { authorization: "Bearer test-key" },
 *     body: JSON.stringify({ model: "my-model", prompt: "a horse" }),
 *   },
 * );
 * const completion = await response.json();
 * assert.equal(completion.choices[0].text, "A HORSE");
 * assert.equal(completion.model, "my-model");
 * assert.equal(emulator.jobs[0]?.executionTime, 2_000); // two words
 * ```
 */
export interface OpenAIWorkerOptions {
  /**
   * The reply text, or a function of the request body (`messages` or
   * `prompt`, `model`, ...) that returns it. Streamed, it is sent one word
   * at a time (each word with the spaces after it).
   */
  reply: string | ((request: Record<string, unknown>) => string);
  /**
   * The model `GET /models` lists and the answers name when the request
   * names none. Any model name a request gives is accepted and echoed.
   *
   * @default {"test-model"}
   */
  model?: string;
  /**
   * How long (ms, on the emulator's clock) the worker takes to produce each
   * word of the reply: streamed, it pauses this long before each piece; not
   * streamed, it answers after this times the number of words.
   *
   * @default {0}
   */
  chunkDelay?: number;
}

/**
 * Makes an emulator worker that answers an endpoint's OpenAI-compatible
 * routes as a vLLM worker does, in OpenAI's wire format: `/v1/chat/completions`
 * and `/v1/completions` with the reply text (with `stream: true`, as
 * Server-Sent Events chunks that end with `data: [DONE]`, and a usage chunk
 * when `stream_options.include_usage` is set), and `/v1/models` with one
 * model. `max_tokens` (or `max_completion_tokens`) cuts the reply after that
 * many words, with `finish_reason: "length"`. Token counts in `usage` are
 * word counts. A job of any other route fails.
 *
 * @param options The reply, the model name, and the pause between streamed pieces.
 * @returns The worker, for `createEmulator({ worker })`.
 *
 * @example Streaming a chat completion through the emulator
 * ```ts
 * import { createEmulator, openaiWorker } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({ worker: openaiWorker({ reply: "Hello there" }) });
 * const response = await emulator.fetch(
 *   `${emulator.baseUrl}/test-endpoint/openai/v1/chat/completions`,
 *   {
 *     method: "POST",
 *     headers: { authorization: "Bearer test-key", "content-type": "application/json" },
 *     body: JSON.stringify({
 *       model: "test-model",
 *       messages: [{ role: "user", content: "Hi" }],
 *       stream: true,
 *     }),
 *   },
 * );
 * assert.equal(response.headers.get("content-type"), "text/event-stream");
 * const events = (await response.text()).trim().split("\n\n");
 * assert.equal(events.at(-1), "data: [DONE]");
 * const text = events.slice(0, -1)
 *   .map((event) => JSON.parse(event.slice("data: ".length)).choices[0].delta.content ?? "")
 *   .join("");
 * assert.equal(text, "Hello there");
 * ```
 */
export function openaiWorker(options: OpenAIWorkerOptions): EmulatorWorker<OpenAIJobInput> {
  if (options === null || typeof options !== "object") {
    throw new TypeError("Cannot make an OpenAI worker: pass { reply, model?, chunkDelay? }");
  }
  checkKnownKeys("make an OpenAI worker", options, OPENAI_WORKER_KEYS);
  const { reply, model = "test-model", chunkDelay = 0 } = options;
  if (typeof reply !== "string" && typeof reply !== "function") {
    throw new TypeError(
      "Cannot make an OpenAI worker: reply must be a string or a function that returns one",
    );
  }
  if (typeof model !== "string" || model === "") {
    throw new TypeError("Cannot make an OpenAI worker: model must be a non-empty string");
  }
  if (!(Number.isFinite(chunkDelay) && chunkDelay >= 0)) {
    throw new RangeError(
      `Cannot make an OpenAI worker: chunkDelay must be a non-negative number, received ${chunkDelay}`,
    );
  }
  return (job) => {
    const { openai_route: route, openai_input: input } = (job.input ?? {}) as OpenAIJobInput;
    const created = Math.floor(job.clock.now() / 1000);
    if (route === "/v1/models") {
      return {
        object: "list",
        data: [{ id: model, object: "model", created, owned_by: "vllm", root: model }],
      };
    }
    if (route !== "/v1/chat/completions" && route !== "/v1/completions") {
      throw new Error(`openaiWorker: no such route ${JSON.stringify(route)}`);
    }
    const body = (input !== null && typeof input === "object" ? input : {}) as Record<
      string,
      unknown
    >;
    const chat = route === "/v1/chat/completions";
    const text = typeof reply === "function" ? String(reply(body)) : reply;
    const answer: Answer = {
      chat,
      id: `${chat ? "chatcmpl" : "cmpl"}-${job.id}`,
      created,
      model: typeof body.model === "string" && body.model !== "" ? body.model : model,
      ...cut(words(text), body.max_completion_tokens ?? body.max_tokens),
      promptTokens: words(promptText(body)).length,
    };
    if (body.stream === true) {
      const usage = (body.stream_options as { include_usage?: unknown } | undefined)
        ?.include_usage === true;
      return streamed(job, answer, usage, chunkDelay);
    }
    const generating = chunkDelay * answer.pieces.length;
    return generating > 0 ? job.sleep(generating).then(() => whole(answer)) : whole(answer);
  };
}

/** What a chat or completion answer is made of. */
interface Answer {
  chat: boolean;
  id: string;
  created: number;
  model: string;
  pieces: string[];
  finish: "stop" | "length";
  promptTokens: number;
}

/** The reply's words, each with the whitespace after it (the first with the whitespace before it). */
function words(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\s)(?=\S)/);
}

/** The pieces of the reply within `max` (when it is a positive integer), and why it stopped. */
function cut(pieces: string[], max: unknown): Pick<Answer, "pieces" | "finish"> {
  if (typeof max === "number" && Number.isInteger(max) && max >= 0 && max < pieces.length) {
    return { pieces: pieces.slice(0, max), finish: "length" };
  }
  return { pieces, finish: "stop" };
}

/** The text of a request's `messages` or `prompt`, for the usage counts. */
function promptText(body: Record<string, unknown>): string {
  if (Array.isArray(body.messages)) {
    return body.messages.map((message) => {
      const content = (message as { content?: unknown } | null)?.content;
      if (typeof content === "string") return content;
      if (Array.isArray(content)) {
        return content.map((part) => (part as { text?: unknown } | null)?.text ?? "").join(" ");
      }
      return "";
    }).join(" ");
  }
  if (typeof body.prompt === "string") return body.prompt;
  if (Array.isArray(body.prompt)) return body.prompt.join(" ");
  return "";
}

function usageOf(answer: Answer) {
  const completion = answer.pieces.length;
  return {
    prompt_tokens: answer.promptTokens,
    completion_tokens: completion,
    total_tokens: answer.promptTokens + completion,
  };
}

/** The non-streamed answer: a `chat.completion` or a `text_completion`. */
function whole(answer: Answer): Record<string, unknown> {
  const text = answer.pieces.join("");
  const choice = answer.chat
    ? { index: 0, message: { role: "assistant", content: text }, logprobs: null }
    : { index: 0, text, logprobs: null };
  return {
    id: answer.id,
    object: answer.chat ? "chat.completion" : "text_completion",
    created: answer.created,
    model: answer.model,
    choices: [{ ...choice, finish_reason: answer.finish }],
    usage: usageOf(answer),
  };
}

/** The streamed answer: SSE text chunks, `data: [DONE]` last. */
async function* streamed(
  job: WorkerJob<OpenAIJobInput>,
  answer: Answer,
  includeUsage: boolean,
  chunkDelay: number,
): AsyncGenerator<string> {
  const { id, created, model, chat } = answer;
  const object = chat ? "chat.completion.chunk" : "text_completion";
  const event = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object, created, model, choices, ...extra })}\n\n`;
  const choice = (content: string | undefined, finish: string | null) =>
    chat
      ? {
        index: 0,
        delta: content === undefined ? {} : { content },
        logprobs: null,
        finish_reason: finish,
      }
      : { index: 0, text: content ?? "", logprobs: null, finish_reason: finish };
  if (chat) {
    yield event([{
      index: 0,
      delta: { role: "assistant", content: "" },
      logprobs: null,
      finish_reason: null,
    }]);
  }
  for (const piece of answer.pieces) {
    if (chunkDelay > 0) await job.sleep(chunkDelay);
    yield event([choice(piece, null)]);
  }
  yield event([choice(undefined, answer.finish)]);
  if (includeUsage) yield event([], { usage: usageOf(answer) });
  yield "data: [DONE]\n\n";
}

/** The names of {@linkcode OpenAIWorkerOptions}. */
const OPENAI_WORKER_KEYS: KnownKeys = new Set(["reply", "model", "chunkDelay"]);
