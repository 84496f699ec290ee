// The `runpod` command run by Deno from cli/main.ts (as `deno run -A jsr:@runpod/sdk/cli`).
import { denoRunner } from "./_cli.ts";
import { jobCases } from "./_job_cases.ts";
import { manageCases } from "./_manage_cases.ts";

jobCases(denoRunner);
manageCases(denoRunner);
