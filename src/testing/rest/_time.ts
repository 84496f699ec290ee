/** An RFC 3339 timestamp of a clock time in ms. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
