import { request, type RestTransport } from "./_client.ts";
import type { CallOptions } from "../types.ts";

/**
 * The SSH public keys of the account (`/account/ssh-keys`), which RunPod
 * installs in every new pod. Get it as `runpod.sshKeys`.
 *
 * @example Adding a key to the list
 * ```ts
 * import runpodSdk from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * let stored = ["ssh-ed25519 AAAAC3Nza old@laptop"];
 * const fetch = async (input: Request | URL | string, init?: RequestInit) => {
 *   if (init?.method === "PUT") stored = JSON.parse(String(init.body)).keys;
 *   return Response.json({ keys: stored });
 * };
 * const runpod = runpodSdk("my-key", { fetch });
 * const keys = await runpod.sshKeys.list();
 * await runpod.sshKeys.set([...keys, "ssh-ed25519 AAAAC3Nzb new@laptop"]);
 * assert.equal(stored.length, 2);
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
   * import assert from "node:assert/strict";
   *
   * const fetch = async () => Response.json({ keys: ["ssh-ed25519 AAAAC3Nza me@laptop"] });
   * assert.equal((await runpodSdk("my-key", { fetch }).sshKeys.list()).length, 1);
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
   * import assert from "node:assert/strict";
   *
   * const runpod = runpodSdk("my-key", { fetch: () => Promise.reject(new Error("not sent")) });
   * await assert.rejects(runpod.sshKeys.set(["-----BEGIN PRIVATE KEY-----"]), TypeError);
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
