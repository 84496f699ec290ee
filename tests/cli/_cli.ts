// Runs the `runpod` command as a child process (Deno on cli/main.ts, or Node
// on the npm package's bin) against the emulator served on 127.0.0.1, and
// reads what it prints as it prints it, so tests wait on output, not on time.
import { realClock } from "../../src/clock.ts";
import { createEmulator, type Emulator, type WorkerJob } from "../../testing.ts";

export const KEY = "cli-test-key";
export const ENDPOINT = "ep-cli";
const CLI = new URL("../../cli/main.ts", import.meta.url).pathname;

/** How the command is started: the program and its first arguments. */
export interface Runner {
  name: string;
  cmd: string[];
}

/** The command run by Deno from the sources, as `deno run -A jsr:@runpod/sdk/cli` runs it. */
export const denoRunner: Runner = { name: "deno", cmd: [Deno.execPath(), "run", "-A", CLI] };

/** What the test worker does, by input. */
export interface TestInput {
  /** Wait until the test calls `release(name)` (or the job is cancelled). */
  hold?: string;
  /** Report this progress output before anything else. */
  progress?: string;
  /** Fail with this message. */
  fail?: string;
  /** Fail on the first run of the job only (a retry completes). */
  failOnce?: boolean;
  /** Yield this many stream items. */
  stream?: number;
}

/** The emulator served on 127.0.0.1 with a worker the test controls. */
export class Served implements AsyncDisposable {
  readonly emulator: Emulator<TestInput>;
  readonly baseUrl: string;
  /** The management API's base URL. */
  readonly restUrl: string;
  #server: Deno.HttpServer<Deno.NetAddr>;
  #gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  #attempts = new Map<string, number>();

  constructor(options: { workers?: number } = {}) {
    this.emulator = createEmulator<TestInput>({
      apiKey: KEY,
      endpoints: [ENDPOINT],
      workers: options.workers ?? 2,
      clock: realClock,
      worker: (job) => this.#work(job),
      // Tests poll the management API; RunPod's example quota (60 a minute) would throttle them.
      rest: { requestsPerMinute: 100_000 },
    });
    this.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen() {},
    }, this.emulator.handler);
    const origin = `http://127.0.0.1:${this.#server.addr.port}`;
    this.baseUrl = `${origin}/v2`;
    this.restUrl = `${origin}${new URL(this.emulator.restUrl).pathname}`;
  }

  #gate(name: string) {
    let gate = this.#gates.get(name);
    if (!gate) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => resolve = r);
      gate = { promise, resolve };
      this.#gates.set(name, gate);
    }
    return gate;
  }

  /** Lets the jobs held on `name` go on. */
  release(name: string): void {
    this.#gate(name).resolve();
  }

  #work(job: WorkerJob<TestInput>): Promise<unknown> | AsyncGenerator<unknown> {
    const input = job.input ?? {};
    if (typeof input.stream === "number") return this.#items(job, input.stream);
    return this.#run(job, input);
  }

  async #run(job: WorkerJob<TestInput>, input: TestInput): Promise<unknown> {
    if (input.progress) job.progress(input.progress);
    if (input.hold) {
      const gate = this.#gate(input.hold).promise;
      await new Promise<void>((resolve, reject) => {
        gate.then(resolve);
        job.signal.addEventListener("abort", () => reject(job.signal.reason), { once: true });
      });
    }
    const attempt = (this.#attempts.get(job.id) ?? 0) + 1;
    this.#attempts.set(job.id, attempt);
    if (input.fail) throw new Error(input.fail);
    if (input.failOnce && attempt === 1) throw new Error("first attempt fails");
    return { echo: job.input, attempt };
  }

  async *#items(job: WorkerJob<TestInput>, count: number) {
    for (let i = 1; i <= count; i++) {
      if (job.input?.hold && i === 2) {
        const gate = this.#gate(job.input.hold).promise;
        await new Promise<void>((resolve, reject) => {
          gate.then(resolve);
          job.signal.addEventListener("abort", () => reject(job.signal.reason), { once: true });
        });
      }
      yield { n: i };
    }
    if (job.input?.fail) throw new Error(job.input.fail);
  }

  /** The job's status in the emulator. */
  status(id: string): string | undefined {
    return this.emulator.job(id)?.status;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const gate of this.#gates.values()) gate.resolve();
    await this.#server.shutdown();
    await this.emulator.close();
  }
}

/** What a finished command left. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running command. */
export class Cli {
  stdout = "";
  stderr = "";
  readonly #child: Deno.ChildProcess;
  readonly #done: Promise<Result>;
  #waiters: (() => void)[] = [];

  constructor(runner: Runner, args: string[], options: RunOptions = {}) {
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      ...(options.served
        ? {
          RUNPOD_API_KEY: KEY,
          RUNPOD_BASE_URL: options.served.baseUrl,
          RUNPOD_REST_URL: options.served.restUrl,
        }
        : {}),
      ...options.env,
    };
    this.#child = new Deno.Command(runner.cmd[0]!, {
      args: [...runner.cmd.slice(1), ...args],
      env,
      clearEnv: true,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = this.#child.stdin.getWriter();
      writer.write(new TextEncoder().encode(options.stdin)).then(() => writer.close());
    }
    const read = async (stream: ReadableStream<Uint8Array>, key: "stdout" | "stderr") => {
      const decoder = new TextDecoder();
      for await (const chunk of stream) {
        this[key] += decoder.decode(chunk, { stream: true });
        for (const wake of this.#waiters.splice(0)) wake();
      }
    };
    this.#done = Promise.all([
      read(this.#child.stdout, "stdout"),
      read(this.#child.stderr, "stderr"),
      this.#child.status,
    ]).then(([, , status]) => {
      for (const wake of this.#waiters.splice(0)) wake();
      return { code: status.code, stdout: this.stdout, stderr: this.stderr };
    });
  }

  /** Resolves once `pattern` appears in the stream, with its match; throws if the command ends first. */
  async waitFor(key: "stdout" | "stderr", pattern: RegExp): Promise<RegExpMatchArray> {
    let ended = false;
    this.#done.then(() => ended = true);
    while (true) {
      const match = this[key].match(pattern);
      if (match) return match;
      if (ended) {
        throw new Error(
          `The command ended without printing ${pattern} on ${key}.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`,
        );
      }
      await new Promise<void>((wake) => this.#waiters.push(wake));
    }
  }

  /** Sends a signal to the command. */
  kill(signal: Deno.Signal): void {
    this.#child.kill(signal);
  }

  /** Resolves when the command ended. */
  done(): Promise<Result> {
    return this.#done;
  }
}

/** How to start a command. */
export interface RunOptions {
  /** Points the command at this emulator (RUNPOD_BASE_URL and RUNPOD_API_KEY). */
  served?: Served;
  env?: Record<string, string>;
  /** Written to the command's stdin (else stdin is /dev/null). */
  stdin?: string;
  cwd?: string;
}

/** Runs the command to its end. */
export function cli(runner: Runner, args: string[], options: RunOptions = {}): Promise<Result> {
  return new Cli(runner, args, options).done();
}

/** The job reference `ENDPOINT/JOB` that `run` noted on stderr. */
export async function queuedRef(child: Cli): Promise<{ ref: string; id: string }> {
  const match = await child.waitFor("stderr", /Queued job (\S+?)\/(\S+?)[:\s]/);
  return { ref: `${match[1]}/${match[2]}`, id: match[2]! };
}
