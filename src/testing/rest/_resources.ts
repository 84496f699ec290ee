import type { RestContext, RestHandlers } from "./_api.ts";
import { listAnswer, randomId } from "./_collection.ts";
import { noContent, notFound, ok, problem } from "./_problem.ts";
import type { RestState, TemplateRecord, VolumeRecord } from "./_state.ts";

type Body = Record<string, unknown>;

type ResourceHandlers = Pick<
  RestHandlers,
  | "listTemplates"
  | "createTemplate"
  | "getTemplate"
  | "updateTemplate"
  | "deleteTemplate"
  | "listNetworkVolumes"
  | "createNetworkVolume"
  | "getNetworkVolume"
  | "updateNetworkVolume"
  | "deleteNetworkVolume"
  | "listRegistries"
  | "createRegistry"
  | "getRegistry"
  | "deleteRegistry"
  | "listDelegations"
  | "createDelegation"
  | "revokeDelegation"
  | "getSshKeys"
  | "updateSshKeys"
>;

const copyTemplate = (t: TemplateRecord): TemplateRecord => ({
  ...t,
  mounts: structuredClone(t.mounts),
  ports: [...t.ports],
  env: { ...t.env },
  allowedCudaVersions: [...t.allowedCudaVersions],
});

/** Templates, network volumes, registry credentials, ECR delegations and SSH keys. */
export function resourceHandlers(state: RestState): ResourceHandlers {
  const list = <T extends { id: string }>(
    context: RestContext,
    key: string,
    items: T[],
    seqOf: (item: T) => number | undefined,
    view: (item: T) => unknown,
  ) => {
    const answer = listAnswer(context.url, key, items, (item) => seqOf(item) ?? 0);
    if (answer instanceof Response) return answer;
    answer[key] = (answer[key] as T[]).map(view);
    return ok(answer);
  };
  const volumeView = (v: VolumeRecord) => ({
    id: v.id,
    name: v.name,
    size: v.size,
    dataCenter: v.dataCenter,
    type: v.type,
  });
  return {
    listTemplates: (context) =>
      list(
        context,
        "templates",
        state.templates.all(),
        (t) => state.templates.seqOf(t.id),
        copyTemplate,
      ),

    createTemplate: ({ body }) => {
      const registry = body.registry as string | null | undefined;
      if (typeof registry === "string" && !state.registries.get(registry)) {
        return notFound("Registry credential", registry);
      }
      const template: TemplateRecord = {
        id: state.templates.newId("", 10),
        name: body.name as string,
        image: body.image as string,
        args: (body.args as string | undefined) ?? "",
        disk: (body.disk as number | undefined) ?? 20,
        mounts: (body.mounts as Body | undefined) ?? {},
        ports: (body.ports as string[] | undefined) ?? [],
        env: (body.env as Record<string, string> | undefined) ?? {},
        registry: registry ?? null,
        serverless: (body.serverless as boolean | undefined) ?? false,
        public: (body.public as boolean | undefined) ?? false,
        category: (body.category as TemplateRecord["category"] | undefined) ?? "NVIDIA",
        startSsh: (body.startSsh as boolean | undefined) ?? true,
        startJupyter: (body.startJupyter as boolean | undefined) ?? true,
        allowedCudaVersions: (body.allowedCudaVersions as string[] | undefined) ?? [],
      };
      state.templates.set(template);
      return ok(copyTemplate(template), 201);
    },

    getTemplate: ({ params }) => {
      const template = state.readableTemplate(params.id ?? "");
      return template ? ok(copyTemplate(template)) : notFound("Template", params.id ?? "");
    },

    updateTemplate: ({ params, body }) => {
      const template = state.templates.get(params.id ?? "");
      if (!template) return notFound("Template", params.id ?? "");
      const registry = body.registry;
      if (typeof registry === "string" && !state.registries.get(registry)) {
        return notFound("Registry credential", registry);
      }
      // A shallow PATCH: each field given replaces the old value whole (env included).
      Object.assign(template, structuredClone(body));
      return ok(copyTemplate(template));
    },

    deleteTemplate: ({ params }) => {
      const id = params.id ?? "";
      if (!state.templates.get(id)) return notFound("Template", id);
      const pod = state.pods.all().find((p) => p.template === id);
      if (pod) return problem(400, `Template '${id}' is in use by pod '${pod.id}'`);
      state.templates.delete(id);
      return noContent();
    },

    listNetworkVolumes: (context) =>
      list(
        context,
        "networkVolumes",
        state.volumes.all(),
        (v) => state.volumes.seqOf(v.id),
        volumeView,
      ),

    createNetworkVolume: ({ body }) => {
      const dataCenter = body.dataCenter as string;
      const type = (body.type as VolumeRecord["type"] | undefined) ?? "STANDARD";
      if (state.dataCenters.length > 0) {
        const dc = state.dataCenters.find((d) => d.id === dataCenter);
        if (!dc) return problem(400, `Unknown data center '${dataCenter}'`);
        if (!dc.networkVolumeTypes.includes(type)) {
          return problem(400, `Data center '${dataCenter}' has no ${type} network volumes`);
        }
      }
      const volume: VolumeRecord = {
        id: state.volumes.newId("", 10),
        name: body.name as string,
        size: body.size as number,
        dataCenter,
        type,
        createdAt: state.now(),
      };
      state.volumes.set(volume);
      return ok(volumeView(volume), 201);
    },

    getNetworkVolume: ({ params }) => {
      const volume = state.volumes.get(params.id ?? "");
      return volume ? ok(volumeView(volume)) : notFound("Network volume", params.id ?? "");
    },

    updateNetworkVolume: ({ params, body }) => {
      const volume = state.volumes.get(params.id ?? "");
      if (!volume) return notFound("Network volume", params.id ?? "");
      if (typeof body.size === "number" && body.size < volume.size) {
        return problem(
          400,
          `A network volume can only grow: size ${body.size} is below its ${volume.size} GB`,
        );
      }
      if (typeof body.name === "string") volume.name = body.name;
      if (typeof body.size === "number") volume.size = body.size;
      return ok(volumeView(volume));
    },

    deleteNetworkVolume: ({ params }) => {
      const id = params.id ?? "";
      if (!state.volumes.delete(id)) return notFound("Network volume", id);
      return noContent();
    },

    listRegistries: (context) =>
      list(
        context,
        "registries",
        state.registries.all(),
        (r) => state.registries.seqOf(r.id),
        (r) => ({ id: r.id, name: r.name }),
      ),

    createRegistry: ({ body }) => {
      const registry = {
        id: state.registries.newId("", 10),
        name: body.name as string,
        username: body.username as string,
        password: body.password as string,
      };
      state.registries.set(registry);
      return ok({ id: registry.id, name: registry.name }, 201);
    },

    getRegistry: ({ params }) => {
      const registry = state.registries.get(params.id ?? "");
      return registry
        ? ok({ id: registry.id, name: registry.name })
        : notFound("Registry credential", params.id ?? "");
    },

    deleteRegistry: ({ params }) => {
      const id = params.id ?? "";
      if (!state.registries.get(id)) return notFound("Registry credential", id);
      const pod = state.pods.all().find((p) => p.registry === id);
      if (pod) return problem(400, `Registry credential '${id}' is in use by pod '${pod.id}'`);
      state.registries.delete(id);
      // Templates lose the reference instead of blocking the delete.
      for (const template of state.templates.all()) {
        if (template.registry === id) template.registry = null;
      }
      return noContent();
    },

    listDelegations: (context) =>
      list(
        context,
        "delegations",
        state.delegations.all(),
        (d) => state.delegations.seqOf(d.id),
        (d) => ({ ...d }),
      ),

    createDelegation: ({ body }) => {
      // RunPod's OpenAPI document: the resource is an ECR repository's ARN, such as
      // arn:aws:ecr:us-east-2:123456789012:repository/team/model (no tag: "latest").
      const resource = body.resource as string;
      const match = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/([a-z0-9][a-z0-9._\/-]*)$/
        .exec(resource);
      if (!match) {
        return problem(
          400,
          `resource '${resource}' is not an ECR repository ARN such as arn:aws:ecr:us-east-1:123456789012:repository/team/model`,
        );
      }
      const [, region, account, repository] = match;
      const delegation = {
        id: state.delegations.newId("deleg_", 8),
        name: (body.name as string | null | undefined) ?? null,
        delegatorUserId: state.userId,
        awsUser: `arn:aws:iam::${account}:user/runpod-${randomId(6)}`,
        repository: repository ?? "",
        tag: "latest",
        awsRegion: region ?? "",
        dockerRegistryUri: `${account}.dkr.ecr.${region}.amazonaws.com`,
        createdAt: new Date(state.now()).toISOString(),
      };
      state.delegations.set(delegation);
      return ok({ ...delegation }, 201);
    },

    revokeDelegation: ({ params }) => {
      const id = params.id ?? "";
      if (!state.delegations.delete(id)) return notFound("Delegation", id);
      return noContent();
    },

    getSshKeys: () => ok({ keys: [...state.sshKeys] }),

    updateSshKeys: ({ body }) => {
      state.sshKeys = [...(body.keys as string[])];
      return ok({ keys: [...state.sshKeys] });
    },
  };
}
