import { realClock } from "./clock.ts";
import { Endpoint } from "./endpoint.ts";
import type { ClientOptions } from "./types.ts";
import { VERSION } from "./version.ts";
import { runtimeFetch, transports } from "./_http.ts";
import { checkPacing, makePacer } from "./_pacer.ts";
import { Deadlines } from "./_scope.ts";
import { checkApiKey, checkRetries, checkTimeout } from "./_validate.ts";
import { checkKnownKeys, type KnownKeys, optionKeys } from "./_known_keys.ts";
import type { RestTransport } from "./rest/_client.ts";
import { lazyResource } from "./rest/_lazy.ts";
import type { ResourceName } from "./rest/_resources.ts";
import type { Endpoints } from "./rest/endpoints.ts";
import type { Templates } from "./rest/templates.ts";
import type { NetworkVolumes } from "./rest/network_volumes.ts";
import type { Registries } from "./rest/registries.ts";
import type { Pods } from "./rest/pods.ts";
import type { Clusters } from "./rest/clusters.ts";
import type { Catalog } from "./rest/catalog.ts";
import type { Billing } from "./rest/billing.ts";
import type { SshKeys } from "./rest/ssh_keys.ts";
import type { RateLimit } from "./rest/types.ts";
import { LoadBalancer } from "./load_balancer/load_balancer.ts";
import type { LoadBalancerOptions } from "./load_balancer/types.ts";

const DEFAULT_BASE_URL = "https://api.runpod.ai/v2";
const DEFAULT_REST_URL = "https://api.runpod.io/v2";
const DEFAULT_LOAD_BALANCER_URL = "https://{endpointId}.api.runpod.ai";
const DEFAULT_TIMEOUT = 30_000;
const DEFAULT_RETRIES = 2;
/** The names of {@linkcode ClientOptions}: the compiler holds this list to the type. */
const CLIENT_KEYS: KnownKeys = optionKeys<ClientOptions>({
  baseUrl: 1,
  restUrl: 1,
  loadBalancerUrl: 1,
  allowInsecureHttp: 1,
  fetch: 1,
  maxRetries: 1,
  timeout: 1,
  headers: 1,
  clock: 1,
  pacing: 1,
});

/**
 * A RunPod serverless client holding an API key and options. Make one with
 * {@linkcode runpodSdk}, then call {@linkcode RunpodSdk.endpoint}.
 *
 * The API key is kept in a private field: it is sent only in the
 * `Authorization` header to `baseUrl`, and appears in no error, log,
 * `JSON.stringify` or inspect output.
 *
 * @example
 * ```ts
 * import { RunpodSdk } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * const runpod = new RunpodSdk("my-secret-key");
 * assert.equal(JSON.stringify(runpod).includes("my-secret-key"), false);
 * assert.equal(runpod.endpoint("abc123").id, "abc123");
 * ```
 */
export class RunpodSdk {
  /** The base URL of the job API, such as `https://api.runpod.ai/v2`. */
  readonly baseUrl: string;
  /** The base URL of the management API (REST v2), such as `https://api.runpod.io/v2`. */
  readonly restUrl: string;
  /** The management API's transport, made by the REST code when it loads. */
  #rest: { transport?: RestTransport } = {};
  #resources: Record<string, unknown> = {};

  /**
   * Makes a client.
   *
   * @param apiKey A RunPod API key.
   * @param options Base URL, fetch, retries, timeout, headers and clock.
   */
  constructor(apiKey: string, options: ClientOptions = {}) {
    checkApiKey(apiKey);
    if (typeof options !== "object" || options === null) {
      throw new TypeError("Cannot create the RunPod client: options must be an object");
    }
    checkKnownKeys("create the RunPod client", options, CLIENT_KEYS);
    const baseUrl = checkBaseUrl(
      "baseUrl",
      options.baseUrl ?? DEFAULT_BASE_URL,
      options.allowInsecureHttp,
    );
    const restUrl = checkBaseUrl(
      "restUrl",
      options.restUrl ?? DEFAULT_REST_URL,
      options.allowInsecureHttp,
    );
    const loadBalancerUrl = checkLoadBalancerUrl(
      options.loadBalancerUrl ?? DEFAULT_LOAD_BALANCER_URL,
      options.allowInsecureHttp,
    );
    if (restUrl === DEFAULT_BASE_URL || baseUrl === DEFAULT_REST_URL) {
      throw new TypeError(
        `Cannot create the RunPod client: ${
          restUrl === DEFAULT_BASE_URL ? "restUrl" : "baseUrl"
        } is the other API's URL; the job API (baseUrl) is ${DEFAULT_BASE_URL} and the management API (restUrl) is ${DEFAULT_REST_URL}`,
      );
    }
    const fetchFn = options.fetch ?? runtimeFetch;
    if (typeof fetchFn !== "function") {
      throw new TypeError("Cannot create the RunPod client: fetch must be a function");
    }
    checkOptionTypes(options);
    const headers = new Headers();
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (typeof value !== "string") {
        throw new TypeError(`Cannot create the RunPod client: header '${name}' must be a string`);
      }
      try {
        headers.set(name, value);
      } catch (cause) {
        throw new TypeError(
          `Cannot create the RunPod client: header '${name}' is not a valid HTTP header name and value`,
          { cause },
        );
      }
    }
    headers.set("authorization", `Bearer ${apiKey}`);
    headers.set("content-type", "application/json");
    // RunPod's management API answers errors as RFC 9457 problems: a server that negotiates
    // content must be allowed to send them, or it answers a failing request with a success body.
    headers.set("accept", "application/json, application/problem+json");
    if (!("document" in globalThis) && !headers.has("user-agent")) {
      headers.set("user-agent", `runpod-sdk-ts/${VERSION}`);
    }
    this.baseUrl = baseUrl;
    this.restUrl = restUrl;
    const clock = options.clock ?? realClock;
    const pacing = checkPacing(options.pacing);
    transports.set(this, {
      baseUrl,
      restUrl,
      loadBalancerUrl,
      fetch: fetchFn,
      clock,
      deadlines: new Deadlines(clock),
      ...(pacing === false ? {} : { pacer: makePacer(clock, pacing) }),
      maxRetries: checkRetries("create the RunPod client", options.maxRetries) ?? DEFAULT_RETRIES,
      timeout: checkTimeout("create the RunPod client", options.timeout) ?? DEFAULT_TIMEOUT,
      headers: [...headers],
    });
  }

  /**
   * An endpoint of this client.
   *
   * @typeParam I The shape of `input` the worker expects.
   * @typeParam O The shape of the worker's `output`.
   * @param endpointId The endpoint id, as the RunPod console shows it, or an
   *   endpoint object from `runpod.endpoints` (its `id` is used).
   * @returns The endpoint.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const endpoint = runpodSdk("my-key").endpoint<{ prompt: string }, string>("abc123");
   * assert.equal(endpoint.id, "abc123");
   * assert.throws(() => runpodSdk("my-key").endpoint("../admin"), TypeError);
   * ```
   */
  endpoint<I = unknown, O = unknown>(endpointId: string | { id: string }): Endpoint<I, O> {
    const id = typeof endpointId === "object" && endpointId !== null ? endpointId.id : endpointId;
    return new Endpoint<I, O>(this, id);
  }

  /**
   * A load-balancing endpoint (REST v2 `type: "LOAD_BALANCER"`): requests go
   * straight to its workers' own HTTP servers at
   * `https://ENDPOINT_ID.api.runpod.ai/<path>`, with cold starts retried
   * (see {@linkcode LoadBalancer}). Its code loads on its first call.
   *
   * @param endpointId The endpoint id, or an endpoint object from `runpod.endpoints` (its `id` is used).
   * @param options The defaults of its calls: `timeout`, `maxRetries`, `healthPath`.
   * @returns The load balancer.
   *
   * @example
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import assert from "node:assert/strict";
   *
   * const lb = runpodSdk("my-key").loadBalancer("abc123");
   * assert.equal(lb.url, "https://abc123.api.runpod.ai");
   * assert.throws(() => runpodSdk("my-key").loadBalancer("../admin"), TypeError);
   * ```
   */
  loadBalancer(endpointId: string | { id: string }, options?: LoadBalancerOptions): LoadBalancer {
    const id = typeof endpointId === "object" && endpointId !== null ? endpointId.id : endpointId;
    return new LoadBalancer(this, id, options);
  }

  // ---------------------------------------------------------------- management API (REST v2)

  /** A resource of the management API; its code loads on its first call. */
  #resource<T>(name: ResourceName): T {
    return (this.#resources[name] ??= lazyResource<T>(
      name,
      transports.get(this)!,
      this.#rest,
    )) as T;
  }

  /**
   * Serverless endpoints: list, get, create, update, delete, workers, releases, logs.
   *
   * @example Listing endpoints
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator(); // starts with one endpoint, "test-endpoint"
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const endpoints = await runpod.endpoints.list();
   * assert.deepEqual(endpoints.map((e) => e.id), ["test-endpoint"]);
   * ```
   */
  get endpoints(): Endpoints {
    return this.#resource("endpoints");
  }

  /**
   * Templates: list, get, create, update, delete.
   *
   * @example Creating a template, then listing templates
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const template = await runpod.templates.create({ name: "whisper", image: "me/whisper:1" });
   * assert.deepEqual((await runpod.templates.list()).map((t) => t.id), [template.id]);
   * ```
   */
  get templates(): Templates {
    return this.#resource("templates");
  }

  /**
   * Network volumes: list, get, create, update, delete.
   *
   * @example Creating a network volume, then listing volumes
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.networkVolumes.create({ name: "weights", size: 50, dataCenter: "EU-RO-1" });
   * assert.deepEqual((await runpod.networkVolumes.list()).map((v) => v.name), ["weights"]);
   * ```
   */
  get networkVolumes(): NetworkVolumes {
    return this.#resource("networkVolumes");
  }

  /**
   * Container registry credentials: list, get, create, delete (and AWS ECR delegations).
   *
   * @example Storing a registry credential, then listing them
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await runpod.registries.create({ name: "docker-hub", username: "me", password: "a-token" });
   * assert.deepEqual((await runpod.registries.list()).map((r) => r.name), ["docker-hub"]);
   * ```
   */
  get registries(): Registries {
    return this.#resource("registries");
  }

  /**
   * Pods: list, get, create, update, delete, start, stop, restart, terminate, logs.
   *
   * @example Creating a pod, then listing pods
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const cpu = { id: "cpu3c", vcpuCount: 2 };
   * const pod = await runpod.pods.create({ name: "dev", image: "me/dev:1", cpu });
   * assert.deepEqual((await runpod.pods.list()).map((p) => p.id), [pod.id]);
   * ```
   */
  get pods(): Pods {
    return this.#resource("pods");
  }

  /**
   * Instant clusters: list, get, create, update, delete, pods.
   *
   * @example Creating a cluster, then listing clusters
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const compute = { gpuTypeId: "NVIDIA L40S", gpuCountPerPod: 1, podCount: 2 };
   * const cluster = await runpod.clusters.create({ name: "train", type: "TRAINING", compute });
   * assert.deepEqual((await runpod.clusters.list()).map((c) => c.id), [cluster.id]);
   * ```
   */
  get clusters(): Clusters {
    return this.#resource("clusters");
  }

  /**
   * RunPod's catalog: gpus, gpu, cpus, cpu, dataCenters, dataCenter, templates.
   *
   * @example Listing data centers
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator(); // a small seeded catalog, not RunPod's
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const centers = await runpod.catalog.dataCenters();
   * assert.ok(centers.some((center) => center.id === "EU-RO-1"));
   * ```
   */
  get catalog(): Catalog {
    return this.#resource("catalog");
  }

  /**
   * Billing: all, pods, serverless, endpoints, networkVolumes, clusters.
   *
   * @example The account's spending: nothing before anything ran
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const { metadata } = await runpod.billing.all({ lastN: 7 });
   * assert.equal(metadata.totals.totalAmount, 0);
   * ```
   */
  get billing(): Billing {
    return this.#resource("billing");
  }

  /**
   * The account's SSH public keys: list, set.
   *
   * @example Reading the SSH keys
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator(); // an account without keys
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * assert.deepEqual(await runpod.sshKeys.list(), []);
   * ```
   */
  get sshKeys(): SshKeys {
    return this.#resource("sshKeys");
  }

  /**
   * The management API's quota as the latest answer reported it
   * (`RateLimit`/`RateLimit-Policy` headers), or undefined before any.
   *
   * @example Reading the quota left this minute
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator(); // 60 requests a minute, as RunPod's spec shows
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * const before = runpod.rateLimit; // undefined: no answer yet
   * await runpod.pods.list();
   * const [minute] = runpod.rateLimit?.windows ?? [];
   * assert.equal(before, undefined);
   * assert.deepEqual([minute?.name, minute?.remaining, minute?.quota], ["minute", 59, 60]);
   * ```
   */
  get rateLimit(): RateLimit | undefined {
    return this.#rest.transport?.rateLimit;
  }
}

/**
 * Makes a RunPod serverless client: `runpodSdk(apiKey).endpoint(endpointId)`.
 *
 * @param apiKey A RunPod API key (from the RunPod console's settings).
 * @param options Base URL, fetch, retries, timeout, headers and clock.
 * @returns The client.
 *
 * @example Calling an endpoint
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { baseUrl: emulator.baseUrl, fetch: emulator.fetch });
 * const health = await runpod.endpoint("test-endpoint").health();
 * assert.equal(health.jobs.completed, 0);
 * ```
 */
export function runpodSdk(apiKey: string, options: ClientOptions = {}): RunpodSdk {
  return new RunpodSdk(apiKey, options);
}

/** Refuses `headers`, `clock` and `allowInsecureHttp` of the wrong type, before they are used. */
function checkOptionTypes(options: ClientOptions): void {
  const { headers, clock, allowInsecureHttp } = options as Record<string, unknown>;
  if (
    headers !== undefined &&
    (typeof headers !== "object" || headers === null ||
      Object.getPrototypeOf(headers) !== Object.prototype &&
        Object.getPrototypeOf(headers) !== null)
  ) {
    throw new TypeError(
      "Cannot create the RunPod client: headers must be a plain object of header names to strings, such as { 'x-team': 'vision' }",
    );
  }
  const c = clock as Record<string, unknown> | undefined;
  if (
    c !== undefined &&
    (typeof c !== "object" || c === null || typeof c.now !== "function" ||
      typeof c.setTimer !== "function")
  ) {
    throw new TypeError(
      "Cannot create the RunPod client: clock must be an object with now() and setTimer() methods",
    );
  }
  if (allowInsecureHttp !== undefined && typeof allowInsecureHttp !== "boolean") {
    throw new TypeError("Cannot create the RunPod client: allowInsecureHttp must be a boolean");
  }
}

function checkBaseUrl(name: string, baseUrl: unknown, allowInsecureHttp: unknown): string {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new TypeError(`Cannot create the RunPod client: ${name} is not a URL: '${baseUrl}'`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(
      `Cannot create the RunPod client: ${name} must be http(s), received '${url.protocol}'`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      `Cannot create the RunPod client: ${name} must not hold credentials, a query or a fragment`,
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && allowInsecureHttp !== true) {
    throw new TypeError(
      `Cannot create the RunPod client: ${name} '${url.origin}' is plain http on a host that is not loopback, so the API key would travel in clear text; use https, or pass allowInsecureHttp: true`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** Checks `loadBalancerUrl`: a base URL with `{endpointId}` where the id goes. */
function checkLoadBalancerUrl(template: unknown, allowInsecureHttp: unknown): string {
  if (typeof template !== "string" || !template.includes("{endpointId}")) {
    throw new TypeError(
      `Cannot create the RunPod client: loadBalancerUrl must hold '{endpointId}', received '${template}'`,
    );
  }
  checkBaseUrl("loadBalancerUrl", template.replaceAll("{endpointId}", "id"), allowInsecureHttp);
  return template.replace(/\/+$/, "");
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
