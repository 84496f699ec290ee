// parseWorkerError() reads what RunPod's Python workers really send (issue 10).
import assert from "node:assert/strict";
import { JobError, parseWorkerError } from "../../mod.ts";
import { setup } from "../_helpers/setup.ts";

// runpod-python's report for a handler that raises ValueError (rp_job.py).
const REPORT = {
  error_type: "<class 'ValueError'>",
  error_message: "prompt is empty",
  error_traceback:
    'Traceback (most recent call last):\n  File "handler.py", line 9, in handler\n    raise ValueError("prompt is empty")\nValueError: prompt is empty\n',
  hostname: "4f9a2c1e",
  worker_id: "4f9a2c1e",
  runpod_version: "1.7.9",
};
const GENERATOR =
  'handler: prompt is empty \ntraceback: Traceback (most recent call last):\n  File "handler.py", line 12, in handler\n    raise ValueError("prompt is empty")\nValueError: prompt is empty\n';

Deno.test("parseWorkerError() reads a raising handler's JSON string and gives the bare class name", async () => {
  await using t = setup({ worker: () => ({ error: JSON.stringify(REPORT) }) });
  const job = await t.endpoint.runSync({ input: 1 });
  const report = parseWorkerError(job.error);
  assert.equal(report?.type, "ValueError");
  assert.equal(report?.error_type, "<class 'ValueError'>");
  assert.equal(report?.error_message, "prompt is empty");
  assert.equal(report?.worker_id, "4f9a2c1e");
});

Deno.test("parseWorkerError() reads a generator's 'handler: ... traceback: ...' string", async () => {
  await using t = setup({ worker: () => ({ error: GENERATOR }) });
  const job = await t.endpoint.runSync({ input: 1 });
  const report = parseWorkerError(job.error);
  assert.equal(report?.error_message, "prompt is empty");
  assert.match(String(report?.error_traceback), /^Traceback \(most recent call last\):/);
  assert.equal(report?.type, "ValueError");
});

Deno.test("parseWorkerError() keeps a dotted class's last name, and leaves other text alone", () => {
  assert.equal(
    parseWorkerError({ error_type: "<class 'torch.cuda.OutOfMemoryError'>", error_message: "x" })
      ?.type,
    "OutOfMemoryError",
  );
  assert.equal(parseWorkerError({ error_type: "ValueError" })?.type, "ValueError");
  assert.equal(parseWorkerError("CUDA out of memory"), undefined);
  assert.equal(parseWorkerError(42), undefined);
});

Deno.test("a streamed job's JobError names the bare class and the message", () => {
  const error = new JobError({ jobId: "j", status: "FAILED", error: JSON.stringify(REPORT) });
  assert.equal(error.message, "Job 'j' ended FAILED: ValueError: prompt is empty");
});
