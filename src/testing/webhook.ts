import type { JobStatus } from "../types.ts";

/**
 * What RunPod POSTs to a job's `webhook` URL when the job ends: the job as
 * `/status` shows it, with its input and the webhook URL.
 *
 * @typeParam I The input type.
 * @typeParam O The output type.
 *
 * @example Receiving a job's webhook
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, parseWebhook, type WebhookPayload } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const received = Promise.withResolvers<WebhookPayload<string, string>>();
 * await using emulator = createEmulator({
 *   webhookFetch: async (input, init) => {
 *     received.resolve(await parseWebhook(new Request(input, init)));
 *     return new Response("ok");
 *   },
 * });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * await endpoint.run({ input: "hi", webhook: "https://example.com/hook" });
 * const payload = await received.promise;
 * assert.equal(payload.status, "COMPLETED");
 * assert.equal(payload.output, "hi");
 * ```
 */
export interface WebhookPayload<I = unknown, O = unknown> {
  /** The job id. */
  id: string;
  /** The job's final status. */
  status: JobStatus;
  /** The job's input. */
  input?: I;
  /** The output of a COMPLETED job. */
  output?: O;
  /** The error of a FAILED job, as received (often a JSON string from a Python worker). */
  error?: unknown;
  /** Milliseconds the job waited in the queue. */
  delayTime?: number;
  /** Milliseconds the job ran. */
  executionTime?: number;
  /** The webhook URL the payload was sent to. */
  webhook?: string;
  /** Any other field RunPod sends is kept. */
  [key: string]: unknown;
}

/**
 * Reads a RunPod webhook request on the receiving side (your server): its
 * JSON body, checked to be a job (an object with a string `id` and `status`).
 * It does not authenticate the sender: RunPod does not sign webhooks, so put
 * a secret in the webhook URL and check it yourself.
 *
 * @typeParam I The input type.
 * @typeParam O The output type.
 * @param request The incoming request.
 * @returns The payload.
 * @throws {TypeError} When the body is not JSON or not a job.
 *
 * @example Reading a webhook
 * ```ts
 * import { parseWebhook } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const request = new Request("https://example.com/hook", {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ id: "abc", status: "COMPLETED", output: { n: 1 }, delayTime: 3 }),
 * });
 * const payload = await parseWebhook<unknown, { n: number }>(request);
 * assert.equal(payload.status, "COMPLETED");
 * assert.equal(payload.output?.n, 1);
 * await assert.rejects(parseWebhook(new Request("https://example.com", { method: "POST", body: "x" })), TypeError);
 * ```
 */
export async function parseWebhook<I = unknown, O = unknown>(
  request: Request,
): Promise<WebhookPayload<I, O>> {
  const text = await request.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new TypeError(`Cannot read webhook: body is not JSON, received '${text.slice(0, 100)}'`, {
      cause,
    });
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new TypeError(
      `Cannot read webhook: expected a JSON object, received ${text.slice(0, 100)}`,
    );
  }
  const { id, status } = body as Record<string, unknown>;
  if (typeof id !== "string" || typeof status !== "string") {
    throw new TypeError("Cannot read webhook: expected string 'id' and 'status' fields");
  }
  for (const key of ["delayTime", "executionTime"]) {
    const value = (body as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== "number") {
      throw new TypeError(
        `Cannot read webhook: '${key}' must be a number, received ${JSON.stringify(value)}`,
      );
    }
  }
  return body as WebhookPayload<I, O>;
}
