// The closest name to a mistyped one, for "did you mean ...?" (unknown
// options, commands). A name is close when a few typing slips make it: a
// letter wrong, missing, extra, or two letters swapped.

/**
 * The edit distance of `a` and `b` (optimal string alignment): how many
 * insertions, deletions, substitutions or swaps of neighbours turn one into
 * the other.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from(
    { length: a.length + 1 },
    (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The name of `names` closest to `typed`, when it is close enough to be what
 * was meant: at most 2 slips, and fewer than half its letters; ties go to the
 * first listed. Undefined when none is.
 */
export function closest(typed: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  const limit = Math.min(2, Math.floor((typed.length - 1) / 2));
  return bestDistance <= limit ? best : undefined;
}
