import assert from "node:assert/strict";
import {
  jobUrlOf,
  logLevelOf,
  readConfig,
  stopUrlOf,
  takeUrlOf,
} from "../../src/worker/_config.ts";
import { pingUrlOf } from "../../src/worker/_ping.ts";
import { VERSION } from "../../mod.ts";
import { ENV } from "./_fake_runpod.ts";

Deno.test("RunPod's templates get $ID (take) and $RUNPOD_POD_ID (posts, ping) replaced everywhere, then $ID per job", () => {
  const config = readConfig({
    ...ENV,
    RUNPOD_WEBHOOK_GET_JOB: "http://h/a/$ID/job-take/$ID?gpu=x",
    RUNPOD_WEBHOOK_POST_OUTPUT: "http://h/$RUNPOD_POD_ID/job-done/$RUNPOD_POD_ID/$ID?gpu=x",
  });
  assert.equal(config.takeUrl, "http://h/a/worker-1/job-take/worker-1?gpu=x");
  assert.equal(
    jobUrlOf(config.outputTemplate!, "job-9", false),
    "http://h/worker-1/job-done/worker-1/job-9?gpu=x&isStream=false",
  );
  assert.equal(config.pingUrl, "http://runpod.test/v2/ep/ping/worker-1?gpu=NVIDIA+L4");
});

Deno.test("ids are put into the templates as they are: a $ in a job or worker id is not a replacement pattern", () => {
  const config = readConfig({ ...ENV, RUNPOD_POD_ID: "w$&1" });
  assert.equal(config.takeUrl, "http://runpod.test/v2/ep/job-take/w$&1?gpu=NVIDIA+L4");
  assert.equal(
    jobUrlOf(config.outputTemplate!, "job$$9$'", true),
    "http://runpod.test/v2/ep/job-done/w$&1/job$$9$'?gpu=NVIDIA+L4&isStream=true",
  );
});

Deno.test("a take appends batch_size (batch form) then job_in_progress, as runpod-python does", () => {
  const take = "http://h/v2/ep/job-take/w?gpu=NVIDIA+L4";
  assert.equal(takeUrlOf(take, 1, false), `${take}&job_in_progress=0`);
  assert.equal(
    takeUrlOf(take, 3, true),
    "http://h/v2/ep/job-take-batch/w?gpu=NVIDIA+L4&batch_size=3&job_in_progress=1",
  );
  assert.equal(stopUrlOf(take), "http://h/v2/ep/job-stop/w?gpu=NVIDIA+L4");
  assert.equal(takeUrlOf("http://h/job-take/w", 1, false), "http://h/job-take/w?job_in_progress=0");
});

Deno.test("the ping URL carries job_id only when jobs are in hand, and runpod_version", () => {
  assert.equal(pingUrlOf("http://h/ping/w", []), `http://h/ping/w?runpod_version=${VERSION}`);
  assert.equal(
    pingUrlOf("http://h/ping/w?gpu=x", ["a", "b"]),
    `http://h/ping/w?gpu=x&job_id=a%2Cb&runpod_version=${VERSION}`,
  );
});

Deno.test("readConfig() defaults: a random worker id, 10 s pings, INFO; a bad interval is ignored", () => {
  const config = readConfig({ RUNPOD_PING_INTERVAL: "soon" });
  assert.match(config.workerId, /^[0-9a-f-]{36}$/);
  assert.equal(config.pingInterval, 10_000);
  assert.equal(config.logLevel, "info");
  assert.equal(config.takeUrl, undefined);
  assert.equal(readConfig({ RUNPOD_PING_INTERVAL: "2500" }).pingInterval, 2500);
});

Deno.test("RUNPOD_LOG_LEVEL is read in any case, WARNING as warn, anything else as info", () => {
  assert.equal(logLevelOf("debug"), "debug");
  assert.equal(logLevelOf("WARNING"), "warn");
  assert.equal(logLevelOf("Error"), "error");
  assert.equal(logLevelOf("loud"), "info");
  assert.equal(logLevelOf(undefined), "info");
});
