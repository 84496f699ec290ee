// Makes a resource of the management API by name (loaded by _lazy.ts).
import type { RestTransport } from "./_client.ts";
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

/** Makes the resource `name` on a transport. */
export function makeResource(name: ResourceName, transport: RestTransport): object {
  return new RESOURCES[name](transport);
}
