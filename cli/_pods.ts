// `runpod pods ...`: list, show, create, start, stop, delete pods and read
// their logs.
import type { CreatePodRequest, Pod } from "../rest.ts";
import { pick } from "./_args.ts";
import {
  baseBody,
  choiceOf,
  CONTAINER_FLAGS,
  containerFields,
  FIELD_OPTIONS,
  type FlagsOf,
  intOf,
  listOf,
  needContainerAndCompute,
  put,
  sendBody,
} from "./_body.ts";
import { callOf, type Command, command } from "./_context.ts";
import { EXIT, UsageError } from "./_exit.ts";
import { LOG_OPTIONS, logOptions, printLogs } from "./_logs.ts";
import { basics, created } from "./_resource.ts";

/** The option that gives each field of a pod's body. */
const POD_FLAGS: FlagsOf = {
  ...CONTAINER_FLAGS,
  gpu: "--gpu",
  "gpu.id": "--gpu",
  "gpu.count": "--gpu-count",
  cpu: "--cpu",
  "cpu.id": "--cpu",
  "cpu.vcpuCount": "--vcpu",
  cloud: "--cloud",
  dataCenterIds: "--data-center",
};

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
  return command({
    name: `pods ${action}`,
    args: "ID",
    arity: [1, 1],
    summary: `${action} a pod`,
    options: {},
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
  });
}

/** The `pods` commands. */
export const POD_COMMANDS: Command[] = [
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
  command({
    name: "pods create",
    args: "",
    arity: [0, 0],
    summary: "create a pod (billed while it runs); prints its id",
    options: pick(
      FIELD_OPTIONS,
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
    ),
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
      needContainerAndCompute(ctx, body, "A pod");
      const { runpod } = await ctx.client();
      const pod = await sendBody(
        ctx,
        POD_FLAGS,
        () => runpod.pods.create(body as CreatePodRequest, callOf(ctx)),
      );
      return created(ctx, "pod", pod);
    },
  }),
  podAction("start"),
  podAction("stop"),
  command({
    name: "pods logs",
    args: "ID",
    arity: [1, 1],
    summary: "a pod's log lines; -f follows",
    options: LOG_OPTIONS,
    examples: ["runpod pods logs POD -f", "runpod pods logs POD --tail 500 --json"],
    details: "Prints 'TIME SOURCE LINE' (a JSON line each with --json); -f follows until Ctrl-C.",
    async run(ctx) {
      const options = logOptions(ctx);
      const { runpod } = await ctx.client();
      return await printLogs(ctx, [{ lines: runpod.pods.logs(ctx.args[0]!, options) }]);
    },
  }),
];
