// What the management commands of every resource group share: ls, get and rm
// made from a resource's API, and how a created or updated resource prints.
import type { RunpodSdk } from "../mod.ts";
import type { Body } from "./_body.ts";
import { callOf, type Command, type Context } from "./_context.ts";
import { EXIT, UsageError } from "./_exit.ts";
import { formatObject } from "./_output.ts";

/** What a resource group needs to make its ls, get and rm commands. */
export interface Resource<T> {
  group: string;
  noun: string;
  api: (runpod: RunpodSdk) => {
    list(options: { signal: AbortSignal; timeout?: number }): Promise<T[]>;
    get(id: string, options: { signal: AbortSignal; timeout?: number }): Promise<T>;
    delete(id: string, options: { signal: AbortSignal; timeout?: number }): Promise<void>;
  };
  columns: [string, (item: T) => string][];
}

/** A resource group's ls, get and rm commands. */
export function basics<T extends object>(r: Resource<T>): Command[] {
  return [
    {
      name: `${r.group} ls`,
      args: "",
      arity: [0, 0],
      summary: `list your ${r.group}`,
      options: {},
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
      options: {},
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
      options: {},
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
export function created(ctx: Context, noun: string, item: { id: string; name?: string }): number {
  if (ctx.printer.json) ctx.printer.printJson(item);
  else ctx.printer.data(item.id);
  ctx.printer.note(`Created ${noun} ${item.id}${item.name ? ` (${item.name})` : ""}`);
  return EXIT.ok;
}

/** Prints an updated resource's fields (the object with --json). */
export function updated(ctx: Context, noun: string, item: { id: string }): number {
  if (ctx.printer.json) ctx.printer.printJson(item);
  else ctx.printer.data(formatObject(item as Record<string, unknown>));
  ctx.printer.note(`Updated ${noun} ${item.id}`);
  return EXIT.ok;
}

/** Throws a UsageError when an update was given nothing to change. */
export function nothingToChange(ctx: Context, body: Body, example: string): void {
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      `Nothing to change: give what to change, e.g. ${example}`,
      ctx.command.name,
    );
  }
}
