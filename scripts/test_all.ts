// Runs every suite and runtime check, then prints one line of its own:
// `N passed, N failed`, summed over all of them. `npm test` runs this.
//
// Each step is a command. A step whose output has a closing count line (Deno's
// `ok | 12 passed | 0 failed` or the plain `12 passed, 0 failed`) adds those
// counts; any other step counts as one check, passed if it exits 0.

interface Step {
  name: string;
  cmd: string[];
}

const deno = Deno.execPath();
const steps: Step[] = [
  { name: "format", cmd: [deno, "fmt", "--check"] },
  { name: "lint", cmd: [deno, "lint"] },
  {
    name: "type check",
    cmd: [deno, "check", "mod.ts", "testing.ts", "testing_node.ts", "tests/", "scripts/"],
  },
  { name: "doc lint", cmd: [deno, "doc", "--lint", "mod.ts", "testing.ts", "testing_node.ts"] },
  { name: "publish dry run", cmd: [deno, "publish", "--dry-run", "--allow-dirty"] },
  {
    name: "deno tests",
    cmd: [
      deno,
      "test",
      "--sanitize-ops",
      "--sanitize-resources",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-run",
      "--allow-write",
      "--doc",
      "tests/",
      "mod.ts",
      "testing.ts",
      "testing_node.ts",
      "src/",
    ],
  },
  ...extraSteps(),
];

function extraSteps(): Step[] {
  // Steps owned by other parts of the project are listed in scripts/test_steps.json:
  // [{ "name": "...", "cmd": ["deno", "run", ...] }]; "deno" is replaced by this Deno.
  try {
    const list = JSON.parse(Deno.readTextFileSync(new URL("./test_steps.json", import.meta.url)));
    return (list as Step[]).map((s) => ({
      name: s.name,
      cmd: s.cmd.map((part) => part === "deno" ? deno : part),
    }));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
}

const only = Deno.args.length > 0 ? new Set(Deno.args) : undefined;
let passed = 0;
let failed = 0;
const summary: string[] = [];
for (const step of steps) {
  if (only && !only.has(step.name)) continue;
  console.log(`\n=== ${step.name}: ${step.cmd.slice(1).join(" ")}`);
  const started = performance.now();
  const child = new Deno.Command(step.cmd[0], {
    args: step.cmd.slice(1),
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
