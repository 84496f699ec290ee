/**
 * Options of the management API (REST v2) that {@linkcode createEmulator}
 * serves at `emulator.restUrl`: its rate limit and its seeded catalog.
 *
 * @example Lowering the rate limit to see a 429
 * ```ts
 * import { createEmulator, FakeClock, type RestEmulatorOptions } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock();
 * const rest: RestEmulatorOptions = { requestsPerMinute: 1 };
 * await using emulator = createEmulator({ clock, rest });
 * const headers = { authorization: "Bearer test-key" };
 * const first = await emulator.fetch(`${emulator.restUrl}/catalog/gpus`, { headers });
 * assert.equal(first.headers.get("ratelimit"), '"minute";r=0;t=60');
 * await first.body?.cancel();
 * const second = await emulator.fetch(`${emulator.restUrl}/catalog/gpus`, { headers });
 * assert.equal(second.status, 429);
 * assert.equal(second.headers.get("retry-after"), "60");
 * await second.body?.cancel();
 * ```
 */
export interface RestEmulatorOptions {
  /**
   * How many management API requests an API key may make per minute of the
   * emulator's clock (fixed windows); beyond it requests answer 429 with
   * `Retry-After`. The default is the quota RunPod's OpenAPI document shows
   * in its example (live quotas are larger).
   *
   * @default {60}
   */
  requestsPerMinute?: number;
  /**
   * Whether the catalog starts seeded with a few GPU and CPU types, data
   * centers and public templates (plausible values, not RunPod's prices).
   * Without it the catalog is empty and references to GPU pools, CPU types
   * and data centers are not checked.
   *
   * @default {true}
   */
  catalog?: boolean;
}
