// The job commands: run, status, wait, stream, cancel, retry, purge, health.
import { delay, type EndpointHealth, type JobPolicy, type RunRequest } from "../mod.ts";
import { type Options, parseDuration, pick } from "./_args.ts";
import {
  callOf,
  type Command,
  command,
  type Context,
  ENDPOINT_OPTION,
  endpointOf,
  EXECUTION_TIMEOUT_OPTION,
  INTERVAL_OPTION,
  jobOf,
  readJsonArg,
  timeoutOf,
} from "./_context.ts";
import { EXIT, UsageError } from "./_exit.ts";
import { cancelJob, detail, streamJob, waitJob } from "./_follow.ts";
import { cell, formatDuration, formatPairs, formatTable } from "./_output.ts";

/** The job its first argument names (ENDPOINT/JOB, or JOB with -e), and the client's endpoint. */
async function jobEndpointOf(ctx: Context<typeof ENDPOINT_OPTION>) {
  const { endpointId, jobId } = jobOf(ctx, ctx.args[0]!);
  const endpoint = (await ctx.client([endpointId])).runpod.endpoint(endpointId);
  return { endpoint, endpointId, jobId };
}

/** The options of `run`: the job, how to wait for it. */
const RUN_OPTIONS = {
  ...ENDPOINT_OPTION,
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
  ...EXECUTION_TIMEOUT_OPTION,
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
} as const satisfies Options;

const run = command({
  name: "run",
  args: "ENDPOINT",
  arity: [0, 1],
  summary: "submit a job, wait for it and print its output",
  options: RUN_OPTIONS,
  examples: [
    `runpod run ENDPOINT --input '{"prompt":"a horse"}'`,
    `echo '{"prompt":"a horse"}' | runpod run ENDPOINT --json | jq .output`,
    `runpod run ENDPOINT --input @job.json --execution-timeout 10m --timeout 15m`,
    `runpod run ENDPOINT --input '{"stream":5}' --stream`,
    `job=$(runpod run ENDPOINT --input @job.json --no-wait) && runpod wait "$job"`,
    `runpod --emulator run demo --input '{"seconds":3}'`,
  ],
  details: `The input is --input's JSON, a file (--input @job.json), or stdin when it is piped.
Prints the job's output (a string as it is, anything else as JSON), or the whole
job with --json. --no-wait prints ENDPOINT/JOB, which status, wait, stream, cancel
and retry take. --stream prints each stream item's output on its own line (the
whole item with --json). Ctrl-C, SIGTERM or --timeout while waiting cancels the job
(--no-cancel-on-exit keeps it running). The exit code is the job's status: 0
COMPLETED, 1 FAILED, 3 CANCELLED, 4 TIMED_OUT.`,
  async run(ctx) {
    const endpointId = endpointOf(ctx, ctx.args[0]);
    const modes = (["wait", "no-wait", "stream"] as const).filter((m) => ctx.values[m]);
    if (modes.length > 1) {
      throw new UsageError(
        `--${modes[0]} and --${modes[1]} do not go together: keep one`,
        "run",
      );
    }
    const mode = modes[0] ?? "wait";
    const request: RunRequest = { input: await inputOf(ctx) };
    const policy = await policyOf(ctx);
    if (policy) request.policy = policy;
    if (ctx.values.webhook !== undefined) request.webhook = ctx.values.webhook;
    const timeout = timeoutOf(ctx);
    const started = Date.now();
    const client = await ctx.client([endpointId]);
    const endpoint = client.runpod.endpoint(endpointId);
    // Not aborted by Ctrl-C: a job submitted in the meantime could not be named to cancel it.
    const handle = await endpoint.run(request, timeout === undefined ? {} : { timeout });
    const ref = `${endpointId}/${handle.id}`;
    if (mode === "no-wait") {
      if (ctx.printer.json) ctx.printer.printJson({ endpointId, ...handle });
      else ctx.printer.data(ref);
      ctx.printer.note(`Queued job ${ref}: 'runpod wait ${ref}' waits for it`);
      return EXIT.ok;
    }
    const keep = ctx.values["no-cancel-on-exit"] === true;
    ctx.printer.note(`Queued job ${ref}${keep ? "" : " (Ctrl-C cancels it)"}`);
    if (ctx.stop.stopped) {
      if (keep) {
        ctx.printer.err(`Interrupted by ${ctx.stop.what}: job ${ref} keeps running`);
      } else {
        ctx.printer.err(`Interrupted by ${ctx.stop.what}: cancelling job ${ref}`);
        await cancelJob(ctx, endpoint, handle.id);
      }
      return ctx.stop.code;
    }
    const left = timeout === undefined ? undefined : Math.max(1, timeout - (Date.now() - started));
    const follow = mode === "stream" ? streamJob : waitJob;
    return await follow(ctx, endpoint, handle.id, {
      submitted: true,
      timeout: left,
      limit: timeout,
    });
  },
});

async function inputOf(ctx: Context<typeof RUN_OPTIONS>): Promise<unknown> {
  const given = ctx.values.input;
  if (given !== undefined) return await readJsonArg(ctx, given, "--input");
  if (ctx.io.stdinIsTTY) {
    throw new UsageError(
      `The job needs an input: --input '{"prompt":"a horse"}', --input @job.json, or pipe JSON on stdin`,
      "run",
    );
  }
  return await readJsonArg(ctx, "-", "--input");
}

async function policyOf(ctx: Context<typeof RUN_OPTIONS>): Promise<JobPolicy | undefined> {
  let policy: JobPolicy | undefined;
  if (ctx.values.policy !== undefined) {
    const value = await readJsonArg(ctx, ctx.values.policy, "--policy");
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new UsageError(
        `--policy takes a JSON object, e.g. --policy '{"executionTimeout":600000,"ttl":3600000}'`,
        "run",
      );
    }
    policy = { ...value as JobPolicy };
  }
  const execution = ctx.values["execution-timeout"];
  if (execution !== undefined) {
    policy = { ...policy, executionTimeout: parseDuration(execution, "--execution-timeout") };
  }
  if (ctx.values.ttl !== undefined) {
    policy = { ...policy, ttl: parseDuration(ctx.values.ttl, "--ttl") };
  }
  if (ctx.values["low-priority"]) policy = { ...policy, lowPriority: true };
  return policy;
}

const status = command({
  name: "status",
  args: "JOB",
  arity: [1, 1],
  summary: "show a job as it is now",
  options: ENDPOINT_OPTION,
  examples: ["runpod status ENDPOINT/JOB", "runpod status JOB -e ENDPOINT --json"],
  details: "Exits 0 whatever the job's status is (wait exits with the status).",
  async run(ctx) {
    const { endpoint, endpointId, jobId } = await jobEndpointOf(ctx);
    const job = await endpoint.status(jobId, callOf(ctx));
    const { printer } = ctx;
    if (printer.json) {
      printer.printJson(job);
      return EXIT.ok;
    }
    const pairs: [string, string][] = [
      ["job", `${endpointId}/${job.id}`],
      ["status", printer.status(printer.stdout, job.status)],
    ];
    if (typeof job.delayTime === "number") pairs.push(["queued", formatDuration(job.delayTime)]);
    if (typeof job.executionTime === "number") {
      pairs.push(["ran", formatDuration(job.executionTime)]);
    }
    if (typeof job.workerId === "string") pairs.push(["worker", job.workerId]);
    if (job.output !== undefined) pairs.push(["output", cell(job.output)]);
    if (job.error !== undefined) pairs.push(["error", detail(job.error).slice(2)]);
    printer.data(formatPairs(pairs));
    return EXIT.ok;
  },
});

const wait = command({
  name: "wait",
  args: "JOB",
  arity: [1, 1],
  summary: "wait for a job to end and print its output",
  options: ENDPOINT_OPTION,
  examples: ["runpod wait ENDPOINT/JOB", "runpod wait JOB -e ENDPOINT --timeout 10m --json"],
  details: `Prints the output (the whole job with --json); the exit code is the job's status.
Ctrl-C stops waiting and leaves the job running.`,
  async run(ctx) {
    const { endpoint, jobId } = await jobEndpointOf(ctx);
    return await waitJob(ctx, endpoint, jobId, { submitted: false, timeout: timeoutOf(ctx) });
  },
});

const stream = command({
  name: "stream",
  args: "JOB",
  arity: [1, 1],
  summary: "print a job's stream items as they come, one a line",
  options: ENDPOINT_OPTION,
  examples: ["runpod stream ENDPOINT/JOB", "runpod stream ENDPOINT/JOB --json | jq -c .output"],
  details: `Prints each item's output on its own line (a string as it is, anything else as
JSON), or each whole item as one JSON line with --json. RunPod hands out each item
once: items another reader took are not shown again.`,
  async run(ctx) {
    const { endpoint, jobId } = await jobEndpointOf(ctx);
    return await streamJob(ctx, endpoint, jobId, { submitted: false, timeout: timeoutOf(ctx) });
  },
});

const cancel = command({
  name: "cancel",
  args: "JOB",
  arity: [1, 1],
  summary: "cancel a job",
  options: ENDPOINT_OPTION,
  examples: ["runpod cancel ENDPOINT/JOB"],
  async run(ctx) {
    const { endpoint, endpointId, jobId } = await jobEndpointOf(ctx);
    const handle = await endpoint.cancel(jobId, callOf(ctx));
    if (ctx.printer.json) ctx.printer.printJson({ endpointId, ...handle });
    else ctx.printer.data(`${endpointId}/${handle.id} ${handle.status}`);
    return EXIT.ok;
  },
});

const retry = command({
  name: "retry",
  args: "JOB",
  arity: [1, 1],
  summary: "queue a FAILED or TIMED_OUT job again",
  options: pick(RUN_OPTIONS, "endpoint", "wait", "stream", "no-cancel-on-exit"),
  examples: ["runpod retry ENDPOINT/JOB", "runpod retry ENDPOINT/JOB --wait"],
  details: `Prints ENDPOINT/JOB and its new status; --wait then waits for it like run does
(Ctrl-C cancels it unless --no-cancel-on-exit), --stream prints its stream.`,
  async run(ctx) {
    const { endpointId, jobId } = jobOf(ctx, ctx.args[0]!);
    if (ctx.values.wait && ctx.values.stream) {
      throw new UsageError("--wait and --stream do not go together: keep one", "retry");
    }
    const endpoint = (await ctx.client([endpointId])).runpod.endpoint(endpointId);
    const timeout = timeoutOf(ctx);
    const handle = await endpoint.retry(jobId, timeout === undefined ? {} : { timeout });
    const ref = `${endpointId}/${handle.id}`;
    if (ctx.values.wait || ctx.values.stream) {
      ctx.printer.note(`Requeued job ${ref}: ${handle.status}`);
      const follow = ctx.values.stream ? streamJob : waitJob;
      return await follow(ctx, endpoint, handle.id, { submitted: true, timeout });
    }
    if (ctx.printer.json) ctx.printer.printJson({ endpointId, ...handle });
    else ctx.printer.data(`${ref} ${handle.status}`);
    return EXIT.ok;
  },
});

const purge = command({
  name: "purge",
  args: "ENDPOINT",
  arity: [0, 1],
  summary: "remove every queued job of an endpoint (running jobs go on)",
  options: ENDPOINT_OPTION,
  examples: ["runpod purge ENDPOINT"],
  async run(ctx) {
    const endpointId = endpointOf(ctx, ctx.args[0]);
    const endpoint = (await ctx.client([endpointId])).runpod.endpoint(endpointId);
    const result = await endpoint.purgeQueue(callOf(ctx));
    if (ctx.printer.json) ctx.printer.printJson(result);
    else ctx.printer.data(`${result.removed} queued jobs removed from ${endpointId}`);
    return EXIT.ok;
  },
});

const health = command({
  name: "health",
  args: "ENDPOINT",
  arity: [0, 1],
  summary: "show an endpoint's queue and workers",
  options: {
    ...ENDPOINT_OPTION,
    watch: { type: "boolean", short: "w", help: "keep showing it, refreshed, until Ctrl-C" },
    ...INTERVAL_OPTION,
  },
  examples: [
    "runpod health ENDPOINT",
    "runpod health ENDPOINT --watch",
    "runpod health ENDPOINT --watch --json --interval 10s > health.ndjson",
  ],
  details: `--watch reads /health every --interval (2 s) until Ctrl-C (exit 0): on a terminal
it redraws in place; otherwise it prints a line (a JSON line with --json) each time
the numbers change, stamped with the time.`,
  async run(ctx) {
    const endpointId = endpointOf(ctx, ctx.args[0]);
    const endpoint = (await ctx.client([endpointId])).runpod.endpoint(endpointId);
    const { printer } = ctx;
    if (!ctx.values.watch) {
      if (ctx.values.interval !== undefined) {
        throw new UsageError("--interval goes with --watch", "health");
      }
      const answer = await endpoint.health(callOf(ctx));
      if (printer.json) printer.printJson(answer);
      else printer.data(healthTables(answer));
      return EXIT.ok;
    }
    const every = parseDuration(ctx.values.interval ?? "2s", "--interval");
    if (every < 100) throw new UsageError("--interval must be at least 100ms", "health");
    const redraw = printer.stdout.isTTY && !printer.json;
    let previous: string | undefined;
    let lines = 0;
    try {
      while (true) {
        const answer = await endpoint.health(callOf(ctx));
        const at = new Date().toISOString();
        if (redraw) {
          const text = `${endpointId} at ${at.slice(11, 19)}, every ${
            formatDuration(every)
          } (Ctrl-C stops)\n\n${healthTables(answer)}`;
          printer.stdout.write(`${lines > 0 ? `\x1b[${lines}A\x1b[J` : ""}${text}\n`);
          lines = text.split("\n").length;
        } else {
          const key = JSON.stringify(answer);
          if (key !== previous) {
            previous = key;
            if (printer.json) printer.printJsonLine({ at, ...answer });
            else printer.data(`${at}  ${healthLine(answer)}`);
          }
        }
        await delay(every, { signal: ctx.stop.signal });
      }
    } catch (error) {
      if (ctx.stop.stopped) return EXIT.ok;
      throw error;
    }
  },
});

function healthTables(answer: EndpointHealth): string {
  const jobs = answer.jobs;
  const workers = answer.workers;
  const jobKeys = ["inQueue", "inProgress", "completed", "failed", "retried"];
  const workerKeys = ["idle", "running", "initializing", "ready", "throttled", "unhealthy"];
  const ordered = (o: Record<string, number>, first: string[]) => [
    ...first.filter((k) => k in o),
    ...Object.keys(o).filter((k) => !first.includes(k)),
  ];
  const jk = ordered(jobs, jobKeys);
  const wk = ordered(workers, workerKeys);
  return [
    formatTable(["JOBS", ...jk.map(label)], [["", ...jk.map((k) => String(jobs[k]))]]),
    formatTable(["WORKERS", ...wk.map(label)], [["", ...wk.map((k) => String(workers[k]))]]),
  ].join("\n\n");
}

function healthLine(answer: EndpointHealth): string {
  const pairs = (o: Record<string, number>) =>
    Object.entries(o).map(([k, v]) => `${label(k).toLowerCase()} ${v}`).join(", ");
  return `jobs: ${pairs(answer.jobs)}; workers: ${pairs(answer.workers)}`;
}

/** `inProgress` → `IN PROGRESS`. */
function label(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
}

/** The job commands. */
export const JOB_COMMANDS: Command[] = [run, status, wait, stream, cancel, retry, purge, health];
