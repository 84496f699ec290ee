// Runs every check and test step, then prints one line of its own:
// `N passed, N failed`, summed over all of them. `npm test` runs this.
//
// The steps are the deno.json tasks named `check:*` or `test:*` (except
// `test:all`, which runs this), in the order deno.json lists them: deno.json is
// the one list of checks. Each step runs as `deno task <name>`. A step whose
// output has a closing count line (Deno's `ok | 12 passed | 0 failed` or the
// plain `12 passed, 0 failed`) adds those counts; any other step counts as one
// check, passed if it exits 0.
//
//   deno task test:all                       every step
//   deno task test:all test:unit check:lint  only the named steps
//   deno task test:all "check:*"             the steps whose name starts with "check:"

interface Step {
  name: string;
  /** The task's command, as deno.json writes it (for the log). */
  command: string;
}

const SELF = "test:all";
const root = new URL("../", import.meta.url);

/** The check:* and test:* tasks of deno.json, in its order. */
function stepsFromTasks(): Step[] {
  const config = JSON.parse(Deno.readTextFileSync(new URL("deno.json", root)));
  const tasks: Record<string, string | { command: string }> = config.tasks ?? {};
  return Object.entries(tasks)
    .filter(([name]) => /^(check|test):/.test(name) && name !== SELF)
    .map(([name, task]) => ({ name, command: typeof task === "string" ? task : task.command }));
}

/** Whether a step name matches an argument: the exact name, or a prefix ending in `*`. */
const matches = (name: string, arg: string) =>
  arg.endsWith("*") ? name.startsWith(arg.slice(0, -1)) : name === arg;

const steps = stepsFromTasks();
const unknown = Deno.args.filter((arg) => !steps.some((step) => matches(step.name, arg)));
if (unknown.length > 0) {
  console.log(`No such step: ${unknown.join(", ")}. Steps: ${steps.map((s) => s.name).join(", ")}`);
  console.log("0 passed, 1 failed");
  Deno.exit(1);
}
const selected = steps.filter((step) =>
  Deno.args.length === 0 || Deno.args.some((arg) => matches(step.name, arg))
);

let passed = 0;
let failed = 0;
const summary: string[] = [];
for (const step of selected) {
  console.log(`\n=== ${step.name}: ${step.command.replaceAll("$(which deno)", "deno")}`);
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", step.name],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const [out, err, status] = await Promise.all([
    pipe(child.stdout, Deno.stdout),
    pipe(child.stderr, Deno.stderr),
    child.status,
  ]);
  const counts = readCounts(out + "\n" + err);
  const p = counts?.passed ?? (status.success ? 1 : 0);
  let f = counts?.failed ?? (status.success ? 0 : 1);
  if (!status.success && f === 0) f = 1; // a crash after a clean count still fails
  passed += p;
  failed += f;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  summary.push(
    `${f === 0 ? "ok  " : "FAIL"} ${step.name}: ${p} passed, ${f} failed (${seconds} s)`,
  );
}
console.log("\n" + summary.join("\n"));
console.log(`${passed} passed, ${failed} failed`);
Deno.exit(failed === 0 ? 0 : 1);

async function pipe(
  from: ReadableStream<Uint8Array>,
  to: { write(p: Uint8Array): Promise<number> },
) {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of from) {
    text += decoder.decode(chunk, { stream: true });
    let written = 0;
    while (written < chunk.length) written += await to.write(chunk.subarray(written));
  }
  return text;
}

/** The last closing count line in a step's output, summed if several runners print one. */
function readCounts(text: string): { passed: number; failed: number } | undefined {
  let found: { passed: number; failed: number } | undefined;
  for (const line of text.split("\n")) {
    const deno = /^(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed/.exec(
      line.trim(),
    );
    const plain = /^(?:\w+: )?(\d+) passed, (\d+) failed(?:, \d+ skipped)?$/.exec(line.trim());
    const m = deno ?? plain;
    if (m) found = { passed: Number(m[1]), failed: Number(m[2]) };
  }
  return found;
}
