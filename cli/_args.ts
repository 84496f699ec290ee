// The command line: every option, every command, and the parser that checks
// one against the other.
import { parseArgs } from "node:util";
import { UsageError } from "./_exit.ts";

/** An option: its type, short form, help text and the commands that take it. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The value's name in help, such as `DURATION`. */
  value?: string;
  help: string;
  /** Taken by every command. */
  global?: boolean;
  /** May be given several times: the values are collected in order. */
  multiple?: boolean;
}

/** Every option of every command. Each name has one type everywhere. */
export const OPTIONS = {
  // Global.
  "api-key-file": {
    type: "string",
    value: "PATH",
    help: "read the API key from this file (default: the RUNPOD_API_KEY variable)",
    global: true,
  },
  "base-url": {
    type: "string",
    value: "URL",
    help:
      "the job API's base URL, such as a served emulator's (default: RUNPOD_BASE_URL, else https://api.runpod.ai/v2)",
    global: true,
  },
  emulator: {
    type: "boolean",
    help: "run against an in-process emulator with a demo worker: no key, no GPU, nothing billed",
    global: true,
  },
  json: {
    type: "boolean",
    help: "print JSON: one document, or one item per line for streams and --watch",
    global: true,
  },
  verbose: {
    type: "boolean",
    short: "v",
    help: "print each request and its answer's status on stderr (never the key)",
    global: true,
  },
  quiet: {
    type: "boolean",
    short: "q",
    help: "print no notes on stderr, only errors",
    global: true,
  },
  "no-color": { type: "boolean", help: "no colour (also: NO_COLOR=1)", global: true },
  help: { type: "boolean", short: "h", help: "show help", global: true },
  version: { type: "boolean", help: "print the version", global: true },
  timeout: {
    type: "string",
    value: "DURATION",
    help: "stop waiting after this long (exit code 5); for a single request, its time limit",
    global: true,
  },
  // Jobs.
  endpoint: {
    type: "string",
    short: "e",
    value: "ENDPOINT",
    help: "the endpoint id (default: the ENDPOINT_ID variable; or write ENDPOINT/JOB)",
  },
  input: {
    type: "string",
    short: "i",
    value: "JSON",
    help: "the job's input: JSON, @file.json, or - for stdin (default: stdin when piped)",
  },
  policy: {
    type: "string",
    value: "JSON",
    help:
      `the job's policy as JSON or @file.json, e.g. '{"executionTimeout":600000,"ttl":3600000}'`,
  },
  "execution-timeout": {
    type: "string",
    value: "DURATION",
    help: "policy.executionTimeout: the job ends TIMED_OUT after running this long on RunPod",
  },
  ttl: {
    type: "string",
    value: "DURATION",
    help: "policy.ttl: RunPod deletes the job this long after it was submitted",
  },
  "low-priority": {
    type: "boolean",
    help: "policy.lowPriority: the job does not make the endpoint add workers",
  },
  webhook: { type: "string", value: "URL", help: "RunPod POSTs the finished job to this URL" },
  wait: { type: "boolean", help: "wait for the job to end and print its output (the default)" },
  "no-wait": {
    type: "boolean",
    help: "print the job's reference ENDPOINT/JOB and return at once",
  },
  stream: { type: "boolean", help: "print the job's stream items as they come, one a line" },
  "no-cancel-on-exit": {
    type: "boolean",
    help: "on Ctrl-C or --timeout, leave the submitted job running instead of cancelling it",
  },
  watch: { type: "boolean", short: "w", help: "keep showing it, refreshed, until Ctrl-C" },
  interval: {
    type: "string",
    value: "DURATION",
    help: "how often --watch refreshes (default 2s)",
  },
  port: { type: "string", value: "PORT", help: "the port to listen on (default: a free one)" },
  external: {
    type: "boolean",
    help:
      "leave the jobs to worker processes, over RunPod's worker protocol; prints each endpoint's RUNPOD_* variables",
  },
  // Chat (the OpenAI-compatible routes).
  model: {
    type: "string",
    value: "MODEL",
    help: "the model to ask (default: the first one GET /models lists)",
  },
  system: { type: "string", value: "TEXT", help: "a system message before the prompt" },
  "max-tokens": { type: "string", value: "N", help: "max_tokens: the reply stops after N tokens" },
  "no-stream": { type: "boolean", help: "ask for the whole reply at once instead of streaming it" },
  // Management.
  "rest-url": {
    type: "string",
    value: "URL",
    help: "the management API's base URL (default: RUNPOD_REST_URL, else https://api.runpod.io/v2)",
    global: true,
  },
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
  "workers-min": { type: "string", value: "N", help: "workers kept running (0: scale to zero)" },
  "workers-max": { type: "string", value: "N", help: "the most workers at once" },
  "idle-timeout": {
    type: "string",
    value: "DURATION",
    help: "how long an idle worker stays up (1s to 1h)",
  },
  "queue-delay": {
    type: "string",
    value: "DURATION",
    help: "scale up when a job waited this long (scaling QUEUE_DELAY; the default, 4s)",
  },
  "request-count": {
    type: "string",
    value: "N",
    help: "scale up by queued requests per worker (scaling REQUEST_COUNT)",
  },
  flashboot: { type: "string", value: "MODE", help: "OFF, FLASHBOOT or PRIORITY_FLASHBOOT" },
  "data-center": {
    type: "string",
    value: "IDS",
    help: "data center ids, comma-separated, e.g. US-TX-3,EU-RO-1",
  },
  "network-volume": {
    type: "string",
    value: "IDS",
    help: "network volume ids to attach, comma-separated",
  },
  type: { type: "string", value: "TYPE", help: "QUEUE (the default) or LOAD_BALANCER" },
  "wait-ready": {
    type: "boolean",
    help: "follow the new release until its workers run (exit 7 if they turn unhealthy)",
  },
  serverless: { type: "boolean", help: "a template for serverless endpoints" },
  category: { type: "string", value: "CATEGORY", help: "NVIDIA (the default), AMD or CPU" },
  size: { type: "string", value: "GB", help: "size in GB (a network volume can only grow)" },
  "volume-type": { type: "string", value: "TYPE", help: "STANDARD or HIGH_PERFORMANCE" },
  username: { type: "string", value: "USER", help: "the registry user name" },
  "password-stdin": {
    type: "boolean",
    help: "read the registry password from stdin (never from the command line)",
  },
  cloud: { type: "string", value: "CLOUD", help: "SECURE or COMMUNITY" },
  follow: { type: "boolean", short: "f", help: "keep printing new lines until Ctrl-C" },
  tail: { type: "string", value: "N", help: "how many past lines to print first (default 100)" },
  since: {
    type: "string",
    value: "TIME",
    help: "from this time: RFC 3339, or a duration ago such as 1h",
  },
  until: { type: "string", value: "TIME", help: "up to this time: RFC 3339, or a duration ago" },
  source: { type: "string", value: "SOURCE", help: "only container or system lines" },
  product: {
    type: "string",
    value: "PRODUCT",
    help: "availability for serverless (the default) or pod",
  },
  available: { type: "boolean", help: "only what is available now" },
  by: { type: "string", value: "BUCKET", help: "hour, day (the default), week, month or year" },
  last: { type: "string", value: "N", help: "the last N buckets, up to now (default 7)" },
} as const satisfies Record<string, OptionSpec>;

/** An option's name. */
export type OptionName = keyof typeof OPTIONS;

/** A command: its arguments, the options it takes besides the global ones, and its help. */
export interface CommandSpec {
  /** `run`, or `endpoints update` for a group's command. */
  name: string;
  /** The positional arguments, as help shows them. */
  args: string;
  /** How many positional arguments it takes: at least, at most. */
  arity: [number, number];
  summary: string;
  options: OptionName[];
  examples: string[];
  /** More help text, printed after the options. */
  details?: string;
}

/** The values of the options given, by name. */
export type Values = {
  [K in OptionName]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[]
    : (typeof OPTIONS)[K]["type"] extends "string" ? string
    : boolean;
};

/** A parsed command line. */
export interface Parsed {
  /** The command, or undefined for bare `runpod` / `runpod --help`. */
  command: CommandSpec | undefined;
  /** The positional arguments after the command's name. */
  args: string[];
  values: Values;
}

/** Parses `argv` against `commands`; throws a UsageError that says what to type instead. */
export function parse(argv: string[], commands: CommandSpec[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: OPTIONS as unknown as Record<
        string,
        { type: "string" | "boolean"; short?: string; multiple?: boolean }
      >,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, commandGuess(argv, commands)));
  }
  const { positionals, tokens } = parsed;
  const values = parsed.values as Values;
  const groupNames = new Set(
    commands.filter((c) => c.name.includes(" ")).map((c) => c.name.split(" ")[0]),
  );
  let command: CommandSpec | undefined;
  let args: string[] = [];
  const first = positionals[0];
  if (first === "help") {
    const name = positionals.slice(1, 3).join(" ");
    const target = commands.find((c) => c.name === name) ??
      commands.find((c) => c.name === positionals[1]);
    if (positionals.length > 1 && !target && !groupNames.has(positionals[1]!)) {
      throw new UsageError(unknownCommand(positionals[1]!, commands));
    }
    return {
      command: target,
      args: target ? [] : positionals.slice(1, 2),
      values: { ...values, help: true },
    };
  }
  if (first !== undefined) {
    if (groupNames.has(first)) {
      const sub = positionals[1];
      command = commands.find((c) => c.name === `${first} ${sub}`);
      if (!command) {
        if (sub === undefined || values.help) {
          return { command: undefined, args: [first], values: { ...values, help: true } };
        }
        const subs = commands.filter((c) => c.name.startsWith(`${first} `)).map((c) =>
          c.name.split(" ")[1]
        );
        throw new UsageError(
          `'${sub}' is not a command of 'runpod ${first}': use one of ${subs.join(", ")}`,
          first,
        );
      }
      args = positionals.slice(2);
    } else {
      command = commands.find((c) => c.name === first);
      if (!command) throw new UsageError(unknownCommand(first, commands));
      args = positionals.slice(1);
    }
  }
  if (values.help) return { command, args, values };
  if (command) {
    const allowed = new Set<string>(command.options);
    for (const token of tokens ?? []) {
      if (token.kind !== "option") continue;
      const spec = OPTIONS[token.name as OptionName] as OptionSpec;
      if (!spec.global && !allowed.has(token.name)) {
        throw new UsageError(
          `'runpod ${command.name}' takes no ${token.rawName} option`,
          command.name,
        );
      }
    }
    const [min, max] = command.arity;
    if (args.length < min) {
      throw new UsageError(
        `'runpod ${command.name}' needs ${command.args}, e.g. ${command.examples[0]}`,
        command.name,
      );
    }
    if (args.length > max) {
      throw new UsageError(
        `'runpod ${command.name}' takes ${
          max === 0 ? "no arguments" : `only ${command.args}`
        }, but was also given '${args.slice(max).join(" ")}'${
          args.slice(max).some((a) => a.startsWith("{")) ? " (input goes after --input)" : ""
        }`,
        command.name,
      );
    }
  }
  return { command, args, values };
}

function commandGuess(argv: string[], commands: CommandSpec[]): string | undefined {
  return commands.find((c) => argv.includes(c.name.split(" ")[0]!))?.name.split(" ")[0];
}

function parseArgsMessage(error: unknown, command: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const help = command ? `runpod ${command} --help` : "runpod --help";
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `There is no option ${unknown[1]}: ${help} lists them`;
  const missing = /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missing) {
    const spec = OPTIONS[missing[1]!.slice(2) as OptionName] as OptionSpec | undefined;
    return `Option ${missing[1]} needs a value: ${missing[1]} ${spec?.value ?? "VALUE"}`;
  }
  const noArg = /^Option '(.+?)' does not take an argument/.exec(message);
  if (noArg) return `Option ${noArg[1]} is a switch and takes no value: write just ${noArg[1]}`;
  return `${message.split(". ")[0]}: ${help} shows the right form`;
}

function unknownCommand(name: string, commands: CommandSpec[]): string {
  const tops = [...new Set(commands.map((c) => c.name.split(" ")[0]!))];
  const near = tops.find((t) => t.startsWith(name.slice(0, 3)) && name.length >= 3);
  return `'${name}' is not a runpod command${near ? `: did you mean '${near}'?` : ""} (commands: ${
    tops.join(", ")
  })`;
}

/**
 * A duration: `500ms`, `30s`, `10m`, `2h`, `7d`; a bare number is seconds.
 * Returns milliseconds.
 */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `${option} takes a duration such as 500ms, 30s, 10m, 2h or 7d, not '${text}'`,
    );
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? "s"]!;
  return Math.round(Number(match[1]) * unit);
}
