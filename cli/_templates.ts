// `runpod templates ...`: list, show, create, update and delete templates.
import type { CreateTemplateRequest, UpdateTemplateRequest } from "../rest.ts";
import { type Options, pick } from "./_args.ts";
import {
  baseBody,
  type Body,
  choiceOf,
  CONTAINER_FLAGS,
  containerFields,
  FIELD_OPTIONS,
  type FlagsOf,
  put,
  sendBody,
} from "./_body.ts";
import { callOf, type Command, command, type Context } from "./_context.ts";
import { basics, created, nothingToChange, updated } from "./_resource.ts";

async function templateBody(ctx: Context<typeof TEMPLATE_OPTIONS>): Promise<Body> {
  const body = await baseBody(ctx);
  containerFields(ctx, body);
  if (ctx.values.serverless) body.serverless = true;
  put(body, "category", choiceOf(ctx, "category", ["NVIDIA", "AMD", "CPU"]));
  return body;
}

/** The option that gives each field of a template's body. */
const TEMPLATE_FLAGS: FlagsOf = {
  ...CONTAINER_FLAGS,
  serverless: "--serverless",
  category: "--category",
};

/** The options of templates create and update. */
const TEMPLATE_OPTIONS = {
  ...pick(FIELD_OPTIONS, "body", "name", "image", "env", "disk", "ports"),
  serverless: { type: "boolean", help: "a template for serverless endpoints" },
  category: { type: "string", value: "CATEGORY", help: "NVIDIA (the default), AMD or CPU" },
} as const satisfies Options;

/** The `templates` commands. */
export const TEMPLATE_COMMANDS: Command[] = [
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
  command({
    name: "templates create",
    args: "",
    arity: [0, 0],
    summary: "create a template; prints its id",
    options: TEMPLATE_OPTIONS,
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
        await sendBody(
          ctx,
          TEMPLATE_FLAGS,
          () => runpod.templates.create(body as CreateTemplateRequest, callOf(ctx)),
        ),
      );
    },
  }),
  command({
    name: "templates update",
    args: "ID",
    arity: [1, 1],
    summary: "change a template (endpoints made from it do not change)",
    options: TEMPLATE_OPTIONS,
    examples: ["runpod templates update TEMPLATE --image repo/worker:1.1"],
    async run(ctx) {
      const body = await templateBody(ctx);
      nothingToChange(ctx, body, "--image repo/worker:1.1");
      const { runpod } = await ctx.client();
      return updated(
        ctx,
        "template",
        await sendBody(
          ctx,
          TEMPLATE_FLAGS,
          () => runpod.templates.update(ctx.args[0]!, body as UpdateTemplateRequest, callOf(ctx)),
        ),
      );
    },
  }),
];
