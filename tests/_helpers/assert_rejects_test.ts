import assert, { AssertionError } from "node:assert/strict";
import { assertRejects } from "./assert_rejects.ts";

// Stand-ins for an error hierarchy such as RunpodError > RunpodApiError.
class ParentError extends Error {}
class ChildError extends ParentError {
  readonly status = 503;
}
class OtherError extends Error {}

const apiError = () => new ChildError("GET /health failed with HTTP 503");

Deno.test("assertRejects returns the rejection, typed, when its class and message match", async () => {
  const error = await assertRejects(Promise.reject(apiError()), ParentError, "HTTP 503");
  assert.ok(error instanceof ChildError);
  const again = await assertRejects(() => Promise.reject(apiError()), ChildError, /HTTP \d+/);
  assert.equal(again.status, 503);
});

Deno.test("assertRejects takes a function that throws before returning a promise", async () => {
  const error = await assertRejects(() => {
    throw new TypeError("bad id");
  }, TypeError);
  assert.equal(error.message, "bad id");
});

Deno.test("assertRejects fails when the promise resolves, or rejects with another class or message", async () => {
  const fails = async (run: () => Promise<unknown>, pattern: RegExp) => {
    let caught: unknown;
    try {
      await run();
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof AssertionError, String(caught));
    assert.match(caught.message, pattern);
  };
  await fails(() => assertRejects(Promise.resolve(1), Error), /resolved/);
  await fails(() => assertRejects(Promise.reject(apiError()), OtherError), /OtherError/);
  await fails(() => assertRejects(Promise.reject("text"), Error), /non-error value "text"/);
  await fails(() => assertRejects(Promise.reject(apiError()), ParentError, "HTTP 500"), /include/);
  await fails(() => assertRejects(Promise.reject(apiError()), ParentError, /500/), /match/);
  await fails(
    () => assertRejects(Promise.resolve(), Error, undefined, "input 7"),
    /^input 7: expected/,
  );
});
