import { WEBHOOK_RETRIES } from "../_runpod_facts.ts";
import type { Timers } from "./_timers.ts";
import type { WebhookPayload } from "./webhook.ts";

/**
 * One attempt at delivering a webhook, as recorded in `emulator.webhooks`.
 *
 * @example Checking that a webhook was sent
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator, type WebhookDelivery } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator({
 *   webhookFetch: () => Promise.resolve(new Response("ok")), // stands in for your server
 * });
 * const endpoint = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch })
 *   .endpoint("test-endpoint");
 * const job = await endpoint.runSync({ input: "hi", webhook: "https://example.com/hook" });
 * const [delivery]: WebhookDelivery[] = emulator.webhooks;
 * assert.equal(delivery.jobId, job.id);
 * assert.equal(delivery.attempt, 1);
 * assert.equal(delivery.payload.status, "COMPLETED");
 * ```
 */
export interface WebhookDelivery {
  /** The job id. */
  jobId: string;
  /** The URL posted to. */
  url: string;
  /** 1 for the first attempt, up to 3. */
  attempt: number;
  /** The payload sent. */
  payload: WebhookPayload;
  /** The clock time of the attempt, in ms. */
  at: number;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why the POST failed, when it did not get an answer. */
  error?: string;
}

/** How long RunPod waits between webhook attempts. */
export const WEBHOOK_RETRY_DELAY: number = WEBHOOK_RETRIES.delay;
/** How many times RunPod tries to deliver a webhook in all. */
export const WEBHOOK_ATTEMPTS: number = 1 + WEBHOOK_RETRIES.extra;

/** Delivers webhooks: a POST, retried up to 2 more times 10 s apart on a non-200 answer. */
export class WebhookSender {
  #fetch: typeof fetch;
  #timers: Timers;
  #now: () => number;
  #controller = new AbortController();
  #inFlight = new Set<Promise<void>>();
  readonly log: WebhookDelivery[] = [];

  constructor(fetchFn: typeof fetch, timers: Timers, now: () => number) {
    this.#fetch = fetchFn;
    this.#timers = timers;
    this.#now = now;
  }

  /** Starts delivering `payload` to `url`. */
  send(url: string, payload: WebhookPayload, attempt = 1): void {
    const sending = this.#attempt(url, payload, attempt);
    this.#inFlight.add(sending);
    sending.finally(() => this.#inFlight.delete(sending));
  }

  /** Stops retrying, aborts the POSTs in flight and waits for them. */
  async close(): Promise<void> {
    this.#controller.abort(new DOMException("The emulator closed", "AbortError"));
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #attempt(url: string, payload: WebhookPayload, attempt: number): Promise<void> {
    const delivery: WebhookDelivery = { jobId: payload.id, url, attempt, payload, at: this.#now() };
    this.log.push(delivery);
    const signal = this.#controller.signal;
    try {
      const response = await this.#fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal,
      });
      delivery.status = response.status;
      await response.body?.cancel().catch(() => {});
      if (response.status === 200) return;
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    if (attempt < WEBHOOK_ATTEMPTS && !signal.aborted) {
      this.#timers.set(() => this.send(url, payload, attempt + 1), WEBHOOK_RETRY_DELAY);
    }
  }
}
