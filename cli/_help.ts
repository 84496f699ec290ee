// Help: for the command as a whole, and for each command, with examples.
import { GLOBAL_OPTIONS, type Options, type OptionSpec } from "./_args.ts";
import type { Command } from "./_context.ts";

function optionLine([name, spec]: [string, OptionSpec]): [string, string] {
  const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${
    spec.value ? ` ${spec.value}` : ""
  }`;
  return [flag, spec.help];
}

function columns(rows: [string, string][], indent = "  "): string {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(width)}  ${b}`).join("\n");
}

/** Help for one command. */
export function commandHelp(command: Command): string {
  const own = optionLines(command.options);
  return [
    `runpod ${command.name}: ${command.summary}`,
    "",
    `Usage: runpod ${command.name}${command.args ? ` ${command.args}` : ""} [options]`,
    ...(command.details ? ["", command.details] : []),
    ...(own.length > 0 ? ["", "Options:", columns(own)] : []),
    "",
    "Global options (every command):",
    columns(globalOptions()),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
    "",
  ].join("\n");
}

/** Help's lines for a table of options: the flags, and what they do. */
export function optionLines(options: Options): [string, string][] {
  return Object.entries(options).map(optionLine);
}

function globalOptions(): [string, string][] {
  return optionLines(GLOBAL_OPTIONS);
}

/** Help for a group of commands, such as `runpod endpoints`. */
export function groupHelp(group: string, commands: Command[]): string {
  const mine = commands.filter((c) => c.name.startsWith(`${group} `));
  return [
    `runpod ${group}: ${mine.map((c) => c.name.split(" ")[1]).join(", ")}`,
    "",
    columns(mine.map((c) => [`runpod ${c.name}${c.args ? ` ${c.args}` : ""}`, c.summary])),
    "",
    `'runpod ${group} COMMAND --help' shows a command's options and examples.`,
    "",
  ].join("\n");
}

/** Help for the whole command. */
export function mainHelp(groups: { title: string; commands: Command[] }[]): string {
  return [
    "runpod: run and follow RunPod serverless jobs from a terminal or CI",
    "",
    "Usage: runpod COMMAND [ARGUMENTS] [options]",
    "",
    ...groups.flatMap(({ title, commands }) => [
      `${title}:`,
      columns(commands.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ""}`, c.summary])),
      "",
    ]),
    "Global options:",
    columns(globalOptions()),
    "",
    "Environment:",
    columns([
      ["RUNPOD_API_KEY", "the API key (or --api-key-file); never printed"],
      ["ENDPOINT_ID", "the endpoint when a command is given none"],
      ["RUNPOD_BASE_URL", "the job API's base URL (or --base-url)"],
      ["RUNPOD_REST_URL", "the management API's base URL (or --rest-url)"],
      ["NO_COLOR", "no colour"],
    ]),
    "",
    "Jobs are named ENDPOINT/JOB (as 'run --no-wait' prints them), or JOB with -e ENDPOINT.",
    "Durations: 500ms, 30s, 10m, 2h, 7d; a bare number is seconds.",
    "",
    "Exit codes:",
    columns([
      ["0", "done; the job ended COMPLETED"],
      ["1", "the job ended FAILED"],
      ["2", "usage error: nothing was sent"],
      ["3", "the job ended CANCELLED"],
      ["4", "the job ended TIMED_OUT (its executionTimeout ran out)"],
      ["5", "the local --timeout ran out (the job was cancelled if this command submitted it)"],
      ["6", "API error: an error answer, no connection, or an answer that makes no sense"],
      ["7", "--wait-ready: workers of the new release are unhealthy"],
      ["130", "interrupted by Ctrl-C (143: SIGTERM)"],
    ]),
    "",
    "Examples:",
    `  runpod --emulator run demo --input '{"seconds":3}'      try it: no key, nothing billed`,
    `  export RUNPOD_API_KEY=...`,
    `  runpod run ENDPOINT --input '{"prompt":"a horse"}'`,
    `  runpod health ENDPOINT --watch`,
    "",
    "'runpod COMMAND --help' shows a command's options and examples.",
    "",
  ].join("\n");
}
