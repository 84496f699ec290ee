// Shared set-up of the OpenAI tests: the real `openai` package pointed at the
// emulator, in fetch mode, with the base URL the SDK gives.
import OpenAI from "openai"; // resolved from package.json and node_modules (nodeModulesDir: manual)
import runpodSdk from "../../../../mod.ts";
import type { Emulator, EmulatorWorker, OpenAIJobInput } from "../../../../testing.ts";

export { OpenAI };

/** An `openai` client for the emulator's `test-endpoint`, in fetch mode. */
export function openaiFor(
  emulator: Emulator<OpenAIJobInput>,
  options: { apiKey?: string; maxRetries?: number } = {},
): OpenAI {
  const { apiKey = "test-key", maxRetries = 2 } = options;
  const endpoint = runpodSdk(apiKey, { baseUrl: emulator.baseUrl }).endpoint("test-endpoint");
  return new OpenAI({ apiKey, baseURL: endpoint.openaiBaseUrl, fetch: emulator.fetch, maxRetries });
}

/** Wraps a worker so that a test can await the moment a job's signal aborts (it was cancelled). */
export function watchCancel(worker: EmulatorWorker<OpenAIJobInput>): {
  worker: EmulatorWorker<OpenAIJobInput>;
  cancelled: Promise<string>;
} {
  const { promise, resolve } = Promise.withResolvers<string>();
  return {
    worker: (job) => {
      job.signal.addEventListener("abort", () => resolve(job.id), { once: true });
      return worker(job);
    },
    cancelled: promise,
  };
}

/** The chat request the tests send. */
export const CHAT = {
  model: "test-model",
  messages: [{ role: "user" as const, content: "Say hello" }],
};
