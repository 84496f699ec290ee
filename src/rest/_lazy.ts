// The management API's resources are loaded on first use (a dynamic import),
// so that an app that only runs jobs does not carry their code: bundlers put
// the REST code in a chunk of its own. `runpod.endpoints` is a stand-in whose
// methods load the real resource, then call it.
import type { Transport } from "../_http.ts";
import type { RestTransport } from "./_client.ts";
import type { ResourceName } from "./_resources.ts";

/** Methods that return an async generator rather than a promise. */
const GENERATORS = ["pages", "logs"];

/** A stand-in for the resource `name` whose methods load it on first call. */
export function lazyResource<T>(
  name: ResourceName,
  transport: Transport,
  shared: { transport?: RestTransport },
): T {
  let loaded: Promise<Record<string, (...args: unknown[]) => unknown>> | undefined;
  const load = () =>
    loaded ??= import("./_resources.ts").then((m) =>
      m.makeResource(name, transport, shared) as unknown as Record<
        string,
        (...args: unknown[]) => unknown
      >
    );
  const methods: Record<string, unknown> = {};
  return new Proxy({}, {
    get(_, key) {
      if (typeof key !== "string" || key === "then") return undefined;
      return methods[key] ??= GENERATORS.includes(key)
        ? async function* (...args: unknown[]) {
          yield* (await load())[key]!(...args) as AsyncGenerator<unknown>;
        }
        : async (...args: unknown[]) => await (await load())[key]!(...args);
    },
  }) as T;
}
