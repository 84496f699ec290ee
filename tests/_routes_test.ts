// What a 404 advises depends on the route: an endpoint route names the
// endpoint id; only a job route mentions that results expire.
import assert from "node:assert/strict";
import { RunpodApiError } from "../mod.ts";
import { createEmulator } from "../testing.ts";
import { assertRejects } from "./_helpers/assert_rejects.ts";

Deno.test("a 404 from /run on an unknown endpoint says to check the endpoint id, not that results expire", async () => {
  await using emulator = createEmulator();
  const endpoint = emulator.client().endpoint("no-such-endpoint");
  for (const call of [() => endpoint.run({ input: 1 }), () => endpoint.health()]) {
    const error = await assertRejects(call, RunpodApiError);
    assert.equal(error.status, 404);
    assert.match(error.message, /\(check the endpoint id, as the RunPod console shows it\)$/);
    assert.doesNotMatch(error.message, /expire/);
  }
});

Deno.test("a 404 from /status still says that results expire 30 min after /run", async () => {
  await using emulator = createEmulator();
  const error = await assertRejects(
    emulator.client().endpoint("test-endpoint").status("no-such-job"),
    RunpodApiError,
  );
  assert.match(error.message, /check the endpoint and job ids; results expire 30 min after \/run/);
});
