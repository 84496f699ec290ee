// Request bodies for the management commands: `--body` JSON with the
// command's options laid over it. The SDK checks the result against RunPod's
// spec before sending (an unknown field or a bad value is a usage error).
import { parseDuration } from "./_args.ts";
import { type Context, readJsonArg } from "./_context.ts";
import { UsageError } from "./_exit.ts";

/** A body under construction. */
export type Body = Record<string, unknown>;

/** `--body` as an object, or `{}`. */
export async function baseBody(ctx: Context): Promise<Body> {
  if (ctx.values.body === undefined) return {};
  const value = await readJsonArg(ctx, ctx.values.body, "--body");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(
      `--body takes a JSON object, e.g. --body '{"name":"x"}'`,
      ctx.command.name,
    );
  }
  return { ...value as Body };
}

/** A whole number given to `--option`. */
export function intOf(ctx: Context, option: keyof Context["values"]): number | undefined {
  const text = ctx.values[option];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (typeof text !== "string" || !/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${option} takes a whole number, not '${text}'`, ctx.command.name);
  }
  return n;
}

/** A comma-separated list given to `--option`. */
export function listOf(ctx: Context, option: keyof Context["values"]): string[] | undefined {
  const text = ctx.values[option];
  if (typeof text !== "string") return undefined;
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

/** `--env KEY=VALUE`, repeated, as a map. */
export function envOf(ctx: Context): Record<string, string> | undefined {
  const pairs = ctx.values.env;
  if (pairs === undefined) return undefined;
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      throw new UsageError(
        `--env takes KEY=VALUE, e.g. --env MODEL=llama-3, not '${pair}'`,
        ctx.command.name,
      );
    }
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

/** An upper-case choice given to `--option`, checked against `choices`. */
export function choiceOf(
  ctx: Context,
  option: keyof Context["values"],
  choices: readonly string[],
): string | undefined {
  const text = ctx.values[option];
  if (typeof text !== "string") return undefined;
  const value = text.trim().toUpperCase().replace(/-/g, "_");
  if (!choices.includes(value)) {
    throw new UsageError(
      `--${option} takes ${choices.join(", ")}, not '${text}'`,
      ctx.command.name,
    );
  }
  return value;
}

/** Sets `body[key]` when `value` is defined. */
export function put(body: Body, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

/** Merges `value` into the object at `body[key]` when it has any defined field. */
export function merge(body: Body, key: string, value: Record<string, unknown>): void {
  const defined = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  if (Object.keys(defined).length === 0) return;
  const previous = body[key];
  body[key] = {
    ...(typeof previous === "object" && previous !== null ? previous : {}),
    ...defined,
  };
}

/** The fields every container resource shares: name, image, env, disk, ports. */
export function containerFields(ctx: Context, body: Body): void {
  put(body, "name", ctx.values.name);
  put(body, "image", ctx.values.image);
  put(body, "env", envOf(ctx));
  put(body, "disk", intOf(ctx, "disk"));
  put(body, "ports", listOf(ctx, "ports"));
}

/** `--since` or `--until`: RFC 3339 text, or a duration ago. */
export function timeOf(ctx: Context, option: "since" | "until"): string | undefined {
  const text = ctx.values[option];
  if (text === undefined) return undefined;
  if (/^\d+(?:\.\d+)?(ms|s|m|h|d)$/.test(text.trim())) {
    return new Date(Date.now() - parseDuration(text, `--${option}`)).toISOString();
  }
  if (Number.isNaN(Date.parse(text))) {
    throw new UsageError(
      `--${option} takes a time (2026-08-01T00:00:00Z) or a duration ago (30m, 2h, 7d), not '${text}'`,
      ctx.command.name,
    );
  }
  return text;
}
