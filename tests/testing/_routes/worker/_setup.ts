// An emulator with one external endpoint "my-ep" on a hand-driven FakeClock,
// a raw client for the job API, and a webhook receiver that records what it gets.
import { createEmulator, type EmulatorOptions, FakeClock } from "../../../../testing.ts";
import { client } from "../../../_helpers/raw_client.ts";

export function externalEmulator(options: Omit<EmulatorOptions, "clock"> = {}) {
  const clock = new FakeClock({ autoAdvance: false });
  const hooks: unknown[] = [];
  const emulator = createEmulator({
    clock,
    endpoints: [{ id: "my-ep", external: true }, "in-process"],
    webhookFetch: (_url, init) => {
      hooks.push(JSON.parse(String(init?.body)));
      return Promise.resolve(new Response("ok"));
    },
    ...options,
  });
  return {
    clock,
    emulator,
    hooks,
    api: client(emulator, { endpoint: "my-ep" }),
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}
