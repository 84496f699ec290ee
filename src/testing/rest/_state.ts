import type { Clock } from "../../clock.ts";
import { Collection } from "./_collection.ts";
import type { JobApiLink } from "./_link.ts";
import type { LogHub } from "./_logs.ts";
import {
  SEED_CPUS,
  SEED_DATA_CENTERS,
  SEED_GPUS,
  SEED_PUBLIC_TEMPLATES,
  type SeedCpu,
  type SeedDataCenter,
  type SeedGpu,
} from "./_seed.ts";

/** The container settings shared by templates, endpoints and pods. */
export interface Container {
  image?: string;
  args?: string;
  disk?: number;
  env?: Record<string, string>;
  ports?: string[];
  registry?: string | null;
}

/** The container fields a template and a pod both keep, each set (defaults filled in). */
export interface ContainerRecord {
  id: string;
  name: string;
  image: string;
  args: string;
  disk: number;
  mounts: Record<string, unknown>;
  ports: string[];
  env: Record<string, string>;
  registry: string | null;
  startSsh: boolean;
}

/** A template as the API shows it. */
export interface TemplateRecord extends ContainerRecord {
  serverless: boolean;
  public: boolean;
  category: "NVIDIA" | "AMD" | "CPU";
  startJupyter: boolean;
  allowedCudaVersions: string[];
}

/** One release of an endpoint (a versioned snapshot of its container settings). */
export interface ReleaseRecord {
  id: string;
  version: number;
  source: "MANUAL";
  buildId: null;
  createdByUserId: string;
  createdAt: number;
  diff: { field: string; old: unknown; new: unknown }[];
}

/** A serverless endpoint as the emulator keeps it (`requestUrls` are made per request). */
export interface EndpointRecord {
  id: string;
  name: string;
  type: "QUEUE" | "LOAD_BALANCER";
  createdAt: number;
  image?: string;
  args: string;
  disk?: number;
  env: Record<string, string>;
  ports: string[];
  registry: string | null;
  gpu: {
    pools: string[];
    excludedTypes?: string[];
    count: number;
    allowedCudaVersions: string[];
    minCudaVersion: string | null;
  } | null;
  cpu?: { id: string; vcpuCount: number; memory: number }[];
  workers: { min: number; max: number; idleTimeout: number };
  scaling: Record<string, unknown>;
  dataCenterIds: string[];
  networkVolumes: string[];
  timeout: number;
  flashboot: string;
  version: number;
  releases: ReleaseRecord[];
  /** Since when the `workers.min` always-on workers have been up (creation, or the last change of `min`). */
  warmSince: number;
}

/** A pod's status over time: each entry holds from its `at` on. */
export interface PodPhase {
  at: number;
  status: "PROVISIONING" | "STARTING" | "RUNNING" | "EXITED" | "ERROR" | "TERMINATED";
}

/** A pod as the emulator keeps it. */
export interface PodRecord extends ContainerRecord {
  cloud: "SECURE" | "COMMUNITY";
  dataCenterId: string | null;
  gpu?: { id: string; count: number };
  cpu?: { id: string; vcpuCount: number; memory: number };
  template: string | null;
  locked: boolean;
  globalNetworking: boolean;
  createdAt: number;
  phases: PodPhase[];
  cluster?: { id: string; rank: number; role?: string };
}

/** A cluster as the emulator keeps it. */
export interface ClusterRecord {
  id: string;
  name: string;
  type: "APPLICATION" | "TRAINING" | "SLURM" | "RAY";
  compute: { gpuTypeId: string; gpuCountPerPod: number; podCount: number };
  dataCenterId: string;
  createdAt: number;
  podIds: string[];
}

/** A network volume. */
export interface VolumeRecord {
  id: string;
  name: string;
  size: number;
  dataCenter: string;
  type: "STANDARD" | "HIGH_PERFORMANCE";
  createdAt: number;
}

/** A registry credential (the password is kept, never shown). */
export interface RegistryRecord {
  id: string;
  name: string;
  username: string;
  password: string;
}

/** An ECR delegation. */
export interface DelegationRecord {
  id: string;
  name: string | null;
  delegatorUserId: string;
  awsUser: string;
  repository: string;
  tag: string;
  awsRegion: string;
  dockerRegistryUri: string;
  createdAt: string;
}

/** The management API's data, shared by its route handlers. */
export class RestState {
  readonly clock: Clock;
  readonly link: JobApiLink;
  readonly logs: LogHub;
  readonly userId = "user_emulator";
  readonly endpoints = new Collection<EndpointRecord>();
  readonly templates = new Collection<TemplateRecord>();
  readonly publicTemplates: { source: string; template: TemplateRecord }[] = [];
  readonly volumes = new Collection<VolumeRecord>();
  readonly registries = new Collection<RegistryRecord>();
  readonly delegations = new Collection<DelegationRecord>();
  readonly pods = new Collection<PodRecord>();
  readonly clusters = new Collection<ClusterRecord>();
  sshKeys: string[] = [];
  readonly gpus: readonly SeedGpu[];
  readonly cpus: readonly SeedCpu[];
  readonly dataCenters: readonly SeedDataCenter[];

  constructor(options: {
    clock: Clock;
    link: JobApiLink;
    logs: LogHub;
    catalog: boolean;
  }) {
    this.clock = options.clock;
    this.link = options.link;
    this.logs = options.logs;
    this.gpus = options.catalog ? SEED_GPUS : [];
    this.cpus = options.catalog ? SEED_CPUS : [];
    this.dataCenters = options.catalog ? SEED_DATA_CENTERS : [];
    if (options.catalog) {
      for (const [source, id, name, image, serverless, category] of SEED_PUBLIC_TEMPLATES) {
        this.publicTemplates.push({
          source,
          template: {
            id,
            name,
            image,
            args: "",
            disk: 20,
            mounts: {},
            ports: serverless ? [] : ["8888/http", "22/tcp"],
            env: {},
            registry: null,
            serverless,
            public: true,
            category,
            startSsh: !serverless,
            startJupyter: !serverless,
            allowedCudaVersions: [],
          },
        });
      }
    }
  }

  /** The current clock time in ms. */
  now(): number {
    return this.clock.now();
  }

  /** A template the caller may read: their own or a public one. */
  readableTemplate(id: string): TemplateRecord | undefined {
    return this.templates.get(id) ??
      this.publicTemplates.find((entry) => entry.template.id === id)?.template;
  }
}
