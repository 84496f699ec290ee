// Options objects take only the keys they know: in plain JavaScript a misspelt
// option (`{ timeot: 100 }`) would otherwise be ignored without a word.

/** The option names of one kind of options object, made once (at first use) and shared. */
export type KnownKeys = ReadonlySet<string>;

/** Every call's options: `timeout`, `signal`, `maxRetries`. */
export const CALL_KEYS: KnownKeys = new Set(["timeout", "signal", "maxRetries"]);

/** The call options and `more`, as a set to make once and keep. */
export function keys(...more: string[]): KnownKeys {
  return new Set([...CALL_KEYS, ...more]);
}

/**
 * The names of an options type `T`, as a set: `optionKeys<ServeOptions>({ port: 1, ... })`. The
 * compiler holds the object to the type: a name missing or extra does not compile.
 */
export function optionKeys<T>(names: Record<keyof T, 1>): KnownKeys {
  return new Set(Object.keys(names));
}

/**
 * Throws a `TypeError` for the first own key of `options` that is not in
 * `known`, naming it and the closest known name: "Cannot run a job on
 * endpoint 'x': unknown option 'timeot' (did you mean 'timeout'?)". `what`
 * is the call, as after "Cannot".
 */
export function checkKnownKeys(
  what: { toString(): string },
  options: object,
  known: KnownKeys,
): void {
  for (const key in options) {
    if (!known.has(key) && Object.hasOwn(options, key)) throw unknownKey(what, key, known);
  }
}

function unknownKey(what: { toString(): string }, key: string, known: KnownKeys): TypeError {
  const near = closest(key, known);
  const shown = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key).slice(1, -1);
  return new TypeError(
    `Cannot ${what}: unknown option '${shown}' (${
      near === undefined
        ? `the options are ${[...known].map((name) => `'${name}'`).join(", ")}`
        : `did you mean '${near}'?`
    })`,
  );
}

/**
 * The name of `names` closest to `name` (edit distance with transpositions,
 * ignoring case), or undefined when none is near enough to be a typo of it:
 * at most 1 edit when the longer of the two has up to 4 letters, 2 up to 8,
 * else 3, and always fewer edits than half of `name`'s letters ("to" is not
 * taken for "ttl"). Of equally near names, the first listed wins. The CLI's
 * "did you mean --input?" uses it too.
 */
export function closest(name: string, names: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const half = Math.floor((lower.length - 1) / 2);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of names) {
    const longer = Math.max(lower.length, candidate.length);
    const limit = Math.min(half, longer <= 4 ? 1 : longer <= 8 ? 2 : 3);
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/**
 * Optimal string alignment distance: insertions, deletions, substitutions,
 * adjacent swaps, one edit each (Infinity when the lengths differ by more than 3).
 */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, before[j - 2]! + 1);
      }
      row.push(value);
    }
    [before, previous] = [previous, row];
  }
  return previous[b.length]!;
}
