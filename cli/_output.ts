// How the command prints: data on stdout (JSON, tables, values), notes and
// errors on stderr, colour only on a terminal, the API key never.
import type { Io, Out } from "./_io.ts";

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;
/** A colour name. */
export type Colour = keyof typeof CODES;

/** Prints for one run of the command. */
export class Printer {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  #io: Io;
  #secrets: string[] = [];
  #noColour: boolean;
  /** Cleared before anything else is written to the terminal, redrawn after. */
  liveLine: { clear(): void; redraw(): void } | undefined;

  constructor(
    io: Io,
    options: {
      json?: boolean | undefined;
      quiet?: boolean | undefined;
      verbose?: boolean | undefined;
      noColour?: boolean | undefined;
    },
  ) {
    this.#io = io;
    this.json = options.json === true;
    this.quiet = options.quiet === true;
    this.verbose = options.verbose === true;
    const env = io.env("NO_COLOR");
    this.#noColour = options.noColour === true || (env !== undefined && env !== "") ||
      io.env("TERM") === "dumb";
  }

  /** Never print this string (the API key): it is replaced wherever it would appear on stderr. */
  addSecret(secret: string): void {
    if (secret.length >= 4) this.#secrets.push(secret);
  }

  get stdout(): Out {
    return this.#io.stdout;
  }

  get stderr(): Out {
    return this.#io.stderr;
  }

  /** Whether a live status line may be drawn: stderr is a terminal that can redraw. */
  get live(): boolean {
    return this.#io.stderr.isTTY && this.#io.env("TERM") !== "dumb" && !this.quiet;
  }

  /** Paints `text` when `out` is a terminal and colour is not turned off. */
  paint(out: Out, colour: Colour, text: string): string {
    return out.isTTY && !this.#noColour ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
  }

  /** A status in its colour, for `out`. */
  status(out: Out, status: string): string {
    const colour: Colour = status === "COMPLETED"
      ? "green"
      : status === "FAILED" || status === "TIMED_OUT"
      ? "red"
      : status === "CANCELLED"
      ? "yellow"
      : "blue";
    return this.paint(out, colour, status);
  }

  /** Writes data to stdout. */
  data(text: string): void {
    this.liveLine?.clear();
    this.#io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    this.liveLine?.redraw();
  }

  /** One JSON document on stdout: indented on a terminal, one line otherwise. */
  printJson(value: unknown): void {
    this.data(JSON.stringify(value, null, this.#io.stdout.isTTY ? 2 : undefined) ?? "null");
  }

  /** One JSON value on one line of stdout (streams, --watch). */
  printJsonLine(value: unknown): void {
    this.data(JSON.stringify(value) ?? "null");
  }

  /** A job's output as plain data: a string as it is, anything else as JSON. */
  printValue(value: unknown): void {
    if (value === undefined) return;
    if (typeof value === "string") this.data(value);
    else this.printJson(value);
  }

  /** A note for people on stderr (not with --quiet). */
  note(text: string): void {
    if (!this.quiet) this.err(text);
  }

  /** A line on stderr with --verbose. */
  debug(text: string): void {
    if (this.verbose) this.err(this.paint(this.#io.stderr, "dim", text));
  }

  /** Writes to stderr, whatever --quiet says (errors). */
  err(text: string): void {
    this.liveLine?.clear();
    this.#io.stderr.write(this.redact(text.endsWith("\n") ? text : `${text}\n`));
    this.liveLine?.redraw();
  }

  /** `text` with every secret replaced. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join("[redacted]");
    return out;
  }

  /** Rows as an aligned table on stdout, with a header row. */
  table(headers: string[], rows: string[][]): void {
    this.data(formatTable(headers, rows));
  }
}

/** Rows as aligned columns; the last column is not padded. */
export function formatTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => width(row[i] ?? ""))));
  return all.map((row) =>
    row.map((cell, i) => i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - width(cell)))
      .join("  ").trimEnd()
  ).join("\n");
}

/** Key-value lines, keys aligned. */
export function formatPairs(pairs: [string, string][]): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}

function width(text: string): number {
  // deno-lint-ignore no-control-regex
  return [...text.replace(/\x1b\[[0-9;]*m/g, "")].length;
}

/** A duration in ms for people: 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  const s = Math.floor(ms / 1_000);
  if (s < 3_600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3_600)} h ${String(Math.floor(s / 60) % 60).padStart(2, "0")} min`;
}

/** A value in a table cell or a line: strings as they are, others as compact JSON. */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return "-";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** An object's fields as aligned key-value lines: nested values as compact JSON. */
export function formatObject(value: Record<string, unknown>): string {
  const pairs: [string, string][] = Object.entries(value).map(([key, v]) => [
    key,
    Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null)
      ? (v.length === 0 ? "-" : v.join(", "))
      : cell(v),
  ]);
  return pairs.length === 0 ? "" : formatPairs(pairs);
}
