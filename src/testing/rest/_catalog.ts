import type { RestContext, RestHandlers } from "./_api.ts";
import { listAnswer } from "./_collection.ts";
import { notFound, ok, problem } from "./_problem.ts";
import type { SeedCpu, SeedDataCenter, SeedGpu } from "./_seed.ts";
import type { RestState } from "./_state.ts";
import { iso } from "./_time.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Storage prices of the emulator's billing, per GB and month (30 days). */
const STORAGE = { STANDARD: 0.07, HIGH_PERFORMANCE: 0.14 } as const;
/** The most buckets one billing query may span. */
const MAX_BUCKETS = 1000;

/** Reads a comma-separated query list, checking each value against `allowed`. */
function listParam(
  url: URL,
  name: string,
  allowed: readonly string[] | RegExp | undefined,
  errors: string[],
): string[] | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const values = raw.split(",").filter((v) => v !== "");
  for (const value of values) {
    const fine = allowed === undefined ||
      (allowed instanceof RegExp ? allowed.test(value) : allowed.includes(value));
    if (!fine) errors.push(`query.${name}: '${value}' is not accepted`);
  }
  return values;
}

function intParam(url: URL, name: string, min: number, errors: string[]): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    errors.push(`query.${name}: expected an integer of at least ${min}, received '${raw}'`);
    return undefined;
  }
  return Number(raw);
}

const invalid = (errors: string[]) => problem(422, "Request validation failed.", { errors });

/** The catalog routes and the billing routes. */
export function catalogHandlers(state: RestState): Pick<
  RestHandlers,
  | "listGpuTypes"
  | "getGpuType"
  | "listCpuTypes"
  | "getCpuType"
  | "listDataCenters"
  | "getDataCenter"
  | "listPublicTemplates"
  | "listBilling"
  | "listPodBilling"
  | "listServerlessBilling"
  | "listEndpointBilling"
  | "listNetworkVolumeBilling"
  | "listClusterBilling"
> {
  const dcName = (id: string) => state.dataCenters.find((dc) => dc.id === id)?.name ?? id;
  const level = (count: number) => (count >= 3 ? "HIGH" : count === 2 ? "MEDIUM" : "LOW");

  /** The GPU query: filters and whether to include availability; a 422/400 answer when invalid. */
  const gpuQuery = (url: URL) => {
    const errors: string[] = [];
    const include = listParam(url, "include", ["AVAILABILITY"], errors);
    const product = listParam(url, "product", ["POD", "CLUSTER", "SERVERLESS"], errors);
    const count = intParam(url, "count", 1, errors) ?? 1;
    const cloud = url.searchParams.get("cloud");
    if (cloud !== null && cloud !== "SECURE" && cloud !== "COMMUNITY") {
      errors.push(`query.cloud: '${cloud}' is not accepted`);
    }
    const countries = listParam(url, "countryCodes", /^[A-Z]{2}$/, errors);
    const cuda = listParam(url, "cudaVersions", /^\d+\.\d+$/, errors);
    const minCuda = url.searchParams.get("minCudaVersion");
    if (minCuda !== null && !/^\d+(\.\d+)?$/.test(minCuda)) {
      errors.push(`query.minCudaVersion: '${minCuda}' is not accepted`);
    }
    if (errors.length > 0) return invalid(errors);
    const withAvailability = include?.includes("AVAILABILITY") ?? false;
    if (withAvailability && !product?.length) {
      return problem(400, "include=AVAILABILITY needs product (POD, CLUSTER or SERVERLESS)");
    }
    const dcs = (gpu: SeedGpu) =>
      gpu.dataCenters.filter((id) => {
        const dc = state.dataCenters.find((d) => d.id === id);
        return !countries || (dc !== undefined && countries.includes(dc.country));
      });
    const version = (v: string) =>
      v.split(".").reduce((n, part, i) => n + Number(part) / 100 ** i, 0);
    const keep = (gpu: SeedGpu) =>
      (cloud === null || gpu.maxCount[cloud === "SECURE" ? "secure" : "community"] > 0) &&
      Math.max(gpu.maxCount.secure, gpu.maxCount.community) >= count &&
      dcs(gpu).length > 0 &&
      (!cuda || cuda.some((v) => gpu.cuda.includes(v))) &&
      (minCuda === null || gpu.cuda.some((v) => version(v) >= version(minCuda))) &&
      (!product?.includes("SERVERLESS") || gpu.price.serverless > 0);
    const view = (gpu: SeedGpu) => {
      const answer: Record<string, unknown> = {
        id: gpu.id,
        name: gpu.name,
        pool: gpu.pool,
        manufacturer: gpu.manufacturer,
        memory: gpu.memory,
        secure: gpu.maxCount.secure > 0,
        community: gpu.maxCount.community > 0,
        price: { ...gpu.price },
        maxCount: { ...gpu.maxCount },
      };
      if (withAvailability) {
        const places = dcs(gpu);
        answer.availability = level(places.length);
        answer.dataCenters = places.map((id) => ({ id, name: dcName(id), availability: "HIGH" }));
        answer.cudaVersions = ["12.1", "12.4", "12.6", "12.8"].map((v) => ({
          version: v,
          available: gpu.cuda.includes(v),
        }));
      }
      return answer;
    };
    return { keep, view };
  };

  const cpuQuery = (url: URL) => {
    const errors: string[] = [];
    const include = listParam(url, "include", ["AVAILABILITY"], errors);
    const product = listParam(url, "product", ["POD", "SERVERLESS"], errors);
    const vcpuCount = intParam(url, "vcpuCount", 2, errors);
    if (errors.length > 0) return invalid(errors);
    const withAvailability = include?.includes("AVAILABILITY") ?? false;
    if (withAvailability && !product?.length) {
      return problem(400, "include=AVAILABILITY needs product (POD or SERVERLESS)");
    }
    const keep = (cpu: SeedCpu) => vcpuCount === undefined || cpu.vcpu.max >= vcpuCount;
    const view = (cpu: SeedCpu) => ({
      id: cpu.id,
      name: cpu.name,
      group: cpu.group,
      vcpu: { ...cpu.vcpu },
      ramGbPerVcpu: cpu.ramGbPerVcpu,
      price: { ...cpu.price },
      ...(withAvailability
        ? {
          availability: level(cpu.dataCenters.length),
          dataCenters: cpu.dataCenters.map((id) => ({
            id,
            name: dcName(id),
            availability: "HIGH",
          })),
        }
        : {}),
    });
    return { keep, view };
  };

  const dcView = (dc: SeedDataCenter, include: string[] | undefined) => ({
    id: dc.id,
    name: dc.name,
    region: dc.region,
    globalNetwork: dc.globalNetwork,
    networkVolumeTypes: [...dc.networkVolumeTypes],
    compliance: [...dc.compliance],
    ...(include?.includes("GPU_AVAILABILITY")
      ? {
        gpuAvailability: state.gpus.filter((g) => g.dataCenters.includes(dc.id))
          .map((g) => ({ id: g.id, name: g.name, availability: "HIGH" })),
      }
      : {}),
    ...(include?.includes("CPU_AVAILABILITY")
      ? {
        cpuAvailability: state.cpus.filter((c) => c.dataCenters.includes(dc.id))
          .map((c) => ({ id: c.id, name: c.name, availability: "HIGH" })),
      }
      : {}),
  });

  const seq = <T>(items: readonly T[]) => (item: T) => items.indexOf(item);

  return {
    listGpuTypes: ({ url }) => {
      const query = gpuQuery(url);
      if (query instanceof Response) return query;
      const gpus = state.gpus.filter(query.keep);
      const answer = listAnswer(url, "gpus", gpus, seq(state.gpus));
      if (answer instanceof Response) return answer;
      answer.gpus = (answer.gpus as SeedGpu[]).map(query.view);
      return ok(answer);
    },
    getGpuType: ({ url, params }) => {
      const query = gpuQuery(url);
      if (query instanceof Response) return query;
      const gpu = state.gpus.find((g) => g.id === params.id);
      return gpu ? ok(query.view(gpu)) : notFound("GPU type", params.id ?? "");
    },
    listCpuTypes: ({ url }) => {
      const query = cpuQuery(url);
      if (query instanceof Response) return query;
      const cpus = state.cpus.filter(query.keep);
      const answer = listAnswer(url, "cpus", cpus, seq(state.cpus));
      if (answer instanceof Response) return answer;
      answer.cpus = (answer.cpus as SeedCpu[]).map(query.view);
      return ok(answer);
    },
    getCpuType: ({ url, params }) => {
      const query = cpuQuery(url);
      if (query instanceof Response) return query;
      const cpu = state.cpus.find((c) => c.id === params.id);
      return cpu ? ok(query.view(cpu)) : notFound("CPU type", params.id ?? "");
    },
    listDataCenters: ({ url }) => {
      const errors: string[] = [];
      const include = listParam(url, "include", ["GPU_AVAILABILITY", "CPU_AVAILABILITY"], errors);
      const regions = listParam(url, "regions", undefined, errors);
      const types = listParam(url, "networkVolumeTypes", ["STANDARD", "HIGH_PERFORMANCE"], errors);
      const compliance = listParam(url, "compliance", undefined, errors);
      const global = url.searchParams.get("globalNetwork");
      if (global !== null && global !== "true" && global !== "false") {
        errors.push(`query.globalNetwork: expected true or false, received '${global}'`);
      }
      if (errors.length > 0) return invalid(errors);
      const dcs = state.dataCenters.filter((dc) =>
        (!regions || regions.includes(dc.region)) &&
        (!types || types.some((t) => (dc.networkVolumeTypes as string[]).includes(t))) &&
        (!compliance || compliance.every((c) => dc.compliance.includes(c))) &&
        (global === null || dc.globalNetwork === (global === "true"))
      );
      const answer = listAnswer(url, "dataCenters", dcs, seq(state.dataCenters));
      if (answer instanceof Response) return answer;
      answer.dataCenters = (answer.dataCenters as SeedDataCenter[]).map((dc) =>
        dcView(dc, include)
      );
      return ok(answer);
    },
    getDataCenter: ({ url, params }) => {
      const errors: string[] = [];
      const include = listParam(url, "include", ["GPU_AVAILABILITY", "CPU_AVAILABILITY"], errors);
      if (errors.length > 0) return invalid(errors);
      const dc = state.dataCenters.find((d) => d.id === params.id);
      return dc ? ok(dcView(dc, include)) : notFound("Data center", params.id ?? "");
    },
    listPublicTemplates: ({ url }) => {
      const source = url.searchParams.get("source") ?? "official";
      if (!["official", "verified", "community"].includes(source)) {
        return invalid([`query.source: '${source}' is not accepted`]);
      }
      const templates = state.publicTemplates.filter((entry) => entry.source === source)
        .map((entry) => entry.template);
      const all = state.publicTemplates.map((entry) => entry.template);
      const answer = listAnswer(url, "templates", templates, seq(all));
      if (answer instanceof Response) return answer;
      answer.templates = (answer.templates as typeof templates).map((t) => ({
        ...structuredClone(t),
        registry: null,
      }));
      return ok(answer);
    },
    listBilling: (context) => billing(context, state, "all"),
    listPodBilling: (context) => billing(context, state, "pods"),
    listServerlessBilling: (context) => billing(context, state, "serverless"),
    listEndpointBilling: (context) => billing(context, state, "endpoints"),
    listNetworkVolumeBilling: (context) => billing(context, state, "network-volumes"),
    listClusterBilling: (context) => billing(context, state, "clusters"),
  };
}

type BucketSize = "hour" | "day" | "week" | "month" | "year";

/** The start of the bucket holding `ms`, and the start of the next one (UTC). */
function bucketOf(ms: number, size: BucketSize): [number, number] {
  const d = new Date(ms);
  const y = d.getUTCFullYear(), m = d.getUTCMonth();
  switch (size) {
    case "hour":
      return [Math.floor(ms / HOUR) * HOUR, Math.floor(ms / HOUR) * HOUR + HOUR];
    case "day":
      return [Math.floor(ms / DAY) * DAY, Math.floor(ms / DAY) * DAY + DAY];
    case "week": {
      const day = Math.floor(ms / DAY) * DAY;
      const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
      return [monday, monday + 7 * DAY];
    }
    case "month":
      return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
    case "year":
      return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)];
  }
}

/** Milliseconds of [from, to) inside [start, end). */
function overlap(from: number, to: number, start: number, end: number): number {
  return Math.max(0, Math.min(to, end) - Math.max(from, start));
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Billing from what the emulator ran: pods by their RUNNING time, serverless
 * endpoints by their jobs' execution time, network volumes by size and age,
 * clusters by their pods. Prices are the seeded catalog's.
 */
function billing(
  { url }: RestContext,
  state: RestState,
  kind: "all" | "pods" | "serverless" | "endpoints" | "network-volumes" | "clusters",
): Response {
  const errors: string[] = [];
  const time = (name: string) => {
    const raw = url.searchParams.get(name);
    if (raw === null) return undefined;
    const ms = /^\d{4}-\d\d-\d\dT/.test(raw) ? Date.parse(raw) : Number.NaN;
    if (!Number.isFinite(ms)) errors.push(`query.${name}: expected an RFC 3339 timestamp`);
    return ms;
  };
  const start = time("startTime");
  const end = time("endTime");
  const size = (url.searchParams.get("bucketSize") ?? "day") as BucketSize;
  if (!["hour", "day", "week", "month", "year"].includes(size)) {
    errors.push(`query.bucketSize: '${size}' is not accepted`);
  }
  const lastN = intParam(url, "lastN", 1, errors);
  if (errors.length > 0) return invalid(errors);
  const now = state.now();
  let from: number, to: number;
  if (start !== undefined || end !== undefined) {
    to = end ?? now;
    from = start ?? bucketOf(to - 1, size)[0];
    if (from >= to) return problem(400, "startTime must be before endTime");
  } else {
    to = bucketOf(now, size)[1];
    from = to;
    for (let i = 0; i < (lastN ?? 7); i++) from = bucketOf(from - 1, size)[0];
  }
  const buckets: [number, number][] = [];
  for (let at = from; at < to;) {
    const [, next] = bucketOf(at, size);
    buckets.push([at, Math.min(next, to)]);
    at = next;
    if (buckets.length > MAX_BUCKETS) {
      return problem(400, `The range spans more than ${MAX_BUCKETS} ${size} buckets`);
    }
  }

  const podCost = (podId: string, [s, e]: [number, number]) => {
    const pod = state.pods.get(podId);
    if (!pod) return { gpu: 0, cpu: 0, disk: 0 };
    let running = 0;
    pod.phases.forEach((phase, i) => {
      if (phase.status !== "RUNNING") return;
      running += overlap(phase.at, Math.min(pod.phases[i + 1]?.at ?? now, now), s, e);
    });
    const hours = running / HOUR;
    const gpu = pod.gpu ? (state.gpus.find((g) => g.id === pod.gpu?.id)?.price.secure ?? 0) : 0;
    const cpu = pod.cpu
      ? (state.cpus.find((c) => c.id === pod.cpu?.id)?.price.securePerVcpu ?? 0)
      : 0;
    return {
      gpu: gpu * (pod.gpu?.count ?? 0) * hours,
      cpu: cpu * (pod.cpu?.vcpuCount ?? 0) * hours,
      disk: (pod.disk * STORAGE.STANDARD / (30 * 24)) * overlap(pod.createdAt, now, s, e) / HOUR,
    };
  };
  const serverlessCost = (id: string, [s, e]: [number, number]) => {
    const record = state.endpoints.get(id);
    if (!record) return { gpu: 0, cpu: 0 };
    let ms = 0;
    for (const job of state.link.jobs(id)) {
      if (job.startedAt === undefined) continue;
      ms += overlap(job.startedAt, job.completedAt ?? now, s, e);
    }
    const gpu = record.gpu
      ? (state.gpus.find((g) => record.gpu?.pools.includes(g.pool))?.price.serverless ?? 0) *
        record.gpu.count
      : 0;
    const cpu = (record.cpu ?? []).reduce(
      (sum, f) =>
        sum +
        (state.cpus.find((c) => c.id === f.id)?.price.serverlessPerVcpu ?? 0) * f.vcpuCount,
      0,
    );
    return { gpu: gpu * ms / HOUR, cpu: cpu * ms / HOUR };
  };
  const volumeCost = (id: string, [s, e]: [number, number]) => {
    const volume = state.volumes.get(id);
    if (!volume) return 0;
    return volume.size * STORAGE[volume.type] * overlap(volume.createdAt, now, s, e) / (30 * DAY);
  };
  const range = (b: [number, number]) => ({ startTime: iso(b[0]), endTime: iso(b[1]) });
  const query: Record<string, unknown> = {
    startTime: iso(from),
    endTime: iso(to),
    bucketSize: size,
  };

  if (kind === "all" || kind === "endpoints") {
    const records = buckets.map((b) => {
      const pods = state.pods.all().filter((p) => !p.cluster).map((p) => podCost(p.id, b));
      const clusterPods = state.pods.all().filter((p) => p.cluster).map((p) => podCost(p.id, b));
      const serverless = state.endpoints.all().map((r) => serverlessCost(r.id, b));
      const volumes = state.volumes.all();
      const amounts = {
        podGpuAmount: round(pods.reduce((t, c) => t + c.gpu, 0)),
        podCpuAmount: round(pods.reduce((t, c) => t + c.cpu, 0)),
        podDiskAmount: round(pods.reduce((t, c) => t + c.disk, 0)),
        serverlessGpuAmount: round(serverless.reduce((t, c) => t + c.gpu, 0)),
        serverlessCpuAmount: round(serverless.reduce((t, c) => t + c.cpu, 0)),
        serverlessDiskAmount: 0,
        serverlessFeeAmount: 0,
        storageStandardAmount: round(
          volumes.filter((v) => v.type === "STANDARD").reduce((t, v) => t + volumeCost(v.id, b), 0),
        ),
        storageHighPerformanceAmount: round(
          volumes.filter((v) => v.type !== "STANDARD").reduce((t, v) => t + volumeCost(v.id, b), 0),
        ),
        endpointAmount: 0,
        clusterGpuAmount: round(clusterPods.reduce((t, c) => t + c.gpu, 0)),
        clusterDiskAmount: round(clusterPods.reduce((t, c) => t + c.disk, 0)),
        clusterNetworkingAmount: 0,
      };
      const totalAmount = round(Object.values(amounts).reduce((t, n) => t + n, 0));
      return { ...range(b), totalAmount, ...amounts };
    });
    if (kind === "endpoints") {
      const endpointRecords = records.map((r) => ({
        startTime: r.startTime,
        endTime: r.endTime,
        totalAmount: r.endpointAmount,
      }));
      return ok({
        records: endpointRecords,
        metadata: { query, recordCount: endpointRecords.length, totals: { totalAmount: 0 } },
      });
    }
    const totals: Record<string, number> = {};
    for (const record of records) {
      for (const [key, value] of Object.entries(record)) {
        if (typeof value === "number") totals[key] = round((totals[key] ?? 0) + value);
      }
    }
    return ok({
      records,
      metadata: { query, recordCount: records.length, totals: totalsOf(totals, ALL_AMOUNTS) },
    });
  }

  const filterName = {
    pods: "podId",
    serverless: "serverlessId",
    "network-volumes": "networkVolumeId",
    clusters: "clusterId",
  }[kind];
  const only = url.searchParams.get(filterName);
  query[filterName] = only;
  const ids = {
    pods: () => state.pods.all().filter((p) => !p.cluster).map((p) => p.id),
    serverless: () => state.endpoints.all().map((r) => r.id),
    "network-volumes": () => state.volumes.all().map((v) => v.id),
    clusters: () => state.clusters.all().map((c) => c.id),
  }[kind]().filter((id) => only === null || id === only);
  const records: Record<string, unknown>[] = [];
  for (const b of buckets) {
    for (const id of ids) {
      let amounts: Record<string, number>;
      if (kind === "pods") {
        const c = podCost(id, b);
        amounts = { gpuAmount: round(c.gpu), cpuAmount: round(c.cpu), diskAmount: round(c.disk) };
      } else if (kind === "serverless") {
        const c = serverlessCost(id, b);
        amounts = { gpuAmount: round(c.gpu), cpuAmount: round(c.cpu), diskAmount: 0, feeAmount: 0 };
      } else if (kind === "network-volumes") {
        const volume = state.volumes.get(id);
        const cost = round(volumeCost(id, b));
        amounts = volume?.type === "STANDARD"
          ? { standardAmount: cost, highPerformanceAmount: 0 }
          : { standardAmount: 0, highPerformanceAmount: cost };
      } else {
        const costs = (state.clusters.get(id)?.podIds ?? []).map((p) => podCost(p, b));
        amounts = {
          gpuAmount: round(costs.reduce((t, c) => t + c.gpu, 0)),
          diskAmount: round(costs.reduce((t, c) => t + c.disk, 0)),
          networkingAmount: 0,
        };
      }
      const totalAmount = round(Object.values(amounts).reduce((t, n) => t + n, 0));
      records.push({ ...range(b), totalAmount, ...amounts, [filterName]: id });
    }
  }
  const amountKeys = {
    pods: ["totalAmount", "gpuAmount", "cpuAmount", "diskAmount"],
    serverless: ["totalAmount", "gpuAmount", "cpuAmount", "diskAmount", "feeAmount"],
    "network-volumes": ["totalAmount", "standardAmount", "highPerformanceAmount"],
    clusters: ["totalAmount", "gpuAmount", "diskAmount", "networkingAmount"],
  }[kind];
  const sums: Record<string, number> = {};
  for (const record of records) {
    for (const key of amountKeys) sums[key] = round((sums[key] ?? 0) + (record[key] as number));
  }
  const unique = {
    pods: "uniquePodCount",
    serverless: "uniqueServerlessCount",
    "network-volumes": "uniqueNetworkVolumeCount",
    clusters: "uniqueClusterCount",
  }[kind];
  return ok({
    records,
    metadata: {
      query,
      recordCount: records.length,
      [unique]: new Set(records.map((r) => r[filterName])).size,
      totals: totalsOf(sums, amountKeys),
    },
  });
}

const ALL_AMOUNTS = [
  "totalAmount",
  "podGpuAmount",
  "podCpuAmount",
  "podDiskAmount",
  "serverlessGpuAmount",
  "serverlessCpuAmount",
  "serverlessDiskAmount",
  "serverlessFeeAmount",
  "storageStandardAmount",
  "storageHighPerformanceAmount",
  "endpointAmount",
  "clusterGpuAmount",
  "clusterDiskAmount",
  "clusterNetworkingAmount",
];

function totalsOf(sums: Record<string, number>, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((key) => [key, sums[key] ?? 0]));
}
