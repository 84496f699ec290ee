// The other management commands: templates, volumes, registries, pods, gpus
// (the catalog with availability) and billing.
import type { BillingOptions, RunpodSdk } from "../mod.ts";
import type {
  CreateNetworkVolumeRequest,
  CreatePodRequest,
  CreateRegistryRequest,
  CreateTemplateRequest,
  Pod,
  Product,
  UpdateNetworkVolumeRequest,
  UpdateTemplateRequest,
} from "../rest.ts";
import {
  baseBody,
  type Body,
  choiceOf,
  containerFields,
  intOf,
  listOf,
  put,
  timeOf,
} from "./_body.ts";
import { callOf, type Command, type Context } from "./_context.ts";
import { EXIT, UsageError } from "./_exit.ts";
import { logOptions, printLogs } from "./_logs.ts";
import { formatObject } from "./_output.ts";

/** What a resource group needs to make its ls, get and rm commands. */
interface Resource<T> {
  group: string;
  noun: string;
  api: (runpod: RunpodSdk) => {
    list(options: { signal: AbortSignal; timeout?: number }): Promise<T[]>;
    get(id: string, options: { signal: AbortSignal; timeout?: number }): Promise<T>;
    delete(id: string, options: { signal: AbortSignal; timeout?: number }): Promise<void>;
  };
  columns: [string, (item: T) => string][];
}

function basics<T extends object>(r: Resource<T>): Command[] {
  return [
    {
      name: `${r.group} ls`,
      args: "",
      arity: [0, 0],
      summary: `list your ${r.group}`,
      options: [],
      examples: [`runpod ${r.group} ls`, `runpod ${r.group} ls --json`],
      async run(ctx) {
        const { runpod } = await ctx.client();
        const items = await r.api(runpod).list(callOf(ctx));
        if (ctx.printer.json) ctx.printer.printJson(items);
        else {
          ctx.printer.table(
            r.columns.map(([h]) => h),
            items.map((item) => r.columns.map(([, f]) => f(item))),
          );
        }
        return EXIT.ok;
      },
    },
    {
      name: `${r.group} get`,
      args: "ID",
      arity: [1, 1],
      summary: `show a ${r.noun}`,
      options: [],
      examples: [`runpod ${r.group} get ID`, `runpod ${r.group} get ID --json`],
      async run(ctx) {
        const { runpod } = await ctx.client();
        const item = await r.api(runpod).get(ctx.args[0]!, callOf(ctx));
        if (ctx.printer.json) ctx.printer.printJson(item);
        else ctx.printer.data(formatObject(item as Record<string, unknown>));
        return EXIT.ok;
      },
    },
    {
      name: `${r.group} rm`,
      args: "ID",
      arity: [1, 1],
      summary: `delete a ${r.noun}`,
      options: [],
      examples: [`runpod ${r.group} rm ID`],
      async run(ctx) {
        const id = ctx.args[0]!;
        const { runpod } = await ctx.client();
        await r.api(runpod).delete(id, callOf(ctx));
        if (ctx.printer.json) ctx.printer.printJson({ id, deleted: true });
        else ctx.printer.data(id);
        ctx.printer.note(`Deleted ${r.noun} ${id}`);
        return EXIT.ok;
      },
    },
  ];
}

/** Prints a created resource: its id (the whole object with --json). */
function created(ctx: Context, noun: string, item: { id: string; name?: string }): number {
  if (ctx.printer.json) ctx.printer.printJson(item);
  else ctx.printer.data(item.id);
  ctx.printer.note(`Created ${noun} ${item.id}${item.name ? ` (${item.name})` : ""}`);
  return EXIT.ok;
}

/** Prints an updated resource's fields (the object with --json). */
function updated(ctx: Context, noun: string, item: { id: string }): number {
  if (ctx.printer.json) ctx.printer.printJson(item);
  else ctx.printer.data(formatObject(item as Record<string, unknown>));
  ctx.printer.note(`Updated ${noun} ${item.id}`);
  return EXIT.ok;
}

function nothingToChange(ctx: Context, body: Body, example: string): void {
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      `Nothing to change: give what to change, e.g. ${example}`,
      ctx.command.name,
    );
  }
}

// --- templates

async function templateBody(ctx: Context): Promise<Body> {
  const body = await baseBody(ctx);
  containerFields(ctx, body);
  if (ctx.values.serverless) body.serverless = true;
  put(body, "category", choiceOf(ctx, "category", ["NVIDIA", "AMD", "CPU"]));
  return body;
}

const TEMPLATE_OPTIONS = [
  "body",
  "name",
  "image",
  "env",
  "disk",
  "ports",
  "serverless",
  "category",
] as const;

const templates: Command[] = [
  ...basics({
    group: "templates",
    noun: "template",
    api: (r) => r.templates,
    columns: [
      ["ID", (t) => t.id],
      ["NAME", (t) => t.name],
      ["IMAGE", (t) => t.image ?? "-"],
      ["SERVERLESS", (t) => (t.serverless ? "yes" : "no")],
      ["CATEGORY", (t) => t.category],
    ],
  }),
  {
    name: "templates create",
    args: "",
    arity: [0, 0],
    summary: "create a template; prints its id",
    options: [...TEMPLATE_OPTIONS],
    examples: [
      "runpod templates create --name worker --image repo/worker:1.0 --serverless --env MODEL=sdxl",
    ],
    details: "Needs --name and --image; any other field goes in --body JSON.",
    async run(ctx) {
      const body = await templateBody(ctx);
      const { runpod } = await ctx.client();
      return created(
        ctx,
        "template",
        await runpod.templates.create(body as CreateTemplateRequest, callOf(ctx)),
      );
    },
  },
  {
    name: "templates update",
    args: "ID",
    arity: [1, 1],
    summary: "change a template (endpoints made from it do not change)",
    options: [...TEMPLATE_OPTIONS],
    examples: ["runpod templates update TEMPLATE --image repo/worker:1.1"],
    async run(ctx) {
      const body = await templateBody(ctx);
      nothingToChange(ctx, body, "--image repo/worker:1.1");
      const { runpod } = await ctx.client();
      return updated(
        ctx,
        "template",
        await runpod.templates.update(ctx.args[0]!, body as UpdateTemplateRequest, callOf(ctx)),
      );
    },
  },
];

// --- network volumes

const volumes: Command[] = [
  ...basics({
    group: "volumes",
    noun: "network volume",
    api: (r) => r.networkVolumes,
    columns: [
      ["ID", (v) => v.id],
      ["NAME", (v) => v.name],
      ["SIZE", (v) => `${v.size} GB`],
      ["DATA CENTER", (v) => v.dataCenter],
      ["TYPE", (v) => v.type],
    ],
  }),
  {
    name: "volumes create",
    args: "",
    arity: [0, 0],
    summary: "create a network volume; prints its id",
    options: ["body", "name", "size", "data-center", "volume-type"],
    examples: ["runpod volumes create --name models --size 100 --data-center EU-RO-1"],
    async run(ctx) {
      const body = await baseBody(ctx);
      put(body, "name", ctx.values.name);
      put(body, "size", intOf(ctx, "size"));
      put(body, "dataCenter", ctx.values["data-center"]);
      put(body, "type", choiceOf(ctx, "volume-type", ["STANDARD", "HIGH_PERFORMANCE"]));
      const { runpod } = await ctx.client();
      return created(
        ctx,
        "network volume",
        await runpod.networkVolumes.create(body as CreateNetworkVolumeRequest, callOf(ctx)),
      );
    },
  },
  {
    name: "volumes update",
    args: "ID",
    arity: [1, 1],
    summary: "rename or grow a network volume",
    options: ["body", "name", "size"],
    examples: ["runpod volumes update VOLUME --size 200"],
    async run(ctx) {
      const body = await baseBody(ctx);
      put(body, "name", ctx.values.name);
      put(body, "size", intOf(ctx, "size"));
      nothingToChange(ctx, body, "--size 200");
      const { runpod } = await ctx.client();
      return updated(
        ctx,
        "network volume",
        await runpod.networkVolumes.update(
          ctx.args[0]!,
          body as UpdateNetworkVolumeRequest,
          callOf(ctx),
        ),
      );
    },
  },
];

// --- registries

const registries: Command[] = [
  ...basics({
    group: "registries",
    noun: "registry credential",
    api: (r) => r.registries,
    columns: [["ID", (r) => r.id], ["NAME", (r) => r.name]],
  }),
  {
    name: "registries create",
    args: "",
    arity: [0, 0],
    summary: "store a container registry credential; prints its id",
    options: ["name", "username", "password-stdin"],
    examples: [
      `printf %s "$REGISTRY_TOKEN" | runpod registries create --name ghcr --username me --password-stdin`,
    ],
    details:
      "The password is read from stdin (--password-stdin), never from the command line, and never printed.",
    async run(ctx) {
      if (!ctx.values["password-stdin"]) {
        throw new UsageError(
          'Give the password on stdin: printf %s "$TOKEN" | runpod registries create --name NAME --username USER --password-stdin',
          ctx.command.name,
        );
      }
      if (ctx.io.stdinIsTTY) {
        throw new UsageError(
          "--password-stdin reads a pipe: pipe the password in",
          ctx.command.name,
        );
      }
      const password = (await ctx.io.readStdin()).replace(/\r?\n$/, "");
      if (password === "") throw new UsageError("The password on stdin is empty", ctx.command.name);
      ctx.printer.addSecret(password);
      const body: Body = { password };
      put(body, "name", ctx.values.name);
      put(body, "username", ctx.values.username);
      const { runpod } = await ctx.client();
      return created(
        ctx,
        "registry credential",
        await runpod.registries.create(body as CreateRegistryRequest, callOf(ctx)),
      );
    },
  },
];

// --- pods

function podRow(p: Pod): string[] {
  return [
    p.id,
    p.name,
    p.status,
    p.gpu
      ? `${p.gpu.count ?? 1}x ${p.gpu.id}`
      : p.cpu
      ? `${p.cpu.id} ${p.cpu.vcpuCount} vCPU`
      : "-",
    p.image ?? "-",
    `$${p.cost}/h`,
  ];
}

function podAction(action: "start" | "stop"): Command {
  return {
    name: `pods ${action}`,
    args: "ID",
    arity: [1, 1],
    summary: `${action} a pod`,
    options: [],
    examples: [`runpod pods ${action} POD`],
    async run(ctx) {
      const id = ctx.args[0]!;
      const { runpod } = await ctx.client();
      const pod = await runpod.pods[action](id, callOf(ctx)) ??
        await runpod.pods.get(id, callOf(ctx));
      if (ctx.printer.json) ctx.printer.printJson(pod);
      else ctx.printer.data(`${pod.id} ${pod.status}`);
      return EXIT.ok;
    },
  };
}

const pods: Command[] = [
  ...basics({
    group: "pods",
    noun: "pod",
    api: (r) => r.pods,
    columns: [
      ["ID", (p) => podRow(p)[0]!],
      ["NAME", (p) => podRow(p)[1]!],
      ["STATUS", (p) => podRow(p)[2]!],
      ["COMPUTE", (p) => podRow(p)[3]!],
      ["IMAGE", (p) => podRow(p)[4]!],
      ["COST", (p) => podRow(p)[5]!],
    ],
  }),
  {
    name: "pods create",
    args: "",
    arity: [0, 0],
    summary: "create a pod (billed while it runs); prints its id",
    options: [
      "body",
      "name",
      "image",
      "template",
      "env",
      "disk",
      "ports",
      "gpu",
      "gpu-count",
      "cpu",
      "vcpu",
      "cloud",
      "data-center",
    ],
    examples: [
      `runpod pods create --name dev --image runpod/pytorch:2.4 --gpu "NVIDIA GeForce RTX 4090"`,
      "runpod pods create --name box --image ubuntu:24.04 --cpu cpu3c --vcpu 2",
    ],
    details: "Needs --name, --image or --template, and --gpu TYPE or --cpu ID --vcpu N.",
    async run(ctx) {
      const body = await baseBody(ctx);
      containerFields(ctx, body);
      put(body, "templateId", ctx.values.template);
      if (ctx.values.gpu !== undefined) {
        body.gpu = {
          id: ctx.values.gpu,
          ...(ctx.values["gpu-count"] ? { count: intOf(ctx, "gpu-count") } : {}),
        };
      }
      if (ctx.values.cpu !== undefined) {
        const vcpu = intOf(ctx, "vcpu");
        if (vcpu === undefined) throw new UsageError("--cpu needs --vcpu N", ctx.command.name);
        body.cpu = { id: ctx.values.cpu, vcpuCount: vcpu };
      }
      put(body, "cloud", choiceOf(ctx, "cloud", ["SECURE", "COMMUNITY"]));
      put(body, "dataCenterIds", listOf(ctx, "data-center"));
      const { runpod } = await ctx.client();
      return created(ctx, "pod", await runpod.pods.create(body as CreatePodRequest, callOf(ctx)));
    },
  },
  podAction("start"),
  podAction("stop"),
  {
    name: "pods logs",
    args: "ID",
    arity: [1, 1],
    summary: "a pod's log lines; -f follows",
    options: ["follow", "tail", "since", "source"],
    examples: ["runpod pods logs POD -f", "runpod pods logs POD --tail 500 --json"],
    details: "Prints 'TIME SOURCE LINE' (a JSON line each with --json); -f follows until Ctrl-C.",
    async run(ctx) {
      const options = logOptions(ctx);
      const { runpod } = await ctx.client();
      return await printLogs(ctx, [{ lines: runpod.pods.logs(ctx.args[0]!, options) }]);
    },
  },
];

// --- gpus

const PRODUCTS = ["SERVERLESS", "POD"] as const;

const gpus: Command = {
  name: "gpus",
  args: "",
  arity: [0, 0],
  summary: "the GPU types: memory, pool, prices per hour and availability now",
  options: ["product", "cloud", "available"],
  examples: ["runpod gpus", "runpod gpus --product pod --cloud community --available"],
  details: `Prices are RunPod's list prices in USD per GPU per hour (pods: secure and community
cloud; serverless: the GPU's pool). Availability is for --product (serverless by default).
The POOL column is what 'endpoints create --gpu' takes.`,
  async run(ctx) {
    const product = (choiceOf(ctx, "product", PRODUCTS) ?? "SERVERLESS") as Product;
    const cloud = choiceOf(ctx, "cloud", ["SECURE", "COMMUNITY"]) as
      | "SECURE"
      | "COMMUNITY"
      | undefined;
    const { runpod } = await ctx.client();
    let list = await runpod.catalog.gpus({
      ...callOf(ctx),
      include: ["AVAILABILITY"],
      product: [product],
      ...(cloud ? { cloud } : {}),
    });
    if (ctx.values.available) {
      list = list.filter((g) => g.availability && g.availability !== "NONE");
    }
    if (ctx.printer.json) {
      ctx.printer.printJson(list);
      return EXIT.ok;
    }
    const price = (n: number | undefined) => (typeof n === "number" ? `$${n.toFixed(2)}` : "-");
    const { printer } = ctx;
    const level = (a: string | undefined) =>
      a === undefined ? "-" : printer.paint(
        printer.stdout,
        a === "HIGH" ? "green" : a === "NONE" ? "red" : "yellow",
        a,
      );
    printer.table(
      ["ID", "MEMORY", "POOL", "AVAILABLE", "SECURE", "COMMUNITY", "SERVERLESS"],
      list.map((g) => [
        g.id,
        `${g.memory} GB`,
        g.pool ?? "-",
        level(g.availability),
        price(g.secure ? g.price.secure : undefined),
        price(g.community ? g.price.community : undefined),
        price(g.price.serverless),
      ]),
    );
    return EXIT.ok;
  },
};

// --- billing

const BILLING_KINDS = ["all", "pods", "serverless", "endpoints", "volumes", "clusters"] as const;

const billing: Command = {
  name: "billing",
  args: "[KIND]",
  arity: [0, 1],
  summary: "what you spent, by time bucket: in all, or for one kind of resource",
  options: ["by", "last", "since", "until"],
  examples: [
    "runpod billing",
    "runpod billing serverless --by hour --last 24",
    "runpod billing pods --since 2026-08-01T00:00:00Z --by week --json",
  ],
  details:
    "Amounts are USD. --last N buckets, or --since/--until (RunPod's default: the last 30 days).",
  async run(ctx) {
    const kind = (ctx.args[0] ?? "all") as (typeof BILLING_KINDS)[number];
    if (!BILLING_KINDS.includes(kind)) {
      throw new UsageError(
        `'runpod billing' takes one of ${BILLING_KINDS.slice(1).join(", ")}, not '${kind}'`,
        "billing",
      );
    }
    const options: BillingOptions = { ...callOf(ctx) };
    const by = ctx.values.by;
    if (by !== undefined) {
      const size = by.toLowerCase();
      if (!["hour", "day", "week", "month", "year"].includes(size)) {
        throw new UsageError(`--by takes hour, day, week, month or year, not '${by}'`, "billing");
      }
      options.bucketSize = size as BillingOptions["bucketSize"] & string;
    }
    const last = intOf(ctx, "last");
    if (last !== undefined) options.lastN = last;
    const since = timeOf(ctx, "since");
    if (since !== undefined) options.startTime = since;
    const until = timeOf(ctx, "until");
    if (until !== undefined) options.endTime = until;
    const { runpod } = await ctx.client();
    const b = runpod.billing;
    const answer = kind === "all"
      ? await b.all(options)
      : kind === "pods"
      ? await b.pods(options)
      : kind === "serverless"
      ? await b.serverless(options)
      : kind === "endpoints"
      ? await b.endpoints(options)
      : kind === "volumes"
      ? await b.networkVolumes(options)
      : await b.clusters(options);
    if (ctx.printer.json) {
      ctx.printer.printJson(answer);
      return EXIT.ok;
    }
    const records = answer.records as unknown as Record<string, unknown>[];
    const idKey = ["podId", "serverlessId", "endpointId", "networkVolumeId", "clusterId"].find((
      k,
    ) => records.some((r) => k in r));
    const amounts = [
      "totalAmount",
      ...new Set(
        records.flatMap((r) =>
          Object.keys(r).filter((k) =>
            k.endsWith("Amount") && k !== "totalAmount" && records.some((x) => x[k] !== 0)
          )
        ),
      ),
    ];
    const label = (k: string) =>
      k.replace(/Amount$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
    // Cents, or four decimals for the fractions of a cent a few seconds of serverless cost.
    const money = (v: unknown) =>
      typeof v !== "number" ? "-" : `$${v.toFixed(v !== 0 && Math.abs(v) < 0.01 ? 4 : 2)}`;
    ctx.printer.table(
      ["START", ...(idKey ? [label(idKey.replace(/Id$/, ""))] : []), ...amounts.map(label)],
      records.map((r) => [
        String(r.startTime ?? "-"),
        ...(idKey ? [String(r[idKey] ?? "-")] : []),
        ...amounts.map((k) => money(r[k])),
      ]),
    );
    const totals = (answer.metadata as unknown as { totals?: { totalAmount?: number } }).totals;
    ctx.printer.data(`\ntotal ${money(totals?.totalAmount)} over ${records.length} records`);
    return EXIT.ok;
  },
};

/** The management commands besides `endpoints`. */
export const RESOURCE_COMMANDS: Command[] = [
  ...templates,
  ...volumes,
  ...registries,
  ...pods,
  gpus,
  billing,
];
