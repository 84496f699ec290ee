// Request bodies from options: the SDK's body errors in the command's words.
import assert from "node:assert/strict";
import { CONTAINER_FLAGS, flagMessage } from "../../cli/_body.ts";

const FLAGS = {
  ...CONTAINER_FLAGS,
  "gpu.count": "--gpu-count",
  "cpu.vcpuCount": "--vcpu",
  "workers.idleTimeout": "--idle-timeout",
  gpu: "--gpu",
};

Deno.test("flagMessage() names the option for each body path, and for the field a rule names", () => {
  assert.equal(
    flagMessage("Cannot create endpoint 'x': $.image: required without templateId", FLAGS),
    "Cannot create endpoint 'x': --image: required without --template",
  );
  assert.equal(
    flagMessage(
      "$.workers.idleTimeout: must be at most 3600; $.cpu[0].vcpuCount: must be at least 2",
      FLAGS,
    ),
    "--idle-timeout: must be at most 3600; --vcpu: must be at least 2",
  );
});

Deno.test("flagMessage() keeps the path of a field no option gives (it came from --body)", () => {
  assert.equal(flagMessage("$: unknown field 'bogus'", FLAGS), "$: unknown field 'bogus'");
  assert.equal(flagMessage("$.scaling.type: required", FLAGS), "$.scaling.type: required");
  // Under an option's field, the option and the path inside it.
  assert.equal(
    flagMessage("$.gpu.pools[1]: must be one of A, B", FLAGS),
    "--gpu $.gpu.pools[1]: must be one of A, B",
  );
});
