// The command line's parser, shared by every command: the global options,
// and the checks of a line against the command it names (each command
// declares its own options beside it: see command() in _context.ts).
import { parseArgs } from "node:util";
import { closest } from "../src/_known_keys.ts";
import { UsageError } from "./_exit.ts";

/** An option: its type, short form and help text. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** The value's name in help, such as `DURATION`. */
  value?: string;
  help: string;
  /** May be given several times: the values are collected in order. */
  multiple?: boolean;
}

/** A table of options by name, as a command declares them beside itself. */
export type Options = Record<string, OptionSpec>;

/** The options every command takes, in the order help lists them. */
export const GLOBAL_OPTIONS = {
  "api-key-file": {
    type: "string",
    value: "PATH",
    help: "read the API key from this file (default: the RUNPOD_API_KEY variable)",
  },
  "base-url": {
    type: "string",
    value: "URL",
    help:
      "the job API's base URL, such as a served emulator's (default: RUNPOD_BASE_URL, else https://api.runpod.ai/v2)",
  },
  emulator: {
    type: "boolean",
    help: "run against an in-process emulator with a demo worker: no key, no GPU, nothing billed",
  },
  json: {
    type: "boolean",
    help: "print JSON: one document, or one item per line for streams and --watch",
  },
  verbose: {
    type: "boolean",
    short: "v",
    help: "print each request and its answer's status on stderr (never the key)",
  },
  quiet: {
    type: "boolean",
    short: "q",
    help: "print no notes on stderr, only errors",
  },
  "no-color": { type: "boolean", help: "no colour (also: NO_COLOR=1)" },
  help: { type: "boolean", short: "h", help: "show help" },
  version: { type: "boolean", help: "print the version" },
  timeout: {
    type: "string",
    value: "DURATION",
    help: "stop waiting after this long (exit code 5); for a single request, its time limit",
  },
  "rest-url": {
    type: "string",
    value: "URL",
    help: "the management API's base URL (default: RUNPOD_REST_URL, else https://api.runpod.io/v2)",
  },
} as const satisfies Options;

/** The value an option gives: a string, a switch, or the strings of a repeated option. */
type ValueOf<S extends OptionSpec> = S extends { multiple: true } ? string[]
  : S["type"] extends infer T ? T extends "string" ? string : boolean
  : never;

const GLOBAL_KEYS = Object.keys(GLOBAL_OPTIONS);

/** The values of the options of table `O` (and the global ones), by name. */
export type ValuesOf<O extends Options> = {
  [K in keyof (typeof GLOBAL_OPTIONS & O)]?: ValueOf<(typeof GLOBAL_OPTIONS & O)[K]>;
};

/** The values of the global options (and, loosely, of any other). */
export type Values = ValuesOf<Options>;

/** A command: its arguments, the options it takes besides the global ones, and its help. */
export interface CommandSpec<O extends Options = Options> {
  /** `run`, or `endpoints update` for a group's command. */
  name: string;
  /** The positional arguments, as help shows them. */
  args: string;
  /** How many positional arguments it takes: at least, at most. */
  arity: [number, number];
  summary: string;
  /** Its own options, in the order help lists them. */
  options: O;
  examples: string[];
  /** More help text, printed after the options. */
  details?: string;
}

/** A parsed command line. */
export interface Parsed {
  /** The command, or undefined for bare `runpod` / `runpod --help`. */
  command: CommandSpec | undefined;
  /** The positional arguments after the command's name. */
  args: string[];
  values: Values;
}

/** Every option any command takes, by name: the global ones first. Each name has one type. */
export function allOptions(commands: CommandSpec[]): Options {
  const all: Options = { ...GLOBAL_OPTIONS };
  for (const command of commands) Object.assign(all, command.options);
  return all;
}

/** Parses `argv` against `commands`; throws a UsageError that says what to type instead. */
export function parse(argv: string[], commands: CommandSpec[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: allOptions(commands) as Record<
        string,
        { type: "string" | "boolean"; short?: string; multiple?: boolean }
      >,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, argv, commands));
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
          c.name.split(" ")[1]!
        );
        const near = closest(sub, subs);
        throw new UsageError(
          `'${sub}' is not a command of 'runpod ${first}'${
            near ? `: did you mean '${near}'?` : ""
          } (use one of ${subs.join(", ")})`,
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
    for (const token of tokens ?? []) {
      if (token.kind !== "option") continue;
      if (!(token.name in GLOBAL_OPTIONS) && !(token.name in command.options)) {
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

/** The command a line names, as far as it can be told before the line parses. */
function commandIn(argv: string[], commands: CommandSpec[]): CommandSpec | undefined {
  const words = argv.filter((a) => !a.startsWith("-"));
  for (const [i, word] of words.entries()) {
    const group = commands.filter((c) => c.name.startsWith(`${word} `));
    if (group.length > 0) {
      return group.find((c) => c.name === `${word} ${words[i + 1]}`) ??
        { ...group[0]!, name: word, options: {} };
    }
    const command = commands.find((c) => c.name === word);
    if (command) return command;
  }
  return undefined;
}

function parseArgsMessage(error: unknown, argv: string[], commands: CommandSpec[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const command = commandIn(argv, commands);
  const help = command ? `runpod ${command.name} --help` : "runpod --help";
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) {
    const flag = unknown[1]!;
    const known = [...Object.keys(command?.options ?? allOptions(commands)), ...GLOBAL_KEYS];
    const near = flag.startsWith("--") ? closest(flag.slice(2), known) : undefined;
    return near === undefined
      ? `There is no option ${flag}: ${help} lists them`
      : `There is no option ${flag}: did you mean --${near}? (${help} lists them)`;
  }
  const missing = /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missing) {
    const spec = allOptions(commands)[missing[1]!.slice(2)];
    return `Option ${missing[1]} needs a value: ${missing[1]} ${spec?.value ?? "VALUE"}`;
  }
  const noArg = /^Option '(.+?)' does not take an argument/.exec(message);
  if (noArg) return `Option ${noArg[1]} is a switch and takes no value: write just ${noArg[1]}`;
  return `${message.split(". ")[0]}: ${help} shows the right form`;
}

function unknownCommand(name: string, commands: CommandSpec[]): string {
  const tops = [...new Set(commands.map((c) => c.name.split(" ")[0]!))];
  const near = closest(name, tops) ??
    tops.find((t) => t.startsWith(name.slice(0, 3)) && name.length >= 3);
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

/** The options `names` of `table`, in that order (for commands that share options). */
export function pick<T extends Options, K extends keyof T & string>(
  table: T,
  ...names: K[]
): Pick<T, K> {
  return Object.fromEntries(names.map((name) => [name, table[name]])) as Pick<T, K>;
}
