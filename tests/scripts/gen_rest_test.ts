// The committed spec copy, types, operation table and body tables are what
// scripts/gen_rest.ts makes of the spec: a drift fails here, not in production.
import assert from "node:assert/strict";

Deno.test("the committed REST types and tables match what the spec generates", async () => {
  const script = new URL("../../scripts/gen_rest.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-run", script, "--check"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, text);
  assert.match(text, /match the spec/);
});
