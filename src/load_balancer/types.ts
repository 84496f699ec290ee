// The options of a load-balancing endpoint's client (`runpod.loadBalancer(id)`).

/**
 * Options of `runpod.loadBalancer(id, options)`: the defaults of its calls.
 *
 * @example A load balancer whose calls give up after a minute
 * ```ts
 * import runpodSdk, { type LoadBalancerOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: LoadBalancerOptions = { timeout: 60_000, maxRetries: 4, healthPath: "/health" };
 * const lb = runpodSdk("my-key").loadBalancer("abc123", options);
 * assert.equal(lb.url, "https://abc123.api.runpod.ai");
 * ```
 */
export interface LoadBalancerOptions {
  /**
   * Each call's local timeout in ms, retries included: for `fetch`, until
   * the answer's head arrives (its body is then the caller's to read); for
   * `json`, until its body is read; for `ready`, until the health path
   * answers 200. The default covers the longest RunPod may hold one request:
   * about 2 minutes waiting for a worker, then 5.5 minutes processing.
   *
   * @default {450000}
   */
  timeout?: number | undefined;
  /**
   * How many times an answer meaning that no worker took the request is
   * retried (with backoff, within the timeout).
   *
   * @default {10}
   */
  maxRetries?: number | undefined;
  /**
   * The worker's health path, which `ready()` polls (the worker's
   * `HEALTH_CHECK_PATH`).
   *
   * @default {"/ping"}
   */
  healthPath?: string | undefined;
}

/**
 * The request options of `lb.fetch(path, init)`: `fetch`'s own (method,
 * headers, body...), and the SDK's `timeout`, `signal` and `maxRetries`.
 *
 * @example Streaming an answer with a deadline
 * ```ts
 * import type { LoadBalancerInit } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const init: LoadBalancerInit = {
 *   method: "POST",
 *   headers: { accept: "text/event-stream" },
 *   body: JSON.stringify({ prompt: "Hello" }),
 *   timeout: 120_000,
 * };
 * assert.equal(init.method, "POST");
 * ```
 */
export interface LoadBalancerInit extends Omit<RequestInit, "signal" | "window"> {
  /**
   * The call's local timeout in ms, retries included, until the answer's
   * head arrives; on expiry the call rejects with a `TimeoutError`.
   *
   * @default {the load balancer's timeout (450000)}
   */
  timeout?: number | undefined;
  /** Aborts the call; after it resolved, aborting closes the answer's body. */
  signal?: AbortSignal | undefined;
  /**
   * How many times an answer meaning that no worker took the request is retried.
   *
   * @default {the load balancer's maxRetries (10)}
   */
  maxRetries?: number | undefined;
}

/**
 * Options of `lb.json(path, body, options)`.
 *
 * @example A GET of JSON
 * ```ts
 * import type { LoadBalancerJsonOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: LoadBalancerJsonOptions = { method: "GET", timeout: 10_000 };
 * assert.equal(options.method, "GET");
 * ```
 */
export interface LoadBalancerJsonOptions {
  /**
   * The HTTP method.
   *
   * @default {"POST" with a body, "GET" without}
   */
  method?: string | undefined;
  /** Extra headers (`content-type` and `accept` are `application/json`). */
  headers?: Record<string, string> | undefined;
  /**
   * The call's local timeout in ms, retries and reading the answer included.
   *
   * @default {the load balancer's timeout (450000)}
   */
  timeout?: number | undefined;
  /** Aborts the call. */
  signal?: AbortSignal | undefined;
  /**
   * How many times an answer meaning that no worker took the request is retried.
   *
   * @default {the load balancer's maxRetries (10)}
   */
  maxRetries?: number | undefined;
}

/**
 * Options of `lb.ready(options)`.
 *
 * @example Waiting up to two minutes
 * ```ts
 * import type { ReadyOptions } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const options: ReadyOptions = { timeout: 120_000 };
 * assert.equal(options.timeout, 120_000);
 * ```
 */
export interface ReadyOptions {
  /**
   * How long to wait in ms; on expiry the call rejects with a `TimeoutError`.
   *
   * @default {the load balancer's timeout (450000)}
   */
  timeout?: number | undefined;
  /** Aborts the wait. */
  signal?: AbortSignal | undefined;
}
