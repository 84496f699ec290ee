// `runpod endpoints ...`: list, show, create, update (with --wait-ready),
// delete, and read the workers, releases and logs of serverless endpoints.
import type {
  CreateEndpointRequest,
  ServerlessEndpoint,
  UpdateEndpointRequest,
  Worker,
} from "../rest.ts";
import { type Options, parseDuration, pick } from "./_args.ts";
import {
  baseBody,
  type Body,
  choiceOf,
  CONTAINER_FLAGS,
  containerFields,
  FIELD_OPTIONS,
  type FlagsOf,
  intOf,
  listOf,
  merge,
  needContainerAndCompute,
  put,
  sendBody,
} from "./_body.ts";
import {
  callOf,
  type Command,
  command,
  type Context,
  EXECUTION_TIMEOUT_OPTION,
  INTERVAL_OPTION,
} from "./_context.ts";
import { EXIT, UsageError } from "./_exit.ts";
import { LOG_OPTIONS, logOptions, printLogs } from "./_logs.ts";
import { cell, formatDuration, formatObject } from "./_output.ts";
import { waitReady } from "./_rollout.ts";

/** The options that shape an endpoint, for create and update. */
const SHAPE_OPTIONS = {
  ...pick(FIELD_OPTIONS, "body", "name", "image", "template", "env", "disk", "ports"),
  ...pick(FIELD_OPTIONS, "gpu", "gpu-count", "cpu", "vcpu"),
  "workers-min": { type: "string", value: "N", help: "workers kept running (0: scale to zero)" },
  "workers-max": { type: "string", value: "N", help: "the most workers at once" },
  "idle-timeout": {
    type: "string",
    value: "DURATION",
    help: "how long an idle worker stays up (1s to 1h)",
  },
  "queue-delay": {
    type: "string",
    value: "DURATION",
    help: "scale up when a job waited this long (scaling QUEUE_DELAY; the default, 4s)",
  },
  "request-count": {
    type: "string",
    value: "N",
    help: "scale up by queued requests per worker (scaling REQUEST_COUNT)",
  },
  ...EXECUTION_TIMEOUT_OPTION,
  flashboot: { type: "string", value: "MODE", help: "OFF, FLASHBOOT or PRIORITY_FLASHBOOT" },
  ...pick(FIELD_OPTIONS, "data-center"),
  "network-volume": {
    type: "string",
    value: "IDS",
    help: "network volume ids to attach, comma-separated",
  },
} as const satisfies Options;

/** The option that gives each field of an endpoint's body. */
const ENDPOINT_FLAGS: FlagsOf = {
  ...CONTAINER_FLAGS,
  gpu: "--gpu",
  "gpu.pools": "--gpu",
  "gpu.count": "--gpu-count",
  cpu: "--cpu",
  "cpu.id": "--cpu",
  "cpu.vcpuCount": "--vcpu",
  "workers.min": "--workers-min",
  "workers.max": "--workers-max",
  "workers.idleTimeout": "--idle-timeout",
  "scaling.queueDelay": "--queue-delay",
  "scaling.requestCount": "--request-count",
  timeout: "--execution-timeout",
  flashboot: "--flashboot",
  dataCenterIds: "--data-center",
  networkVolumes: "--network-volume",
  type: "--type",
};

/** The fields the options give, over --body. */
async function endpointBody(ctx: Context<typeof SHAPE_OPTIONS>): Promise<Body> {
  const body = await baseBody(ctx);
  containerFields(ctx, body);
  put(body, "templateId", ctx.values.template);
  const pools = listOf(ctx, "gpu");
  merge(body, "gpu", { pools, count: intOf(ctx, "gpu-count") });
  if (ctx.values.cpu !== undefined) {
    const vcpu = intOf(ctx, "vcpu");
    if (vcpu === undefined) throw new UsageError("--cpu needs --vcpu N", ctx.command.name);
    body.cpu = [{ id: ctx.values.cpu, vcpuCount: vcpu }];
  }
  const idle = ctx.values["idle-timeout"];
  merge(body, "workers", {
    min: intOf(ctx, "workers-min"),
    max: intOf(ctx, "workers-max"),
    idleTimeout: idle === undefined
      ? undefined
      : Math.round(parseDuration(idle, "--idle-timeout") / 1000),
  });
  const delay = ctx.values["queue-delay"];
  const count = intOf(ctx, "request-count");
  if (delay !== undefined && count !== undefined) {
    throw new UsageError("--queue-delay and --request-count do not go together", ctx.command.name);
  }
  if (delay !== undefined) {
    body.scaling = {
      type: "QUEUE_DELAY",
      queueDelay: parseDuration(delay, "--queue-delay") / 1000,
    };
  }
  if (count !== undefined) body.scaling = { type: "REQUEST_COUNT", requestCount: count };
  const execution = ctx.values["execution-timeout"];
  if (execution !== undefined) body.timeout = parseDuration(execution, "--execution-timeout");
  put(body, "flashboot", choiceOf(ctx, "flashboot", ["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"]));
  put(body, "dataCenterIds", listOf(ctx, "data-center"));
  put(body, "networkVolumes", listOf(ctx, "network-volume"));
  return body;
}

function compute(endpoint: ServerlessEndpoint): string {
  if (endpoint.gpu) return `${endpoint.gpu.count ?? 1}x ${(endpoint.gpu.pools ?? []).join("|")}`;
  if (endpoint.cpu?.length) {
    return endpoint.cpu.map((c) => `${c.id} ${c.vcpuCount} vCPU`).join(", ");
  }
  return "-";
}

const ls = command({
  name: "endpoints ls",
  args: "",
  arity: [0, 0],
  summary: "list your serverless endpoints",
  options: {},
  examples: ["runpod endpoints ls", "runpod endpoints ls --json | jq -r '.[].id'"],
  async run(ctx) {
    const { runpod } = await ctx.client();
    const endpoints = await runpod.endpoints.list(callOf(ctx));
    if (ctx.printer.json) ctx.printer.printJson(endpoints);
    else {
      ctx.printer.table(
        ["ID", "NAME", "TYPE", "COMPUTE", "WORKERS", "IMAGE"],
        endpoints.map((e) => [
          e.id,
          e.name,
          e.type ?? "-",
          compute(e),
          `${e.workers.min}-${e.workers.max}`,
          e.image ?? "-",
        ]),
      );
    }
    return EXIT.ok;
  },
});

const get = command({
  name: "endpoints get",
  args: "ID",
  arity: [1, 1],
  summary: "show an endpoint",
  options: {},
  examples: ["runpod endpoints get ENDPOINT", "runpod endpoints get ENDPOINT --json | jq .workers"],
  async run(ctx) {
    const { runpod } = await ctx.client();
    const endpoint = await runpod.endpoints.get(ctx.args[0]!, callOf(ctx));
    if (ctx.printer.json) ctx.printer.printJson(endpoint);
    else ctx.printer.data(formatObject(endpoint));
    return EXIT.ok;
  },
});

const create = command({
  name: "endpoints create",
  args: "",
  arity: [0, 0],
  summary: "create a serverless endpoint; prints its id",
  options: {
    ...SHAPE_OPTIONS,
    type: { type: "string", value: "TYPE", help: "QUEUE (the default) or LOAD_BALANCER" },
  },
  examples: [
    "runpod endpoints create --name sdxl --image repo/worker:1.0 --gpu ADA_24 --workers-max 3",
    "runpod endpoints create --name llm --template TEMPLATE --gpu AMPERE_80 --workers-min 1",
    "runpod endpoints create --body @endpoint.json --name from-file",
  ],
  details: `Needs --name, and --image or --template, and --gpu POOLS or --cpu ID --vcpu N. Defaults:
--type QUEUE and scaling by --queue-delay 4s. Any other field goes in --body JSON
(RunPod's create body); the options are laid over it. A create is not resent after
an error that leaves its outcome unknown: check 'runpod endpoints ls' first.`,
  async run(ctx) {
    const body = await endpointBody(ctx);
    put(body, "type", choiceOf(ctx, "type", ["QUEUE", "LOAD_BALANCER"]));
    body.type ??= "QUEUE";
    body.scaling ??= { type: "QUEUE_DELAY", queueDelay: 4 };
    if (body.name === undefined) {
      throw new UsageError("An endpoint needs a name: --name NAME", ctx.command.name);
    }
    needContainerAndCompute(ctx, body, "An endpoint");
    const { runpod } = await ctx.client();
    const endpoint = await sendBody(
      ctx,
      ENDPOINT_FLAGS,
      () => runpod.endpoints.create(body as CreateEndpointRequest, callOf(ctx)),
    );
    if (ctx.printer.json) ctx.printer.printJson(endpoint);
    else ctx.printer.data(endpoint.id);
    ctx.printer.note(`Created endpoint ${endpoint.id} (${endpoint.name})`);
    return EXIT.ok;
  },
});

const update = command({
  name: "endpoints update",
  args: "ID",
  arity: [1, 1],
  summary: "change an endpoint (a new image rolls out a release); --wait-ready follows it",
  options: {
    ...SHAPE_OPTIONS,
    "wait-ready": {
      type: "boolean",
      help: "follow the new release until its workers run (exit 7 if they turn unhealthy)",
    },
    ...INTERVAL_OPTION,
  },
  examples: [
    "runpod endpoints update ENDPOINT --image repo/worker:1.3 --wait-ready --timeout 15m",
    "runpod endpoints update ENDPOINT --workers-max 10 --workers-min 1",
    "runpod endpoints update ENDPOINT --env MODEL=llama-3 --env QUANT=awq",
  ],
  details: `Only the fields given change; --env replaces the whole environment. A change of
image, env, disk, ports or registry makes a new release: --wait-ready then follows
it (every --interval, 2s) until every worker runs it and none is unhealthy, and at
least workers.min are up. Exit 0 when ready, 7 when workers of the new release stay
unhealthy (a crash loop: read their logs), 5 when --timeout runs out.`,
  async run(ctx) {
    const id = ctx.args[0]!;
    const patch = await endpointBody(ctx);
    if (Object.keys(patch).length === 0 && !ctx.values["wait-ready"]) {
      throw new UsageError(
        "Nothing to change: give what to change, e.g. --image repo/worker:1.3 or --workers-max 5",
        ctx.command.name,
      );
    }
    const { runpod } = await ctx.client();
    const endpoint = Object.keys(patch).length > 0
      ? await sendBody(
        ctx,
        ENDPOINT_FLAGS,
        () => runpod.endpoints.update(id, patch as UpdateEndpointRequest, callOf(ctx)),
      )
      : await runpod.endpoints.get(id, callOf(ctx));
    if (ctx.printer.json) ctx.printer.printJson(endpoint);
    else ctx.printer.data(formatObject(endpoint));
    ctx.printer.note(`Updated endpoint ${endpoint.id}`);
    if (!ctx.values["wait-ready"]) return EXIT.ok;
    return await waitReady(ctx, runpod, endpoint.id, endpoint.workers.min ?? 0);
  },
});

const rm = command({
  name: "endpoints rm",
  args: "ID",
  arity: [1, 1],
  summary: "delete an endpoint (its queued and running jobs end)",
  options: {},
  examples: ["runpod endpoints rm ENDPOINT"],
  async run(ctx) {
    const id = ctx.args[0]!;
    const { runpod } = await ctx.client();
    await runpod.endpoints.delete(id, callOf(ctx));
    if (ctx.printer.json) ctx.printer.printJson({ id, deleted: true });
    else ctx.printer.data(id);
    ctx.printer.note(`Deleted endpoint ${id}`);
    return EXIT.ok;
  },
});

/** Worker rows for a table. */
export function workerRows(workers: Worker[]): string[][] {
  return workers.map((w) => [
    w.id,
    w.status,
    w.version === undefined || w.version === null
      ? "-"
      : `v${w.version}${w.isStale ? " (stale)" : ""}`,
    w.gpuTypeId ? `${w.gpuCount}x ${w.gpuTypeId}` : "-",
    w.dataCenterId ?? "-",
    typeof w.uptimeSeconds === "number" ? formatDuration(w.uptimeSeconds * 1000) : "-",
  ]);
}

const workers = command({
  name: "endpoints workers",
  args: "ID",
  arity: [1, 1],
  summary: "an endpoint's workers: status, release, GPU (tells a crash loop from a shortage)",
  options: {},
  examples: ["runpod endpoints workers ENDPOINT", "runpod endpoints workers ENDPOINT --json"],
  details: `UNHEALTHY workers are a crash loop (read their logs: runpod endpoints logs ENDPOINT
WORKER); THROTTLED ones wait for a free GPU of their type.`,
  async run(ctx) {
    const { runpod } = await ctx.client();
    const answer = await runpod.endpoints.workers(ctx.args[0]!, callOf(ctx));
    if (ctx.printer.json) {
      ctx.printer.printJson(answer);
      return EXIT.ok;
    }
    const s = answer.summary as unknown as Record<string, unknown>;
    ctx.printer.table(
      ["WORKER", "STATUS", "RELEASE", "GPU", "DATA CENTER", "UPTIME"],
      workerRows(answer.workers),
    );
    ctx.printer.data(
      `\n${Object.entries(s).map(([k, v]) => `${cell(v)} ${k}`).join(", ")}; endpoint release v${
        answer.endpointVersion ?? "?"
      }`,
    );
    return EXIT.ok;
  },
});

const releases = command({
  name: "endpoints releases",
  args: "ID",
  arity: [1, 1],
  summary: "an endpoint's releases, newest first, and the rollout of the latest",
  options: {},
  examples: ["runpod endpoints releases ENDPOINT"],
  async run(ctx) {
    const { runpod } = await ctx.client();
    const answer = await runpod.endpoints.releases(ctx.args[0]!, callOf(ctx));
    if (ctx.printer.json) {
      ctx.printer.printJson(answer);
      return EXIT.ok;
    }
    ctx.printer.table(
      ["RELEASE", "CREATED", "SOURCE", "WORKERS", "CHANGES"],
      answer.releases.map((r) => [
        `v${r.version ?? "?"}`,
        r.createdAt,
        r.source,
        String(r.workerCount),
        r.diff.map((d) => `${d.field}: ${cell(d.old)} -> ${cell(d.new)}`).join("; ") || "-",
      ]),
    );
    const r = answer.rollout;
    ctx.printer.data(
      `\nrollout: ${
        r.inProgress ? "in progress" : "done"
      }, ${r.workersOnLatest}/${r.workersTotal} workers on the latest (${r.percentOnLatest}%)`,
    );
    return EXIT.ok;
  },
});

const logs = command({
  name: "endpoints logs",
  args: "ID [WORKER]",
  arity: [1, 2],
  summary: "a worker's log lines (every current worker's without WORKER); -f follows",
  options: LOG_OPTIONS,
  examples: [
    "runpod endpoints logs ENDPOINT -f",
    "runpod endpoints logs ENDPOINT WORKER --tail 500 --source container",
    "runpod endpoints logs ENDPOINT --since 30m --json",
  ],
  details: `Prints 'TIME SOURCE [WORKER] LINE' (one JSON line each with --json). Without -f it
ends once the past lines have arrived; with -f it follows until Ctrl-C (exit 0) and
resumes after a dropped connection without repeating or losing a line.`,
  async run(ctx) {
    const [id, worker] = ctx.args as [string, string | undefined];
    const options = logOptions(ctx);
    const { runpod } = await ctx.client();
    let ids: string[];
    if (worker !== undefined) ids = [worker];
    else {
      const answer = await runpod.endpoints.workers(id, callOf(ctx));
      ids = answer.workers.map((w) => w.id);
      if (ids.length === 0) {
        ctx.printer.note(
          `Endpoint ${id} has no workers now, so no logs to read ('runpod endpoints workers ${id}')`,
        );
        return EXIT.ok;
      }
    }
    return await printLogs(
      ctx,
      ids.map((w) => ({
        ...(worker === undefined ? { label: w } : {}),
        lines: runpod.endpoints.logs(id, w, options),
      })),
    );
  },
});

/** The `endpoints` commands. */
export const ENDPOINT_COMMANDS: Command[] = [ls, get, create, update, rm, workers, releases, logs];
