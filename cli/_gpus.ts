// `runpod gpus`: the GPU types, their prices and availability now.
import type { Product } from "../rest.ts";
import { pick } from "./_args.ts";
import { choiceOf, FIELD_OPTIONS } from "./_body.ts";
import { callOf, type Command, command } from "./_context.ts";
import { EXIT } from "./_exit.ts";

const PRODUCTS = ["SERVERLESS", "POD"] as const;

/** `runpod gpus`. */
export const gpusCommand: Command = command({
  name: "gpus",
  args: "",
  arity: [0, 0],
  summary: "the GPU types: memory, pool, prices per hour and availability now",
  options: {
    product: {
      type: "string",
      value: "PRODUCT",
      help: "availability for serverless (the default) or pod",
    },
    ...pick(FIELD_OPTIONS, "cloud"),
    available: { type: "boolean", help: "only what is available now" },
  },
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
});
