// One way to assert a rejection: await it, check its class (and message), and
// get the error back, typed, for the assertions that follow.
import { AssertionError } from "node:assert/strict";

// deno-lint-ignore no-explicit-any
type ErrorClass<E> = abstract new (...args: any[]) => E;

/**
 * Awaits `promiseOrFn` (a promise, or a function returning one or throwing),
 * asserts that it rejects with an instance of `ErrorClass` whose message
 * includes the given string or matches the given pattern, and returns the
 * error.
 *
 * @param promiseOrFn The promise, or a function that returns a promise or throws.
 * @param ErrorClass The class the error must be an instance of.
 * @param messageIncludesOrRegExp A string the message must include, or a pattern it must match.
 * @param label A note prepended to the failure message, such as the input of a loop.
 * @returns The error, typed as `ErrorClass`.
 */
export async function assertRejects<E extends Error>(
  promiseOrFn: PromiseLike<unknown> | (() => unknown),
  ErrorClass: ErrorClass<E>,
  messageIncludesOrRegExp?: string | RegExp,
  label?: string,
): Promise<E> {
  const prefix = label === undefined ? "" : `${label}: `;
  let error: unknown;
  let rejected = false;
  try {
    await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
  } catch (caught) {
    rejected = true;
    error = caught;
  }
  if (!rejected) {
    throw new AssertionError({
      message: `${prefix}expected a rejection with ${ErrorClass.name}, but it resolved`,
    });
  }
  if (!(error instanceof ErrorClass)) {
    throw new AssertionError({
      message: `${prefix}expected a rejection with ${ErrorClass.name}, got ${describe(error)}`,
      actual: error,
      expected: ErrorClass,
      operator: "instanceof",
    });
  }
  const message = error.message;
  if (typeof messageIncludesOrRegExp === "string" && !message.includes(messageIncludesOrRegExp)) {
    throw new AssertionError({
      message: `${prefix}expected the message to include ${
        JSON.stringify(messageIncludesOrRegExp)
      }, got ${JSON.stringify(message)}`,
      actual: message,
      expected: messageIncludesOrRegExp,
      operator: "includes",
    });
  }
  if (messageIncludesOrRegExp instanceof RegExp && !messageIncludesOrRegExp.test(message)) {
    throw new AssertionError({
      message: `${prefix}expected the message to match ${messageIncludesOrRegExp}, got ${
        JSON.stringify(message)
      }`,
      actual: message,
      expected: messageIncludesOrRegExp,
      operator: "match",
    });
  }
  return error;
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return `a non-error value ${JSON.stringify(value)}`;
  } catch {
    return `a non-error value ${String(value)}`;
  }
}
