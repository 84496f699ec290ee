// How runpod-python reads the values a handler returns or yields, shared by the
// worker runtime (src/worker/) and the emulator's in-process worker
// (src/testing/_results.ts, _run_worker.ts).

/** Whether a value is a plain JSON-like object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Python's truth value of a JSON value: `None`, `False`, `0`, `""`, `[]` and `{}` are false. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** The error a yielded item carries, when it is an object with a truthy `error` (it ends the stream). */
export function yieldedError(item: unknown): { error: unknown } | undefined {
  return isPlainObject(item) && isTruthy(item.error) ? { error: item.error } : undefined;
}
