#!/usr/bin/env node
/**
 * `runpod`: run and follow RunPod serverless jobs from a terminal or CI, on
 * the SDK's public API.
 *
 * ```sh
 * deno run -A jsr:@runpod/sdk/cli --emulator run demo --input '{"seconds":3}'
 * npx @runpod/sdk run ENDPOINT --input '{"prompt":"a horse"}'
 * ```
 *
 * `runpod --help` lists the commands, `runpod COMMAND --help` shows a command's
 * options, with examples. Importing this module runs the command.
 *
 * @module
 */
import process from "node:process";
import { exit, processIo } from "./_io.ts";
import { main } from "./_main.ts";

exit(await main(process.argv.slice(2), processIo()));
