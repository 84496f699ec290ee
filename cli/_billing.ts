// `runpod billing`: what was spent, by time bucket, in all or by kind.
import type { BillingOptions } from "../mod.ts";
import { pick } from "./_args.ts";
import { FIELD_OPTIONS, intOf, timeOf } from "./_body.ts";
import { callOf, type Command, command } from "./_context.ts";
import { EXIT, UsageError } from "./_exit.ts";

const BILLING_KINDS = ["all", "pods", "serverless", "endpoints", "volumes", "clusters"] as const;

/** `runpod billing`. */
export const billingCommand: Command = command({
  name: "billing",
  args: "[KIND]",
  arity: [0, 1],
  summary: "what you spent, by time bucket: in all, or for one kind of resource",
  options: {
    by: { type: "string", value: "BUCKET", help: "hour, day (the default), week, month or year" },
    last: { type: "string", value: "N", help: "the last N buckets, up to now (default 7)" },
    ...pick(FIELD_OPTIONS, "since", "until"),
  },
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
});
