// What the job commands print of a FAILED job's error (`detail`).
import assert from "node:assert/strict";
import { detail } from "../../cli/_follow.ts";

const report = (type: string, message: string) =>
  JSON.stringify({
    error_type: type,
    error_message: message,
    error_traceback: `Traceback (most recent call last):\n  ...\n${message}\n`,
    hostname: "worker-1",
  });

Deno.test("detail() prints a worker's error as the bare class name and the message", () => {
  assert.equal(detail(report("<class 'ValueError'>", "bad prompt")), ": ValueError: bad prompt");
  assert.equal(
    detail(report("<class 'torch.OutOfMemoryError'>", "CUDA out of memory")),
    ": OutOfMemoryError: CUDA out of memory",
  );
});

Deno.test("detail() prints the message alone when the class is the generic Error or Exception", () => {
  assert.equal(detail(report("<class 'Error'>", "CUDA out of memory")), ": CUDA out of memory");
  assert.equal(detail(report("<class 'Exception'>", "no GPU")), ": no GPU");
});

Deno.test("detail() reads a generator handler's report, and prints other errors as given", () => {
  assert.equal(
    detail(
      "handler: bad prompt \ntraceback: Traceback (most recent call last):\n  ...\nRuntimeError: bad prompt\n",
    ),
    ": RuntimeError: bad prompt",
  );
  assert.equal(detail("plain text"), ": plain text");
  assert.equal(detail({ code: 7 }), ': {"code":7}');
  assert.equal(detail(undefined), "");
  assert.equal(detail(""), "");
});
