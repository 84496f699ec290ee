// Keeps docs/troubleshooting.md true: every error message it quotes is the
// one the SDK produces today in that situation (job ids and request ids
// written as <job-id> and <request-id>). Run with PRINT=1 to see them.
import assert from "node:assert/strict";
import runpodSdk from "../../mod.ts";
import { createEmulator, FakeClock } from "../../testing.ts";

const page = await Deno.readTextFile(new URL("../../docs/troubleshooting.md", import.meta.url));

/** A message as the page writes it: ids replaced by placeholders. */
function normalized(message: string): string {
  return message
    .replace(
      /(sync-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-u\d+)?/g,
      "<job-id>",
    )
    .replace(/\[x-request-id [^\]]+\]/g, "[x-request-id <request-id>]");
}

/** The message of the error `call` throws or rejects with, as `Name: message`. */
async function messageOf(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (error) {
    return normalized(`${(error as Error).name}: ${(error as Error).message}`);
  }
  throw new Error("no error");
}

const TOO_MANY = JSON.stringify({ error: "Too Many Requests" });

/** Each situation of the page and the code that meets it, on an emulator. */
const situations: Record<string, () => Promise<string>> = {
  "a wrong API key (job API)": async () => {
    await using emulator = createEmulator();
    const { baseUrl, fetch } = emulator;
    const runpod = runpodSdk("wrong-key", { baseUrl, fetch });
    return await messageOf(() => runpod.endpoint("test-endpoint").run({ input: 1 }));
  },
  "a wrong API key (management API)": async () => {
    await using emulator = createEmulator();
    const { restUrl, fetch } = emulator;
    return await messageOf(() => runpodSdk("wrong-key", { restUrl, fetch }).endpoints.list());
  },
  "an unknown endpoint id": async () => {
    await using emulator = createEmulator();
    return await messageOf(() => emulator.client().endpoint("abc123xyz").run({ input: 1 }));
  },
  "a URL given as an endpoint id": () =>
    messageOf(() => runpodSdk("key").endpoint("https://api.runpod.ai/v2/abc123xyz/run")),
  "an unknown job id": async () => {
    await using emulator = createEmulator();
    return await messageOf(() => emulator.client().endpoint("test-endpoint").status("job-123"));
  },
  "a job whose result expired": async () => {
    using clock = new FakeClock();
    await using emulator = createEmulator({ clock });
    const endpoint = emulator.client().endpoint("test-endpoint");
    const { id } = await endpoint.run({ input: 1 });
    await endpoint.waitFor(id);
    await clock.advance(31 * 60_000);
    return await messageOf(() => endpoint.status(id));
  },
  "an unknown id on the management API": async () => {
    await using emulator = createEmulator();
    return await messageOf(() => emulator.client().endpoints.get("abc123xyz"));
  },
  "a management call without restUrl": async () => {
    await using emulator = createEmulator();
    const { baseUrl, fetch } = emulator;
    return await messageOf(() => runpodSdk("test-key", { baseUrl, fetch }).endpoints.list());
  },
  "restUrl set to the job API": () =>
    messageOf(() => runpodSdk("key", { restUrl: "https://api.runpod.ai/v2" })),
  "runSync's timeout": async () => {
    using clock = new FakeClock();
    await using emulator = createEmulator({ clock, worker: (job) => job.sleep(120_000) });
    const endpoint = emulator.client().endpoint("test-endpoint");
    return await messageOf(() => endpoint.runSync({ input: 1 }, 5000));
  },
  "a 429 after every retry": async () => {
    using clock = new FakeClock();
    await using emulator = createEmulator({ clock });
    emulator.inject("POST /run", { status: 429, body: TOO_MANY }, 3);
    return await messageOf(() => emulator.client().endpoint("test-endpoint").run({ input: 1 }));
  },
  "a 429 asking for a long wait": async () => {
    using clock = new FakeClock();
    await using emulator = createEmulator({ clock });
    emulator.inject("POST /run", { status: 429, retryAfter: "120", body: TOO_MANY });
    return await messageOf(() => emulator.client().endpoint("test-endpoint").run({ input: 1 }));
  },
  "a 5xx on /run": async () => {
    await using emulator = createEmulator();
    emulator.inject("POST /run", {
      status: 503,
      body: JSON.stringify({ error: "Service Unavailable" }),
    });
    return await messageOf(() => emulator.client().endpoint("test-endpoint").run({ input: 1 }));
  },
  "no connection": () =>
    messageOf(() =>
      runpodSdk("key", {
        fetch: () => Promise.reject(new TypeError("fetch failed")),
        maxRetries: 0,
      }).endpoint("abc123xyz").health()
    ),
  "a misspelt option": async () => {
    await using emulator = createEmulator();
    const endpoint = emulator.client().endpoint("test-endpoint");
    return await messageOf(() => endpoint.runSync({ input: 1 }, { timeot: 100 } as never));
  },
  "a streamed job that failed": async () => {
    await using emulator = createEmulator({ worker: () => ({ error: "CUDA out of memory" }) });
    const endpoint = emulator.client().endpoint("test-endpoint");
    const { id } = await endpoint.run({ input: 1 });
    return await messageOf(async () => {
      for await (const _ of endpoint.stream(id)) { /* no items */ }
    });
  },
};

for (const [situation, meet] of Object.entries(situations)) {
  Deno.test(`docs/troubleshooting.md quotes the error of ${situation} as the SDK words it`, async () => {
    const message = await meet();
    if (Deno.env.get("PRINT")) console.log(`${situation}\n${message}\n`);
    assert.ok(page.includes(message), `docs/troubleshooting.md does not quote:\n${message}`);
  });
}
