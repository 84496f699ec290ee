// `runpod registries ...`: list, show, store and delete container registry
// credentials (the password only from stdin).
import type { CreateRegistryRequest } from "../rest.ts";
import { pick } from "./_args.ts";
import { type Body, FIELD_OPTIONS, put, sendBody } from "./_body.ts";
import { callOf, type Command, command } from "./_context.ts";
import { UsageError } from "./_exit.ts";
import { basics, created } from "./_resource.ts";

/** The `registries` commands (container registry credentials). */
export const REGISTRY_COMMANDS: Command[] = [
  ...basics({
    group: "registries",
    noun: "registry credential",
    api: (r) => r.registries,
    columns: [["ID", (r) => r.id], ["NAME", (r) => r.name]],
  }),
  command({
    name: "registries create",
    args: "",
    arity: [0, 0],
    summary: "store a container registry credential; prints its id",
    options: {
      ...pick(FIELD_OPTIONS, "name"),
      username: { type: "string", value: "USER", help: "the registry user name" },
      "password-stdin": {
        type: "boolean",
        help: "read the registry password from stdin (never from the command line)",
      },
    },
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
        await sendBody(
          ctx,
          { name: "--name", username: "--username", password: "--password-stdin" },
          () => runpod.registries.create(body as CreateRegistryRequest, callOf(ctx)),
        ),
      );
    },
  }),
];
