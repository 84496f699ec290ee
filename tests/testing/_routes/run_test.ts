import assert from "node:assert/strict";
import { createEmulator, FakeClock } from "../../../testing.ts";
import { client } from "../../_helpers/raw_client.ts";

Deno.test("a /run body that is not a JSON object answers 400", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock });
  const api = client(emulator);
  for (const body of ["{not json", "[1]", "null", '"input"', ""]) {
    for (const route of ["/run", "/runsync"]) {
      const answer = await api.post(route, body);
      assert.equal(answer.status, 400, `${route} ${body}`);
      assert.equal(typeof answer.body.error, "string");
    }
  }
  assert.equal((await api.post("/run", { input: 1, webhook: 42 })).status, 400);
  assert.equal(emulator.jobs.length, 0);
  assert.equal((await api.post("/run", { input: null })).status, 200);
});

Deno.test("a body over 10 MB answers 413 on /run, over 20 MB on /runsync", async () => {
  using clock = new FakeClock();
  await using emulator = createEmulator({ clock, worker: () => "ok" });
  const api = client(emulator);
  const MB = 1024 * 1024;
  const body = (size: number) => `{"input":"${"x".repeat(size - 12)}"}`;
  assert.equal(body(10 * MB).length, 10 * MB);
  assert.equal((await api.post("/run", body(10 * MB))).status, 200);
  const tooBig = await api.post("/run", body(10 * MB + 1));
  assert.equal(tooBig.status, 413);
  assert.match(tooBig.body.error, /too large/);
  assert.equal((await api.post("/runsync", body(10 * MB + 1))).status, 200);
  assert.equal((await api.post("/runsync", body(20 * MB + 1))).status, 413);
  assert.equal(emulator.jobs.length, 2);
});
