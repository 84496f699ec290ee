import { REST_ENDPOINT_DEFAULTS } from "../../_runpod_facts.ts";
import type { RestContext, RestHandlers } from "./_api.ts";
import { listAnswer, randomId } from "./_collection.ts";
import type { LogLine } from "./_logs.ts";
import { noContent, notFound, ok, problem } from "./_problem.ts";
import type { Container, EndpointRecord, RestState } from "./_state.ts";
import { iso } from "./_time.ts";

type Body = Record<string, unknown>;

const CONTAINER_FIELDS = ["image", "args", "disk", "env", "ports", "registry"] as const;

/**
 * The container settings of a create (or of an update naming a template):
 * the template's, then the body's on top (body fields win; `env` merges per
 * key). A template is applied once: the endpoint keeps no link to it.
 */
export function withTemplate(
  state: RestState,
  body: Body,
  options: { serverless?: boolean } = {},
): Container | Response {
  const own: Container = {};
  for (const field of CONTAINER_FIELDS) {
    if (body[field] !== undefined) (own as Record<string, unknown>)[field] = body[field];
  }
  const templateId = body.templateId;
  if (typeof templateId !== "string" || templateId === "") return own;
  const template = state.readableTemplate(templateId);
  if (!template) return notFound("Template", templateId);
  if (options.serverless !== undefined && template.serverless !== options.serverless) {
    return problem(
      400,
      `Template '${templateId}' is ${
        template.serverless ? "a serverless" : "a pod"
      } template: use one with serverless: ${options.serverless}`,
    );
  }
  return {
    image: own.image ?? template.image,
    args: own.args ?? template.args,
    disk: own.disk ?? template.disk,
    env: { ...template.env, ...own.env },
    ports: own.ports ?? template.ports,
    registry: own.registry !== undefined ? own.registry : template.registry,
  };
}

/** Checks the references of a compute selection against the catalog; a 400 answer when one is unknown. */
function checkCompute(state: RestState, body: Body): Response | undefined {
  const gpu = body.gpu as { pools?: string[] } | undefined;
  if (gpu?.pools && state.gpus.length > 0) {
    const known = new Set(state.gpus.map((type) => type.pool));
    const unknown = gpu.pools.filter((pool) => !known.has(pool));
    if (unknown.length > 0) {
      return problem(400, `Unknown GPU pool ${unknown.map((p) => `'${p}'`).join(", ")}`);
    }
  }
  const cpu = body.cpu as { id: string; vcpuCount: number }[] | undefined;
  if (cpu && state.cpus.length > 0) {
    for (const flavor of cpu) {
      const type = state.cpus.find((c) => c.id === flavor.id);
      if (!type) return problem(400, `Unknown CPU type '${flavor.id}'`);
      if (flavor.vcpuCount > type.vcpu.max) {
        return problem(400, `CPU type '${flavor.id}' has at most ${type.vcpu.max} vCPUs`);
      }
    }
  }
  const dataCenterIds = body.dataCenterIds as string[] | undefined;
  if (dataCenterIds && state.dataCenters.length > 0) {
    const unknown = dataCenterIds.find((id) => !state.dataCenters.some((dc) => dc.id === id));
    if (unknown !== undefined) return problem(400, `Unknown data center '${unknown}'`);
  }
  const volumes = body.networkVolumes as string[] | undefined;
  const missing = volumes?.find((id) => !state.volumes.get(id));
  if (missing !== undefined) return notFound("Network volume", missing);
  const cuda = (body.gpu ?? {}) as { allowedCudaVersions?: string[]; minCudaVersion?: string };
  if ((cuda.allowedCudaVersions?.length ?? 0) > 0 && cuda.minCudaVersion) {
    return problem(400, "gpu.allowedCudaVersions and gpu.minCudaVersion cannot both be set");
  }
  return undefined;
}

function cpuWithMemory(state: RestState, cpu: { id: string; vcpuCount: number }[]) {
  return cpu.map((flavor) => ({
    id: flavor.id,
    vcpuCount: flavor.vcpuCount,
    memory: flavor.vcpuCount * (state.cpus.find((c) => c.id === flavor.id)?.ramGbPerVcpu ?? 2),
  }));
}

/** An endpoint as the API shows it. */
export function endpointView(record: EndpointRecord, origin: string): Record<string, unknown> {
  const base = `${origin}/v2/${record.id}`;
  // RunPod's https://ID.api.runpod.ai; served on a port, the emulator's /lb/ID.
  const lb = origin === "https://api.runpod.ai"
    ? `https://${record.id}.api.runpod.ai`
    : `${origin}/lb/${record.id}`;
  const requestUrls = record.type === "QUEUE"
    ? {
      run: `${base}/run`,
      runSync: `${base}/runsync`,
      status: `${base}/status/{job_id}`,
      stream: `${base}/stream/{job_id}`,
      cancel: `${base}/cancel/{job_id}`,
      retry: `${base}/retry/{job_id}`,
      purgeQueue: `${base}/purge-queue`,
      health: `${base}/health`,
    }
    : { base: lb, health: `${lb}/ping` };
  const view: Record<string, unknown> = {
    id: record.id,
    name: record.name,
    type: record.type,
    createdAt: iso(record.createdAt),
    args: record.args,
    env: { ...record.env },
    ports: [...record.ports],
    registry: record.registry,
    requestUrls,
    gpu: record.gpu && { ...record.gpu },
    workers: { ...record.workers },
    scaling: { ...record.scaling },
    dataCenterIds: [...record.dataCenterIds],
    networkVolumes: [...record.networkVolumes],
    timeout: record.timeout,
    flashboot: record.flashboot,
  };
  if (record.image !== undefined) view.image = record.image;
  if (record.disk !== undefined) view.disk = record.disk;
  if (record.cpu) view.cpu = record.cpu.map((flavor) => ({ ...flavor }));
  return view;
}

/** A worker of an endpoint as `/serverless/{id}/workers` shows it. */
interface WorkerView {
  id: string;
  status: "RUNNING" | "IDLE";
  startedAt: number;
}

/**
 * The active workers of an endpoint, from its jobs: a worker that runs a job
 * is RUNNING; one that finished a job less than `idleTimeout` seconds ago, or
 * one of the `workers.min` always-on workers, is IDLE; the others are scaled
 * down and not shown.
 */
export function activeWorkers(state: RestState, record: EndpointRecord): WorkerView[] {
  const now = state.now();
  const idle = record.workers.idleTimeout * 1000;
  const jobs = state.link.jobs(record.id);
  const workers: WorkerView[] = [];
  const slots = Math.max(record.workers.max, record.workers.min);
  for (let slot = 1; slot <= slots; slot++) {
    const id = `worker-${slot}`;
    const runs = jobs
      .filter((job) => job.workerId === id && job.startedAt !== undefined)
      .sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
    const running = runs.some((job) => job.status === "IN_PROGRESS");
    const lastEnd = Math.max(...runs.map((job) => job.completedAt ?? Number.NEGATIVE_INFINITY));
    const warm = slot <= record.workers.min;
    if (!running && !warm && !(now < lastEnd + idle)) continue;
    // The worker came up when its current stretch of activity began.
    let startedAt = warm ? record.warmSince : now;
    let previousEnd = Number.NEGATIVE_INFINITY;
    for (const job of runs) {
      const start = job.startedAt ?? now;
      if (!warm && start > previousEnd + idle) startedAt = start;
      previousEnd = job.completedAt ?? Number.POSITIVE_INFINITY;
    }
    workers.push({ id, status: running ? "RUNNING" : "IDLE", startedAt });
  }
  return workers;
}

/** The log lines of one worker of an endpoint, from the jobs it ran. */
function workerLog(state: RestState, endpointId: string, workerId: string): LogLine[] | undefined {
  if (!state.endpoints.get(endpointId)) return undefined;
  const lines: LogLine[] = [];
  for (const job of state.link.jobs(endpointId)) {
    if (job.workerId !== workerId || job.startedAt === undefined) continue;
    lines.push({ at: job.startedAt, source: "system", line: `${workerId}: took job ${job.id}` });
    lines.push({ at: job.startedAt, source: "container", line: `Job ${job.id} started` });
    if (job.completedAt !== undefined) {
      lines.push({
        at: job.completedAt,
        source: "container",
        line: `Job ${job.id} ended ${job.status} after ${job.completedAt - job.startedAt} ms`,
      });
    }
  }
  return lines;
}

function releaseOf(
  state: RestState,
  version: number,
  diff: EndpointRecord["releases"][number]["diff"],
) {
  return {
    id: `rel_${randomId(10)}`,
    version,
    source: "MANUAL" as const,
    buildId: null,
    createdByUserId: state.userId,
    createdAt: state.now(),
    diff,
  };
}

function liveSettings(record: EndpointRecord) {
  return { id: record.id, timeout: record.timeout, workers: { max: record.workers.max } };
}

/** Adds the endpoints the job API serves from the start, so that the management API shows them too. */
export function seedEndpoints(state: RestState): void {
  for (const live of state.link.initial()) {
    const now = state.now();
    state.endpoints.set({
      id: live.id,
      name: live.id,
      type: live.type ?? "QUEUE",
      createdAt: now,
      image: "runpod/emulator-worker:latest",
      args: "",
      env: {},
      ports: [],
      registry: null,
      gpu: {
        pools: state.gpus.length > 0 ? [state.gpus[0]?.pool ?? "ADA_24"] : ["ADA_24"],
        count: 1,
        allowedCudaVersions: [],
        minCudaVersion: null,
      },
      workers: {
        min: live.workers?.min ?? REST_ENDPOINT_DEFAULTS.workers.min,
        max: live.workers?.max ?? REST_ENDPOINT_DEFAULTS.workers.max,
        idleTimeout: live.workers?.idleTimeout ?? REST_ENDPOINT_DEFAULTS.workers.idleTimeout,
      },
      scaling: live.type === "LOAD_BALANCER"
        ? { type: "REQUEST_COUNT", requestCount: live.requestCount }
        : { type: "QUEUE_DELAY", queueDelay: 4 },
      dataCenterIds: state.dataCenters.map((dc) => dc.id),
      networkVolumes: [],
      timeout: live.timeout ?? REST_ENDPOINT_DEFAULTS.timeout,
      flashboot: REST_ENDPOINT_DEFAULTS.flashboot,
      version: 1,
      releases: [releaseOf(state, 1, [])],
      warmSince: now,
    });
  }
}

type EndpointHandlers = Pick<
  RestHandlers,
  | "listEndpoints"
  | "createEndpoint"
  | "getEndpoint"
  | "updateEndpoint"
  | "deleteEndpoint"
  | "listEndpointWorkers"
  | "listEndpointReleases"
  | "getWorkerLogs"
>;

/** The serverless endpoint routes. */
export function endpointHandlers(state: RestState): EndpointHandlers {
  const find = (context: RestContext): EndpointRecord | Response => {
    const id = context.params.id ?? "";
    return state.endpoints.get(id) ?? notFound("Endpoint", id);
  };
  return {
    listEndpoints: ({ url, origin }) => {
      const answer = listAnswer(
        url,
        "endpoints",
        state.endpoints.all(),
        (record) => state.endpoints.seqOf(record.id) ?? 0,
      );
      if (answer instanceof Response) return answer;
      answer.endpoints = (answer.endpoints as EndpointRecord[]).map((r) => endpointView(r, origin));
      return ok(answer);
    },

    createEndpoint: ({ body, origin }) => {
      const hasGpu = body.gpu !== undefined;
      const hasCpu = body.cpu !== undefined;
      if (hasGpu === hasCpu) {
        return problem(400, "Give exactly one of gpu or cpu to choose the endpoint's compute");
      }
      const invalid = checkCompute(state, body);
      if (invalid) return invalid;
      const container = withTemplate(state, body, { serverless: true });
      if (container instanceof Response) return container;
      const type = body.type as EndpointRecord["type"];
      const scaling = body.scaling as Body | undefined;
      if (type === "LOAD_BALANCER" && scaling?.type !== "REQUEST_COUNT") {
        return problem(400, "A LOAD_BALANCER endpoint scales by REQUEST_COUNT");
      }
      const workers = {
        ...REST_ENDPOINT_DEFAULTS.workers,
        ...(body.workers as Partial<EndpointRecord["workers"]> | undefined),
      };
      if (workers.min > workers.max) {
        return problem(
          400,
          `workers.min (${workers.min}) cannot exceed workers.max (${workers.max})`,
        );
      }
      const now = state.now();
      const gpu = body.gpu as Body | undefined;
      const record: EndpointRecord = {
        id: state.endpoints.newId("", 14),
        name: body.name as string,
        type,
        createdAt: now,
        args: container.args ?? "",
        env: container.env ?? {},
        ports: container.ports ?? [],
        registry: container.registry ?? null,
        gpu: gpu
          ? {
            pools: gpu.pools as string[],
            ...(gpu.excludedTypes ? { excludedTypes: gpu.excludedTypes as string[] } : {}),
            count: (gpu.count as number | undefined) ?? 1,
            allowedCudaVersions: (gpu.allowedCudaVersions as string[] | undefined) ?? [],
            minCudaVersion: (gpu.minCudaVersion as string | undefined) ?? null,
          }
          : null,
        workers,
        scaling: body.scaling as Body,
        dataCenterIds: (body.dataCenterIds as string[] | undefined) ??
          state.dataCenters.map((dc) => dc.id),
        networkVolumes: (body.networkVolumes as string[] | undefined) ?? [],
        timeout: (body.timeout as number | undefined) ?? REST_ENDPOINT_DEFAULTS.timeout,
        flashboot: (body.flashboot as string | undefined) ?? REST_ENDPOINT_DEFAULTS.flashboot,
        version: 1,
        releases: [],
        warmSince: now,
      };
      if (container.image !== undefined) record.image = container.image;
      if (container.disk !== undefined) record.disk = container.disk;
      if (hasCpu) {
        record.cpu = cpuWithMemory(state, body.cpu as { id: string; vcpuCount: number }[]);
      }
      record.releases.push(releaseOf(state, 1, []));
      state.endpoints.set(record);
      if (record.type === "QUEUE") state.link.add(liveSettings(record));
      else state.link.setLoadBalancer(record);
      return ok(endpointView(record, origin), 201);
    },

    getEndpoint: (context) => {
      const record = find(context);
      return record instanceof Response ? record : ok(endpointView(record, context.origin));
    },

    updateEndpoint: (context) => {
      const record = find(context);
      if (record instanceof Response) return record;
      const { body } = context;
      if (body.gpu !== undefined && body.cpu !== undefined) {
        return problem(400, "Give gpu or cpu, not both");
      }
      if (body.gpu !== undefined && !record.gpu) {
        return problem(400, "This is a CPU endpoint: its compute family cannot change to GPU");
      }
      if (body.cpu !== undefined && !record.cpu) {
        return problem(400, "This is a GPU endpoint: its compute family cannot change to CPU");
      }
      const invalid = checkCompute(state, body);
      if (invalid) return invalid;
      const scaling = body.scaling as Body | undefined;
      if (record.type === "LOAD_BALANCER" && scaling && scaling.type !== "REQUEST_COUNT") {
        return problem(400, "A LOAD_BALANCER endpoint scales by REQUEST_COUNT");
      }
      const container = withTemplate(state, body, { serverless: true });
      if (container instanceof Response) return container;
      const workers = { ...record.workers, ...(body.workers as Body | undefined) };
      if (workers.min > workers.max) {
        return problem(
          400,
          `workers.min (${workers.min}) cannot exceed workers.max (${workers.max})`,
        );
      }
      // Every check passed: apply.
      const diff: EndpointRecord["releases"][number]["diff"] = [];
      for (const field of CONTAINER_FIELDS) {
        const next = container[field];
        if (next === undefined) continue;
        const old = record[field];
        if (JSON.stringify(old) === JSON.stringify(next)) continue;
        diff.push({ field, old: old ?? null, new: next });
        (record as unknown as Record<string, unknown>)[field] = next;
      }
      if (typeof body.name === "string") record.name = body.name;
      if (body.gpu !== undefined && record.gpu) {
        const gpu = body.gpu as Body;
        const next = { ...record.gpu, ...gpu } as NonNullable<EndpointRecord["gpu"]>;
        if (gpu.minCudaVersion === "") next.minCudaVersion = null;
        record.gpu = next;
      }
      if (body.cpu !== undefined) {
        record.cpu = cpuWithMemory(state, body.cpu as { id: string; vcpuCount: number }[]);
      }
      if (workers.min !== record.workers.min) record.warmSince = state.now();
      record.workers = workers;
      if (scaling) record.scaling = scaling;
      if (body.dataCenterIds) record.dataCenterIds = body.dataCenterIds as string[];
      if (body.networkVolumes) record.networkVolumes = body.networkVolumes as string[];
      if (typeof body.timeout === "number") record.timeout = body.timeout;
      if (typeof body.flashboot === "string") record.flashboot = body.flashboot;
      if (diff.length > 0) {
        record.version++;
        record.releases.push(releaseOf(state, record.version, diff));
      }
      if (record.type === "QUEUE") state.link.update(liveSettings(record));
      else state.link.setLoadBalancer(record);
      return ok(endpointView(record, context.origin));
    },

    deleteEndpoint: (context) => {
      const record = find(context);
      if (record instanceof Response) return record;
      state.endpoints.delete(record.id);
      if (record.type === "QUEUE") state.link.remove(record.id);
      else state.link.removeLoadBalancer(record.id);
      return noContent();
    },

    listEndpointWorkers: (context) => {
      const record = find(context);
      if (record instanceof Response) return record;
      const now = state.now();
      const gpuType = record.gpu
        ? state.gpus.find((type) => record.gpu?.pools.includes(type.pool))?.id ?? null
        : null;
      const workers = activeWorkers(state, record).map((worker) => ({
        id: worker.id,
        status: worker.status,
        isStale: false,
        version: record.version,
        gpuCount: record.gpu?.count ?? 0,
        image: record.image ?? null,
        uptimeSeconds: Math.max(0, Math.floor((now - worker.startedAt) / 1000)),
        gpuTypeId: gpuType,
        dataCenterId: record.dataCenterIds[0] ?? null,
        startedAt: iso(worker.startedAt),
      }));
      const running = workers.filter((worker) => worker.status === "RUNNING").length;
      return ok({
        workers,
        summary: {
          running,
          idle: workers.length - running,
          initializing: 0,
          throttled: 0,
          unhealthy: 0,
          total: workers.length,
        },
        endpointVersion: record.version,
      });
    },

    listEndpointReleases: (context) => {
      const record = find(context);
      if (record instanceof Response) return record;
      const total = activeWorkers(state, record).length;
      return ok({
        endpointVersion: record.version,
        rollout: {
          inProgress: false,
          workersOnLatest: total,
          workersTotal: total,
          percentOnLatest: 100,
        },
        releases: [...record.releases].reverse().map((release) => ({
          ...release,
          createdAt: iso(release.createdAt),
          workerCount: release.version === record.version ? total : 0,
          diff: release.diff.map((entry) => ({ ...entry })),
        })),
      });
    },

    getWorkerLogs: (context) => {
      const record = find(context);
      if (record instanceof Response) return record;
      const workerId = context.params.workerId ?? "";
      const known = activeWorkers(state, record).some((worker) => worker.id === workerId) ||
        state.link.jobs(record.id).some((job) => job.workerId === workerId);
      if (!known) return notFound("Worker", workerId);
      return state.logs.respond(
        context.request,
        context.url,
        () => workerLog(state, record.id, workerId),
        context.signal,
      );
    },
  };
}
