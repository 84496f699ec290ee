// The worker of `--emulator` and `runpod emulator`: what a RunPod worker for
// trying the command would do, without a GPU.
import { type OpenAIJobInput, openaiWorker, type WorkerJob } from "../testing.ts";

/** The model the demo worker's OpenAI-compatible routes list. */
export const DEMO_MODEL = "demo-model";

/**
 * What the demo worker answers on the OpenAI-compatible routes (`runpod chat`):
 * the last user message, echoed word by word, and said to be an echo.
 */
const demoOpenai = openaiWorker({
  reply: (request) => `You said: ${lastUserText(request)} (the demo worker echoes; no model ran)`,
  model: DEMO_MODEL,
  chunkDelay: 40,
});

function lastUserText(request: Record<string, unknown>): string {
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const user = [...messages].reverse().find((m) =>
    (m as { role?: unknown } | null)?.role === "user"
  ) as
    | { content?: unknown }
    | undefined;
  if (typeof user?.content === "string") return user.content;
  return typeof request.prompt === "string" ? request.prompt : "nothing";
}

/** The inputs the demo worker understands (any other input is echoed). */
export interface DemoInput {
  /** How long the job runs, in seconds (default 1), reporting progress as it goes. */
  seconds?: number;
  /** Yield this many stream items, one every `every` ms (default 250). */
  stream?: number;
  /** The pause between stream items, in ms. */
  every?: number;
  /** End FAILED with this message. */
  fail?: string;
}

/**
 * The demo worker: echoes its input after `seconds`; `stream` yields items; `fail` fails.
 * A job of the OpenAI-compatible routes (its input has `openai_route`) is answered by
 * an `openaiWorker` that echoes the prompt.
 */
export function demoWorker(job: WorkerJob<unknown>): unknown {
  const input = (typeof job.input === "object" && job.input !== null ? job.input : {}) as DemoInput;
  if ("openai_route" in input) return demoOpenai(job as WorkerJob<OpenAIJobInput>);
  if (typeof input.stream === "number") return items(job, input.stream, input.every ?? 250);
  return work(job, input);
}

async function work(job: WorkerJob<unknown>, input: DemoInput): Promise<unknown> {
  const ms = Math.max(0, (typeof input.seconds === "number" ? input.seconds : 1) * 1_000);
  const steps = 4;
  for (let step = 1; step <= steps; step++) {
    job.progress(`step ${step} of ${steps}`);
    await job.sleep(ms / steps);
  }
  if (typeof input.fail === "string") throw new Error(input.fail);
  return { echo: job.input };
}

async function* items(job: WorkerJob<unknown>, count: number, every: number) {
  for (let i = 1; i <= count; i++) {
    await job.sleep(every);
    yield { item: i, of: count };
  }
}
