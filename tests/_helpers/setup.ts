// Shared set-up for the client's tests: an in-process emulator on a fake
// clock, and a client wired to it. Everything is disposed with `await using`.
import runpodSdk, { type ClientOptions, type Endpoint } from "../../mod.ts";
import { createEmulator, type EmulatorOptions, FakeClock } from "../../testing.ts";

export const KEY = "test-key";
export const ENDPOINT = "test-endpoint";

export interface Setup<I, O> extends AsyncDisposable {
  clock: FakeClock;
  emulator: ReturnType<typeof createEmulator>;
  endpoint: Endpoint<I, O>;
  /** Bodies of the requests the client sent, in order, with their method and URL. */
  sent: { method: string; url: URL; body: string }[];
}

export function setup<I = unknown, O = unknown>(
  emulatorOptions: Omit<EmulatorOptions, "clock"> = {},
  clientOptions: ClientOptions & { manualClock?: boolean } = {},
): Setup<I, O> {
  const { manualClock = false, ...options } = clientOptions;
  const clock = new FakeClock({ autoAdvance: !manualClock });
  const emulator = createEmulator({ clock, ...emulatorOptions });
  const sent: Setup<I, O>["sent"] = [];
  const fetch = async (input: Request | URL | string, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      method: request.method,
      url: new URL(request.url),
      body: await request.clone().text(),
    });
    return emulator.fetch(request);
  };
  const endpoint = runpodSdk(KEY, { baseUrl: emulator.baseUrl, fetch, clock, ...options })
    .endpoint<I, O>(ENDPOINT);
  return {
    clock,
    emulator,
    endpoint,
    sent,
    async [Symbol.asyncDispose]() {
      await emulator.close();
      clock.dispose();
    },
  };
}

/** The clock times (ms) at which the emulator saw each request of `route`. */
export function times(emulator: ReturnType<typeof createEmulator>, route: string): number[] {
  return emulator.requests.filter((r) => r.route === route).map((r) => r.at);
}

/** Differences between consecutive numbers. */
export function gaps(values: number[]): number[] {
  return values.slice(1).map((v, i) => v - values[i]);
}
