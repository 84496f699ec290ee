// `runpod volumes ...`: list, show, create, resize and delete network volumes.
import type { CreateNetworkVolumeRequest, UpdateNetworkVolumeRequest } from "../rest.ts";
import { type Options, pick } from "./_args.ts";
import { baseBody, choiceOf, FIELD_OPTIONS, type FlagsOf, intOf, put, sendBody } from "./_body.ts";
import { callOf, type Command, command } from "./_context.ts";
import { basics, created, nothingToChange, updated } from "./_resource.ts";

/** The option that gives each field of a network volume's body. */
const VOLUME_FLAGS: FlagsOf = {
  name: "--name",
  size: "--size",
  dataCenter: "--data-center",
  type: "--volume-type",
};

/** `--size`, for create and update. */
const SIZE_OPTION = {
  size: { type: "string", value: "GB", help: "size in GB (a network volume can only grow)" },
} as const satisfies Options;

/** The `volumes` commands (network volumes). */
export const VOLUME_COMMANDS: Command[] = [
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
  command({
    name: "volumes create",
    args: "",
    arity: [0, 0],
    summary: "create a network volume; prints its id",
    options: {
      ...pick(FIELD_OPTIONS, "body", "name"),
      ...SIZE_OPTION,
      ...pick(FIELD_OPTIONS, "data-center"),
      "volume-type": { type: "string", value: "TYPE", help: "STANDARD or HIGH_PERFORMANCE" },
    },
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
        await sendBody(
          ctx,
          VOLUME_FLAGS,
          () => runpod.networkVolumes.create(body as CreateNetworkVolumeRequest, callOf(ctx)),
        ),
      );
    },
  }),
  command({
    name: "volumes update",
    args: "ID",
    arity: [1, 1],
    summary: "rename or grow a network volume",
    options: { ...pick(FIELD_OPTIONS, "body", "name"), ...SIZE_OPTION },
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
        await sendBody(ctx, VOLUME_FLAGS, () =>
          runpod.networkVolumes.update(
            ctx.args[0]!,
            body as UpdateNetworkVolumeRequest,
            callOf(ctx),
          )),
      );
    },
  }),
];
