// Small statistics and formatting helpers for the benchmark.

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The `q` quantile of `values`, interpolated between neighbours (NaN when empty). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** A number with `digits` decimals, or "n/a" when it is not finite. */
export function fixed(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? "n/a" : value.toFixed(digits);
}

/** Bytes as B, kB or MB (1 kB = 1000 B). */
export function bytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  if (Math.abs(value) < 1000) return `${value} B`;
  if (Math.abs(value) < 1_000_000) return `${(value / 1000).toFixed(2)} kB`;
  return `${(value / 1_000_000).toFixed(2)} MB`;
}
