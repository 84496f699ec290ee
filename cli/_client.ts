// The client a command talks through: RunPod with the key from the
// environment or a file, a served emulator (--base-url), or an in-process one
// (--emulator). With --verbose every request is printed, the key never.
import runpodSdk, { type RunpodSdk } from "../mod.ts";
import { createEmulator, type Emulator } from "../testing.ts";
import type { Values } from "./_args.ts";
import { demoWorker } from "./_demo_worker.ts";
import { UsageError } from "./_exit.ts";
import type { Io } from "./_io.ts";
import type { Printer } from "./_output.ts";

/** The key the in-process emulator takes. */
export const EMULATOR_KEY = "emulator-key";

/** A client, and the emulator behind it when --emulator is on. */
export interface Client extends AsyncDisposable {
  runpod: RunpodSdk;
  emulator: Emulator | undefined;
}

/**
 * Makes the client for a command that works on `endpointIds` (the in-process
 * emulator serves exactly those).
 */
export async function openClient(
  io: Io,
  printer: Printer,
  values: Values,
  endpointIds: string[],
): Promise<Client> {
  const fetch = values.verbose ? verboseFetch(printer, globalThis.fetch) : undefined;
  if (values.emulator) {
    if (values["base-url"] !== undefined || values["rest-url"] !== undefined) {
      throw new UsageError("Give either --emulator or --base-url/--rest-url, not both");
    }
    const emulator = createEmulator({
      apiKey: EMULATOR_KEY,
      endpoints: endpointIds.length > 0 ? endpointIds : ["demo"],
      workers: 2,
      worker: demoWorker,
    });
    printer.note(
      printer.paint(printer.stderr, "dim", "(in-process emulator: nothing leaves this machine)"),
    );
    const emulated = (input: Request | URL | string, init?: RequestInit) =>
      emulator.fetch(input, init);
    const runpod = runpodSdk(EMULATOR_KEY, {
      baseUrl: emulator.baseUrl,
      restUrl: emulator.restUrl,
      fetch: values.verbose ? verboseFetch(printer, emulated) : emulated,
    });
    return { runpod, emulator, [Symbol.asyncDispose]: () => emulator.close() };
  }
  const apiKey = await readKey(io, values);
  printer.addSecret(apiKey);
  const baseUrl = values["base-url"] ?? nonEmpty(io.env("RUNPOD_BASE_URL"));
  const restUrl = values["rest-url"] ?? nonEmpty(io.env("RUNPOD_REST_URL"));
  const runpod = runpodSdk(apiKey, {
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(restUrl === undefined ? {} : { restUrl }),
    ...(fetch === undefined ? {} : { fetch }),
  });
  printer.debug(`Job API: ${runpod.baseUrl}; management API: ${runpod.restUrl}`);
  return { runpod, emulator: undefined, [Symbol.asyncDispose]: () => Promise.resolve() };
}

async function readKey(io: Io, values: Values): Promise<string> {
  const file = values["api-key-file"];
  if (file !== undefined) {
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (error) {
      throw new UsageError(
        `Cannot read the API key file '${file}' (${
          (error as Error).message.split("\n")[0]
        }): check the path given to --api-key-file`,
      );
    }
    const key = text.trim();
    if (key === "") {
      throw new UsageError(
        `The API key file '${file}' is empty: put the key from the RunPod console's settings in it`,
      );
    }
    return key;
  }
  const key = nonEmpty(io.env("RUNPOD_API_KEY")?.trim());
  if (key === undefined) {
    throw new UsageError(
      "No API key: set RUNPOD_API_KEY (a key from the RunPod console's settings), or pass --api-key-file PATH; to try the command without a key, add --emulator",
    );
  }
  return key;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

type Fetch = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/** A fetch that prints each request's method, URL, status and time on stderr (no headers). */
function verboseFetch(printer: Printer, base: Fetch): Fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const started = performance.now();
    printer.debug(`> ${request.method} ${request.url}`);
    try {
      const response = await base(request);
      const ms = Math.round(performance.now() - started);
      printer.debug(
        `< ${response.status} ${request.method} ${new URL(request.url).pathname} (${ms} ms)`,
      );
      return response;
    } catch (error) {
      printer.debug(`< no answer to ${request.method} ${request.url}: ${(error as Error).message}`);
      throw error;
    }
  };
}
