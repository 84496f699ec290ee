import type { RestContext, RestHandlers } from "./_api.ts";
import { listAnswer } from "./_collection.ts";
import { withTemplate } from "./_endpoints.ts";
import type { LogLine } from "./_logs.ts";
import { noContent, notFound, ok, problem } from "./_problem.ts";
import type { ClusterRecord, PodPhase, PodRecord, RestState } from "./_state.ts";
import { iso } from "./_time.ts";

type Body = Record<string, unknown>;

/** How long (ms, on the clock) a new pod is PROVISIONING, then STARTING. */
const PROVISIONING = 2_000;
const STARTING = 3_000;

const ACTIONS: Record<PodPhase["status"], string[]> = {
  RUNNING: ["stop", "restart", "terminate"],
  EXITED: ["start", "terminate"],
  ERROR: ["start", "terminate"],
  PROVISIONING: ["stop", "terminate"],
  STARTING: ["stop", "terminate"],
  TERMINATED: [],
};

/** The pod's status now (phases dated later have not happened yet). */
function statusOf(pod: PodRecord, now: number): PodPhase["status"] {
  let status: PodPhase["status"] = "PROVISIONING";
  for (const phase of pod.phases) if (phase.at <= now) status = phase.status;
  return status;
}

/** Drops the phases that have not happened yet, then schedules `next`. */
function transition(pod: PodRecord, now: number, next: PodPhase[]): void {
  pod.phases = pod.phases.filter((phase) => phase.at <= now).concat(next);
}

function podLog(pod: PodRecord): LogLine[] {
  const lines: LogLine[] = [];
  for (const phase of pod.phases) {
    lines.push({ at: phase.at, source: "system", line: `Pod ${pod.id} is ${phase.status}` });
    if (phase.status === "RUNNING") {
      lines.push({ at: phase.at, source: "container", line: `Container started: ${pod.image}` });
    }
    if (phase.status === "EXITED") {
      lines.push({ at: phase.at, source: "container", line: "Container stopped" });
    }
  }
  return lines;
}

/** The pod routes and the cluster routes. */
export function podHandlers(state: RestState): Pick<
  RestHandlers,
  | "listPods"
  | "createPod"
  | "getPod"
  | "updatePod"
  | "deletePod"
  | "podAction"
  | "getPodLogs"
  | "listClusters"
  | "createCluster"
  | "getCluster"
  | "updateCluster"
  | "deleteCluster"
  | "listClusterPods"
> {
  const view = (pod: PodRecord): Record<string, unknown> => {
    const now = state.now();
    const status = statusOf(pod, now);
    const lastRun = [...pod.phases].reverse().find((p) => p.at <= now && p.status === "RUNNING");
    const running = status === "RUNNING" && lastRun !== undefined;
    const gpuType = pod.gpu && state.gpus.find((g) => g.id === pod.gpu?.id);
    const cpuType = pod.cpu && state.cpus.find((c) => c.id === pod.cpu?.id);
    const cost = gpuType && pod.gpu
      ? gpuType.price[pod.cloud === "SECURE" ? "secure" : "community"] * pod.gpu.count
      : cpuType && pod.cpu
      ? cpuType.price.securePerVcpu * pod.cpu.vcpuCount
      : 0;
    const sshUser = `${pod.id}-${pod.id.slice(0, 8)}`;
    const answer: Record<string, unknown> = {
      id: pod.id,
      name: pod.name,
      status,
      actions: [...ACTIONS[status]],
      image: pod.image,
      args: pod.args,
      disk: pod.disk,
      mounts: structuredClone(pod.mounts),
      ports: [...pod.ports],
      env: { ...pod.env },
      registry: pod.registry,
      cloud: pod.cloud,
      dataCenterId: pod.dataCenterId,
      cudaVersion: pod.gpu ? "12.8" : null,
      ssh: {
        proxy: running && pod.startSsh
          ? {
            host: "ssh.runpod.io",
            port: 22,
            username: sshUser,
            command: `ssh ${sshUser}@ssh.runpod.io`,
          }
          : null,
        direct: null,
      },
      template: pod.template,
      cost: Math.round(cost * 1000) / 1000,
      locked: pod.locked,
      globalNetworking: { enabled: pod.globalNetworking },
      runtime: running
        ? {
          uptime: Math.floor((now - lastRun.at) / 1000),
          gpus: Array.from({ length: pod.gpu?.count ?? 0 }, () => ({ util: 0, memoryUtil: 0 })),
          cpu: { util: 0 },
          memory: { util: 0 },
          ports: [],
        }
        : null,
      createdAt: iso(pod.createdAt),
      startedAt: lastRun && status !== "EXITED" ? iso(lastRun.at) : null,
    };
    if (pod.gpu) answer.gpu = { ...pod.gpu };
    if (pod.cpu) answer.cpu = { ...pod.cpu };
    if (pod.cluster) answer.cluster = { ...pod.cluster };
    return answer;
  };

  const findPod = (context: RestContext): PodRecord | Response => {
    const id = context.params.id ?? "";
    return state.pods.get(id) ?? notFound("Pod", id);
  };

  const newPod = (
    init: Omit<PodRecord, "id" | "createdAt" | "phases">,
  ): PodRecord => {
    const now = state.now();
    const pod: PodRecord = {
      ...init,
      id: state.pods.newId("", 14),
      createdAt: now,
      phases: [
        { at: now, status: "PROVISIONING" },
        { at: now + PROVISIONING, status: "STARTING" },
        { at: now + PROVISIONING + STARTING, status: "RUNNING" },
      ],
    };
    return state.pods.set(pod);
  };

  const clusterView = (cluster: ClusterRecord) => {
    const byStatus: Record<string, number> = {};
    const now = state.now();
    for (const id of cluster.podIds) {
      const pod = state.pods.get(id);
      if (pod) {
        const status = statusOf(pod, now);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      }
    }
    const primary = cluster.podIds[0] === undefined ? undefined : state.pods.get(cluster.podIds[0]);
    return {
      id: cluster.id,
      name: cluster.name,
      type: cluster.type,
      compute: { ...cluster.compute },
      dataCenterId: cluster.dataCenterId,
      pods: { total: cluster.podIds.length, byStatus },
      network: { cidr: "10.65.0.0/16" },
      ...(primary ? { primary: { podId: primary.id, status: statusOf(primary, now) } } : {}),
      createdAt: iso(cluster.createdAt),
    };
  };

  const inCluster = (pod: PodRecord) =>
    pod.cluster
      ? problem(
        409,
        `Pod '${pod.id}' belongs to cluster '${pod.cluster.id}': manage it through /clusters/${pod.cluster.id}`,
      )
      : undefined;

  return {
    listPods: ({ url }) => {
      const includeCluster = url.searchParams.get("includeClusterPods") === "true";
      const pods = state.pods.all().filter((pod) => includeCluster || !pod.cluster);
      const answer = listAnswer(url, "pods", pods, (p) => state.pods.seqOf(p.id) ?? 0);
      if (answer instanceof Response) return answer;
      answer.pods = (answer.pods as PodRecord[]).map(view);
      return ok(answer);
    },

    createPod: ({ body }) => {
      if ((body.gpu === undefined) === (body.cpu === undefined)) {
        return problem(400, "Give exactly one of gpu or cpu to choose the pod's compute");
      }
      const gpu = body.gpu as { id: string; count?: number } | undefined;
      if (gpu && state.gpus.length > 0) {
        const type = state.gpus.find((g) => g.id === gpu.id);
        if (!type) return problem(400, `Unknown GPU type '${gpu.id}'`);
        const cloud = body.cloud === "COMMUNITY" ? "community" : "secure";
        if ((gpu.count ?? 1) > type.maxCount[cloud]) {
          return problem(400, `At most ${type.maxCount[cloud]} ${gpu.id} per pod in this cloud`);
        }
      }
      const cpu = body.cpu as { id: string; vcpuCount: number } | undefined;
      const cpuType = cpu && state.cpus.find((c) => c.id === cpu.id);
      if (cpu && state.cpus.length > 0 && !cpuType) {
        return problem(400, `Unknown CPU type '${cpu.id}'`);
      }
      const mounts = (body.mounts as { network?: { volumeId: string }[] } | undefined) ?? {};
      const volume = mounts.network?.find((m) => !state.volumes.get(m.volumeId));
      if (volume) return notFound("Network volume", volume.volumeId);
      const container = withTemplate(state, body);
      if (container instanceof Response) return container;
      if (typeof container.registry === "string" && !state.registries.get(container.registry)) {
        return notFound("Registry credential", container.registry);
      }
      const template = typeof body.templateId === "string" ? body.templateId : null;
      const dataCenterIds = body.dataCenterIds as string[] | undefined;
      const pod = newPod({
        name: body.name as string,
        image: container.image ?? "",
        args: container.args ?? "",
        disk: container.disk ?? 20,
        mounts: structuredClone(mounts) as Body,
        ports: container.ports ?? [],
        env: container.env ?? {},
        registry: container.registry ?? null,
        cloud: (body.cloud as PodRecord["cloud"] | undefined) ?? "SECURE",
        dataCenterId: dataCenterIds?.[0] ?? state.dataCenters[0]?.id ?? null,
        ...(gpu ? { gpu: { id: gpu.id, count: gpu.count ?? 1 } } : {}),
        ...(cpu
          ? {
            cpu: { ...cpu, memory: cpu.vcpuCount * (cpuType?.ramGbPerVcpu ?? 2) },
          }
          : {}),
        template,
        locked: false,
        globalNetworking: (body.globalNetworking as boolean | undefined) ?? false,
        startSsh: (body.startSsh as boolean | undefined) ?? false,
      });
      return ok(view(pod), 201);
    },

    getPod: (context) => {
      const pod = findPod(context);
      return pod instanceof Response ? pod : ok(view(pod));
    },

    updatePod: (context) => {
      const pod = findPod(context);
      if (pod instanceof Response) return pod;
      const conflict = inCluster(pod);
      if (conflict) return conflict;
      const { body } = context;
      const container = withTemplate(state, body);
      if (container instanceof Response) return container;
      if (typeof container.registry === "string" && !state.registries.get(container.registry)) {
        return notFound("Registry credential", container.registry);
      }
      Object.assign(pod, structuredClone(container));
      if (typeof body.templateId === "string") pod.template = body.templateId;
      if (typeof body.name === "string") pod.name = body.name;
      if (typeof body.locked === "boolean") pod.locked = body.locked;
      if (typeof body.globalNetworking === "boolean") pod.globalNetworking = body.globalNetworking;
      if (body.mounts !== undefined) pod.mounts = structuredClone(body.mounts) as Body;
      return ok(view(pod));
    },

    deletePod: (context) => {
      const pod = findPod(context);
      if (pod instanceof Response) return pod;
      const conflict = inCluster(pod);
      if (conflict) return conflict;
      state.pods.delete(pod.id);
      return noContent();
    },

    podAction: (context) => {
      const pod = findPod(context);
      if (pod instanceof Response) return pod;
      const conflict = inCluster(pod);
      if (conflict) return conflict;
      const action = context.body.action as string;
      const now = state.now();
      const status = statusOf(pod, now);
      if (!ACTIONS[status].includes(action)) {
        return problem(
          409,
          `Cannot ${action} a pod that is ${status}: allowed actions are ${
            ACTIONS[status].join(", ")
          }`,
        );
      }
      if (action === "terminate") {
        state.pods.delete(pod.id);
        return noContent();
      }
      if (action === "stop") transition(pod, now, [{ at: now, status: "EXITED" }]);
      else {
        transition(pod, now, [
          { at: now, status: "STARTING" },
          { at: now + STARTING, status: "RUNNING" },
        ]);
      }
      return ok(view(pod));
    },

    getPodLogs: (context) => {
      const pod = findPod(context);
      if (pod instanceof Response) return pod;
      return state.logs.respond(context.request, context.url, () => {
        const current = state.pods.get(pod.id);
        return current && podLog(current);
      }, context.signal);
    },

    listClusters: ({ url }) => {
      const answer = listAnswer(
        url,
        "clusters",
        state.clusters.all(),
        (c) => state.clusters.seqOf(c.id) ?? 0,
      );
      if (answer instanceof Response) return answer;
      answer.clusters = (answer.clusters as ClusterRecord[]).map(clusterView);
      return ok(answer);
    },

    createCluster: ({ body }) => {
      const compute = body.compute as ClusterRecord["compute"];
      if (state.gpus.length > 0) {
        const type = state.gpus.find((g) => g.id === compute.gpuTypeId);
        if (!type) return problem(400, `Unknown GPU type '${compute.gpuTypeId}'`);
        if (compute.gpuCountPerPod > type.maxCount.secure) {
          return problem(400, `At most ${type.maxCount.secure} ${type.id} per pod`);
        }
      }
      const dataCenterIds = body.dataCenterIds as string[] | undefined;
      const id = state.clusters.newId("", 12);
      const type = body.type as ClusterRecord["type"];
      const role = (rank: number) =>
        type === "SLURM"
          ? (rank === 0 ? "SLURM_CONTROLLER" : "SLURM_COMPUTE")
          : type === "RAY"
          ? (rank === 0 ? "RAY_HEAD" : "RAY_WORKER")
          : undefined;
      const cluster: ClusterRecord = {
        id,
        name: body.name as string,
        type,
        compute: { ...compute },
        dataCenterId: dataCenterIds?.[0] ?? state.dataCenters[0]?.id ?? "US-TX-3",
        createdAt: state.now(),
        podIds: [],
      };
      for (let rank = 0; rank < compute.podCount; rank++) {
        const memberRole = role(rank);
        const pod = newPod({
          name: `${cluster.name}-${rank}`,
          image: (body.image as string | undefined) ?? "runpod/base:0.7.0-ubuntu2404",
          args: (body.args as string | undefined) ?? "",
          disk: (body.disk as number | undefined) ?? 20,
          mounts: structuredClone(body.mounts ?? {}) as Body,
          ports: (body.ports as string[] | undefined) ?? [],
          env: (body.env as Record<string, string> | undefined) ?? {},
          registry: null,
          cloud: "SECURE",
          dataCenterId: cluster.dataCenterId,
          gpu: { id: compute.gpuTypeId, count: compute.gpuCountPerPod },
          template: null,
          locked: false,
          globalNetworking: false,
          startSsh: (body.startSsh as boolean | undefined) ?? false,
          cluster: { id, rank, ...(memberRole ? { role: memberRole } : {}) },
        });
        cluster.podIds.push(pod.id);
      }
      state.clusters.set(cluster);
      return ok(clusterView(cluster), 201);
    },

    getCluster: ({ params }) => {
      const cluster = state.clusters.get(params.id ?? "");
      return cluster ? ok(clusterView(cluster)) : notFound("Cluster", params.id ?? "");
    },

    updateCluster: ({ params, body }) => {
      const cluster = state.clusters.get(params.id ?? "");
      if (!cluster) return notFound("Cluster", params.id ?? "");
      cluster.name = body.name as string;
      return ok(clusterView(cluster));
    },

    deleteCluster: ({ params }) => {
      const cluster = state.clusters.get(params.id ?? "");
      if (!cluster) return notFound("Cluster", params.id ?? "");
      for (const id of cluster.podIds) state.pods.delete(id);
      state.clusters.delete(cluster.id);
      return noContent();
    },

    listClusterPods: ({ params, url }) => {
      const cluster = state.clusters.get(params.id ?? "");
      if (!cluster) return notFound("Cluster", params.id ?? "");
      const pods = cluster.podIds.flatMap((id) => state.pods.get(id) ?? []);
      const answer = listAnswer(url, "pods", pods, (p) => state.pods.seqOf(p.id) ?? 0);
      if (answer instanceof Response) return answer;
      answer.pods = (answer.pods as PodRecord[]).map(view);
      return ok(answer);
    },
  };
}
