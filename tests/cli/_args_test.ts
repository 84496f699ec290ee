// The parser against the real command table: unknown options, and the
// options' table itself. In-process; the spawned cases are in _job_cases.ts.
import assert from "node:assert/strict";
import { allOptions, GLOBAL_OPTIONS, parse } from "../../cli/_args.ts";
import { UsageError } from "../../cli/_exit.ts";
import { GROUPS } from "../../cli/_main.ts";

const COMMANDS = GROUPS.flatMap((g) => g.commands);

function usageError(argv: string[]): string {
  try {
    parse(argv, COMMANDS);
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail(`${argv.join(" ")} parsed`);
}

Deno.test("an unknown option names the closest option of the command in hand", () => {
  assert.equal(
    usageError(["run", "ep", "--inptu", "{}"]),
    "There is no option --inptu: did you mean --input? (runpod run --help lists them)",
  );
  assert.equal(
    usageError(["endpoints", "create", "--nmae", "x"]),
    "There is no option --nmae: did you mean --name? (runpod endpoints create --help lists them)",
  );
  assert.equal(
    usageError(["pods", "create", "--gpu-cont", "2"]),
    "There is no option --gpu-cont: did you mean --gpu-count? (runpod pods create --help lists them)",
  );
  assert.equal(
    usageError(["health", "ep", "--wacth"]),
    "There is no option --wacth: did you mean --watch? (runpod health --help lists them)",
  );
});

Deno.test("an unknown option close to a global option suggests it, whatever the command", () => {
  assert.equal(
    usageError(["status", "ep/job", "--jsno"]),
    "There is no option --jsno: did you mean --json? (runpod status --help lists them)",
  );
  assert.equal(
    usageError(["--verbsoe"]),
    "There is no option --verbsoe: did you mean --verbose? (runpod --help lists them)",
  );
});

Deno.test("an unknown option suggests nothing that the command in hand does not take", () => {
  // --input belongs to run, not to status.
  assert.equal(
    usageError(["status", "ep/job", "--inptu"]),
    "There is no option --inptu: runpod status --help lists them",
  );
  assert.equal(
    usageError(["run", "ep", "--zzzzzz"]),
    "There is no option --zzzzzz: runpod run --help lists them",
  );
  // An option of another command stays refused by name.
  assert.equal(
    usageError(["status", "ep/job", "--input", "{}"]),
    "'runpod status' takes no --input option",
  );
});

Deno.test("an option name is the same option in every command that takes it", () => {
  const seen = new Map<string, { spec: unknown; where: string }>(
    Object.entries(GLOBAL_OPTIONS).map(([name, spec]) => [name, { spec, where: "global" }]),
  );
  for (const command of COMMANDS) {
    for (const [name, spec] of Object.entries(command.options)) {
      const before = seen.get(name);
      if (before) {
        assert.deepEqual(spec, before.spec, `--${name} of ${command.name} and of ${before.where}`);
      } else seen.set(name, { spec, where: command.name });
    }
  }
  assert.deepEqual(Object.keys(allOptions(COMMANDS)).sort(), [...seen.keys()].sort());
});

Deno.test("no command declares a global option as its own, nor two options the same short form", () => {
  for (const command of COMMANDS) {
    for (const name of Object.keys(command.options)) {
      assert.ok(!(name in GLOBAL_OPTIONS), `${command.name} declares the global --${name}`);
    }
    const shorts = Object.values({ ...GLOBAL_OPTIONS, ...command.options })
      .map((spec) => (spec as { short?: string }).short)
      .filter((s) => s !== undefined);
    assert.equal(new Set(shorts).size, shorts.length, `${command.name}: ${shorts.join(" ")}`);
  }
});

Deno.test("an unknown command or group command names the closest one", () => {
  assert.match(usageError(["runn"]), /^'runn' is not a runpod command: did you mean 'run'\?/);
  assert.match(usageError(["endpoint", "ls"]), /did you mean 'endpoints'\?/);
  assert.equal(
    usageError(["endpoints", "lst"]),
    "'lst' is not a command of 'runpod endpoints': did you mean 'ls'? (use one of ls, get, create, update, rm, workers, releases, logs)",
  );
  assert.equal(
    usageError(["endpoints", "frob"]),
    "'frob' is not a command of 'runpod endpoints' (use one of ls, get, create, update, rm, workers, releases, logs)",
  );
});
