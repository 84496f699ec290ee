import { request, type RestTransport } from "./_client.ts";
import type { CallOptions } from "../types.ts";

/**
 * The SSH public keys of the account (`/account/ssh-keys`), which RunPod
 * installs in every new pod. Get it as `runpod.sshKeys`.
 *
 * @example Adding a key to the list
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import { createEmulator } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * await using emulator = createEmulator();
 * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
 * await runpod.sshKeys.set(["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOld old@laptop"]);
 * const keys = await runpod.sshKeys.list();
 * await runpod.sshKeys.set([...keys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINew new@laptop"]);
 * assert.equal((await runpod.sshKeys.list()).length, 2);
 * ```
 */
export class SshKeys {
  #t: RestTransport;

  /**
   * Wraps a client's transport; use `runpod.sshKeys` instead.
   *
   * @param transport The client's REST transport.
   */
  constructor(transport: RestTransport) {
    this.#t = transport;
  }

  /**
   * Reads the account's SSH public keys.
   *
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The keys, one OpenSSH public key a string.
   *
   * @example Reading the keys
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator(); // an account without keys
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * assert.deepEqual(await runpod.sshKeys.list(), []);
   * await runpod.sshKeys.set(["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMe me@laptop"]);
   * assert.deepEqual(await runpod.sshKeys.list(), [
   *   "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMe me@laptop",
   * ]);
   * ```
   */
  async list(options?: number | CallOptions): Promise<string[]> {
    const answer = await request<{ keys: string[] }>(this.#t, "getSshKeys", {
      what: "read the SSH keys",
    }, options);
    return answer.keys;
  }

  /**
   * Replaces the account's SSH public keys with these (an empty list removes them all).
   *
   * @param keys OpenSSH public keys, such as `"ssh-ed25519 AAAA... me@laptop"`.
   * @param options A timeout in ms, or `{ timeout, signal, maxRetries }`.
   * @returns The keys as they are now.
   *
   * @example A key that is not an OpenSSH public key throws before any request
   * ```ts
   * import runpodSdk from "@runpod/sdk";
   * import { createEmulator } from "@runpod/sdk/testing";
   * import assert from "node:assert/strict";
   *
   * await using emulator = createEmulator();
   * const runpod = runpodSdk("test-key", { restUrl: emulator.restUrl, fetch: emulator.fetch });
   * await assert.rejects(runpod.sshKeys.set(["-----BEGIN PRIVATE KEY-----"]), TypeError);
   * assert.equal(emulator.requests.length, 0);
   * ```
   */
  async set(keys: string[], options?: number | CallOptions): Promise<string[]> {
    const answer = await request<{ keys: string[] }>(this.#t, "updateSshKeys", {
      what: "replace the SSH keys",
      body: { keys },
    }, options);
    return answer.keys;
  }
}
