/**
 * The SDK's version, sent in the `User-Agent` header where the runtime allows
 * one. Kept equal to `deno.json`'s version by a test.
 *
 * @example
 * ```ts
 * import { VERSION } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const VERSION = "0.1.0";
