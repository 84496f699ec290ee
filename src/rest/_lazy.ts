// The management API's resources are loaded on first use (a dynamic import),
// so that an app that only runs jobs does not carry their code: bundlers put
// the REST code in a chunk of its own. `runpod.endpoints` is a stand-in whose
// methods load the real resource, then call it.
import type { Transport } from "../_http.ts";
import type { RestTransport } from "./_client.ts";
import type { GeneratorMethod, PromiseMethod, ResourceName } from "./_resources.ts";

/**
 * The methods that return an async generator rather than a promise. Derived
 * from the resources' types: a generator method missing here, or a name here
 * that is not one, fails the type check.
 */
const GENERATORS = ["pages", "logs"] as const satisfies readonly GeneratorMethod[];
const _every: [Exclude<GeneratorMethod, typeof GENERATORS[number]>] extends [never] ? true : never =
  true;
// A name is a generator on every resource that has it, or on none.
const _oneKind: [Extract<GeneratorMethod, PromiseMethod>] extends [never] ? true : never = true;

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
      return methods[key] ??= (GENERATORS as readonly string[]).includes(key)
        ? async function* (...args: unknown[]) {
          yield* (await load())[key]!(...args) as AsyncGenerator<unknown>;
        }
        : async (...args: unknown[]) => await (await load())[key]!(...args);
    },
  }) as T;
}
