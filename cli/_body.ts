// Request bodies for the management commands: `--body` JSON with the
// command's options laid over it. The SDK checks the result against RunPod's
// spec before sending (an unknown field or a bad value is a usage error).
import { type Options, parseDuration } from "./_args.ts";
import { type Context, readJsonArg } from "./_context.ts";
import { UsageError } from "./_exit.ts";

/**
 * The options that commands of several groups (endpoints, templates, pods,
 * volumes, gpus, billing) share, each declared once; a command picks its own
 * (`pick(FIELD_OPTIONS, "body", "name", ...)`), in the order its help lists them.
 */
export const FIELD_OPTIONS = {
  body: {
    type: "string",
    value: "JSON",
    help: "the whole request body as JSON or @file.json; the other options are laid over it",
  },
  name: { type: "string", value: "NAME", help: "its name" },
  image: { type: "string", value: "IMAGE", help: "the container image, e.g. repo/worker:1.2" },
  template: { type: "string", value: "TEMPLATE", help: "create it from this template id" },
  env: {
    type: "string",
    value: "KEY=VALUE",
    help: "an environment variable (repeat for more; on update, the whole env is replaced)",
    multiple: true,
  },
  disk: { type: "string", value: "GB", help: "container disk size in GB" },
  ports: { type: "string", value: "PORTS", help: "exposed ports, e.g. 8888/http,22/tcp" },
  gpu: {
    type: "string",
    value: "GPU",
    help:
      "endpoints: GPU pools, e.g. ADA_24,AMPERE_80 (runpod gpus shows them); pods: a GPU type id",
  },
  "gpu-count": { type: "string", value: "N", help: "GPUs per worker or pod" },
  cpu: { type: "string", value: "CPU", help: "a CPU type id, e.g. cpu3c (instead of a GPU)" },
  vcpu: { type: "string", value: "N", help: "vCPUs, with --cpu" },
  "data-center": {
    type: "string",
    value: "IDS",
    help: "data center ids, comma-separated, e.g. US-TX-3,EU-RO-1",
  },
  cloud: { type: "string", value: "CLOUD", help: "SECURE or COMMUNITY" },
  since: {
    type: "string",
    value: "TIME",
    help: "from this time: RFC 3339, or a duration ago such as 1h",
  },
  until: { type: "string", value: "TIME", help: "up to this time: RFC 3339, or a duration ago" },
} as const satisfies Options;

/** A body under construction. */
export type Body = Record<string, unknown>;

/** `--body` as an object, or `{}`. */
export async function baseBody(ctx: Context<Pick<typeof FIELD_OPTIONS, "body">>): Promise<Body> {
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
export function intOf(ctx: Context, option: string): number | undefined {
  const text = ctx.values[option];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (typeof text !== "string" || !/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${option} takes a whole number, not '${text}'`, ctx.command.name);
  }
  return n;
}

/** A comma-separated list given to `--option`. */
export function listOf(ctx: Context, option: string): string[] | undefined {
  const text = ctx.values[option];
  if (typeof text !== "string") return undefined;
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

/** `--env KEY=VALUE`, repeated, as a map. */
export function envOf(
  ctx: Context<Pick<typeof FIELD_OPTIONS, "env">>,
): Record<string, string> | undefined {
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
  option: string,
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
export function containerFields(
  ctx: Context<Pick<typeof FIELD_OPTIONS, "name" | "image" | "env" | "disk" | "ports">>,
  body: Body,
): void {
  put(body, "name", ctx.values.name);
  put(body, "image", ctx.values.image);
  put(body, "env", envOf(ctx));
  put(body, "disk", intOf(ctx, "disk"));
  put(body, "ports", listOf(ctx, "ports"));
}

/** `--since` or `--until`: RFC 3339 text, or a duration ago. */
export function timeOf(
  ctx: Context<Pick<typeof FIELD_OPTIONS, "since" | "until">>,
  option: "since" | "until",
): string | undefined {
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

/** The option that gives each body field (`"gpu.count": "--gpu-count"`), to name it in errors. */
export type FlagsOf = Record<string, string>;

/** The fields every container resource shares, and their options. */
export const CONTAINER_FLAGS: FlagsOf = {
  name: "--name",
  image: "--image",
  templateId: "--template",
  env: "--env",
  disk: "--disk",
  ports: "--ports",
};

/**
 * The SDK's word on a body it refuses (`$.image: required without
 * templateId`) in the command's words: each `$.field` path and each field a
 * rule names becomes the option that gives it (`--image: required without
 * --template`). A field no option gives keeps its path (it came from --body).
 */
export function flagMessage(message: string, flags: FlagsOf): string {
  return message
    .replace(/\$((?:\.[A-Za-z_]\w*|\[\d+\])+)/g, (whole, path: string) => {
      const parts = path.replace(/\[\d+\]/g, "").slice(1).split(".");
      for (let n = parts.length; n > 0; n--) {
        const flag = flags[parts.slice(0, n).join(".")];
        if (flag !== undefined) return n === parts.length ? flag : `${flag} ${whole}`;
      }
      return whole;
    })
    .replace(/\b(without|with) ([A-Za-z_]\w*)\b/g, (whole, word: string, field: string) => {
      const flag = flags[field];
      return flag === undefined ? whole : `${word} ${flag}`;
    });
}

/**
 * Runs `send`, the SDK call of a create or update; a body the SDK refuses
 * before sending it (a TypeError naming `$.field` paths) becomes a UsageError
 * naming the options (`flagMessage`).
 */
export async function sendBody<T>(
  ctx: Context,
  flags: FlagsOf,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof TypeError && /\$[.[]/.test(error.message)) {
      throw new UsageError(flagMessage(error.message, flags), ctx.command.name);
    }
    throw error;
  }
}

/**
 * The container and compute a create needs, checked before sending, in the
 * command's words: `--image` or `--template`, and exactly one of `--gpu` and
 * `--cpu` (given as options or in --body).
 */
export function needContainerAndCompute(ctx: Context, body: Body, noun: string): void {
  if (body.image === undefined && body.templateId === undefined) {
    throw new UsageError(
      `${noun} needs a container: --image IMAGE or --template TEMPLATE`,
      ctx.command.name,
    );
  }
  if (body.gpu !== undefined && body.cpu !== undefined) {
    throw new UsageError("--gpu and --cpu do not go together: give one", ctx.command.name);
  }
  if (body.gpu === undefined && body.cpu === undefined) {
    throw new UsageError(
      `${noun} needs its compute: --gpu ${
        ctx.command.name.startsWith("pods") ? "TYPE" : "POOLS"
      } ('runpod gpus' lists them) or --cpu ID --vcpu N`,
      ctx.command.name,
    );
  }
}
