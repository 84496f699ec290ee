// A create's errors name what it creates, or say "an endpoint" when the body has no name.
import assert from "node:assert/strict";
import { createEmulator } from "../../../testing.ts";
import { assertRejects } from "../../_helpers/assert_rejects.ts";

Deno.test("endpoints.create() of a body without a name says 'create an endpoint', not 'undefined'", async () => {
  await using emulator = createEmulator();
  const error = await assertRejects(emulator.client().endpoints.create({} as never), TypeError);
  assert.match(error.message, /^Cannot create an endpoint: \$\.name: required/);
  await assertRejects(
    emulator.client().templates.create({ image: "x" } as never),
    TypeError,
    /^Cannot create a template: /,
  );
});
