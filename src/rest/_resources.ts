// Makes a resource of the management API by name (loaded by _lazy.ts).
import type { Transport } from "../_http.ts";
import { type RestTransport, restTransport } from "./_client.ts";
import { Endpoints } from "./endpoints.ts";
import { Templates } from "./templates.ts";
import { NetworkVolumes } from "./network_volumes.ts";
import { Registries } from "./registries.ts";
import { Pods } from "./pods.ts";
import { Clusters } from "./clusters.ts";
import { Catalog } from "./catalog.ts";
import { Billing } from "./billing.ts";
import { SshKeys } from "./ssh_keys.ts";

const RESOURCES = {
  endpoints: Endpoints,
  templates: Templates,
  networkVolumes: NetworkVolumes,
  registries: Registries,
  pods: Pods,
  clusters: Clusters,
  catalog: Catalog,
  billing: Billing,
  sshKeys: SshKeys,
};

/** The name of a resource of the management API, as `runpod.<name>`. */
export type ResourceName = keyof typeof RESOURCES;

type Methods<R> = {
  [K in keyof R]: R[K] extends (...args: never[]) => unknown ? K : never;
}[keyof R];
type GeneratorsOf<R> = {
  [K in keyof R]: R[K] extends (...args: never[]) => AsyncGenerator<unknown> ? K : never;
}[keyof R];
type Every<F> = {
  [N in ResourceName]: F extends "gen" ? GeneratorsOf<InstanceType<typeof RESOURCES[N]>>
    : Exclude<
      Methods<InstanceType<typeof RESOURCES[N]>>,
      GeneratorsOf<InstanceType<typeof RESOURCES[N]>>
    >;
}[ResourceName];

/** The names of the resources' methods that return an async generator (`pages`, `logs`). */
export type GeneratorMethod = Every<"gen">;
/** The names of the resources' methods that return a promise. */
export type PromiseMethod = Every<"promise">;

/**
 * Makes the resource `name` on a client's transport; the client's resources
 * share one REST transport (and so one record of the quota) through `shared`.
 */
export function makeResource(
  name: ResourceName,
  transport: Transport,
  shared: { transport?: RestTransport },
): object {
  return new RESOURCES[name](shared.transport ??= restTransport(transport));
}
