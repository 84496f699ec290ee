// The command, runnable in-process: parses the line, runs the command,
// turns errors into a message and an exit code.
import { VERSION } from "../mod.ts";
import { parse } from "./_args.ts";
import { chatCommand } from "./_chat.ts";
import { type Client, openClient } from "./_client.ts";
import type { Command, Context } from "./_context.ts";
import { devCommand } from "./_dev.ts";
import { emulatorCommand } from "./_emulator_command.ts";
import { describeFailure, EXIT } from "./_exit.ts";
import { commandHelp, groupHelp, mainHelp } from "./_help.ts";
import type { Io } from "./_io.ts";
import { ENDPOINT_COMMANDS } from "./_endpoints.ts";
import { billingCommand } from "./_billing.ts";
import { gpusCommand } from "./_gpus.ts";
import { JOB_COMMANDS } from "./_jobs.ts";
import { POD_COMMANDS } from "./_pods.ts";
import { REGISTRY_COMMANDS } from "./_registries.ts";
import { TEMPLATE_COMMANDS } from "./_templates.ts";
import { VOLUME_COMMANDS } from "./_volumes.ts";
import { Printer } from "./_output.ts";
import { Stopper } from "./_stop.ts";

/** The commands, grouped as the main help lists them. */
export const GROUPS: { title: string; commands: Command[] }[] = [
  { title: "Jobs", commands: [...JOB_COMMANDS, chatCommand] },
  {
    title: "Management",
    commands: [
      ...ENDPOINT_COMMANDS,
      ...TEMPLATE_COMMANDS,
      ...VOLUME_COMMANDS,
      ...REGISTRY_COMMANDS,
      ...POD_COMMANDS,
      gpusCommand,
      billingCommand,
    ],
  },
  { title: "Local", commands: [emulatorCommand, devCommand] },
];

const COMMANDS: Command[] = GROUPS.flatMap((g) => g.commands);

/** Runs the command line `argv` (without the program's name); resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let printer = new Printer(io, {});
  try {
    const { command, args, values } = parse(argv, COMMANDS);
    printer = new Printer(io, {
      json: values.json,
      quiet: values.quiet,
      verbose: values.verbose,
      noColour: values["no-color"],
    });
    if (values.version) {
      printer.data(VERSION);
      return EXIT.ok;
    }
    if (!command) {
      const group = args[0];
      const text = group ? groupHelp(group, COMMANDS) : mainHelp(GROUPS);
      if (values.help) {
        printer.data(text);
        return EXIT.ok;
      }
      printer.err(text);
      return EXIT.usage;
    }
    if (values.help) {
      printer.data(commandHelp(command as Command));
      return EXIT.ok;
    }
    using stop = new Stopper(io);
    let client: Promise<Client> | undefined;
    const ctx: Context = {
      io,
      printer,
      values,
      args,
      command,
      stop,
      client: (endpointIds = []) => client ??= openClient(io, printer, values, endpointIds),
    };
    try {
      return await (command as Command).run(ctx);
    } catch (error) {
      if (stop.stopped) {
        printer.err(`Interrupted by ${stop.what}`);
        return stop.code;
      }
      throw error;
    } finally {
      if (client) await (await client.catch(() => undefined))?.[Symbol.asyncDispose]();
    }
  } catch (error) {
    const { message, code } = describeFailure(error, printer.verbose);
    printer.err(`runpod: ${message}`);
    return code;
  }
}
