// The live status line on stderr while the command waits, on a terminal only.
import type { EndpointHealth } from "../mod.ts";
import type { Worker } from "../rest.ts";
import type { Printer } from "./_output.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK = 250;

/** One line on stderr, redrawn in place every 250 ms from `render()`. */
export class StatusLine implements Disposable {
  #printer: Printer;
  #render: () => string;
  #timer: ReturnType<typeof setInterval>;
  #frame = 0;
  #drawn = false;

  constructor(printer: Printer, render: () => string) {
    this.#printer = printer;
    this.#render = render;
    printer.liveLine = this;
    this.redraw();
    this.#timer = setInterval(() => {
      this.#frame = (this.#frame + 1) % FRAMES.length;
      this.redraw();
    }, TICK);
  }

  /** Erases the line. */
  clear(): void {
    if (this.#drawn) this.#printer.stderr.write("\r\x1b[2K");
    this.#drawn = false;
  }

  /** Draws the line again, cut to the terminal's width. */
  redraw(): void {
    const columns = this.#printer.stderr.columns || 80;
    const text = `${FRAMES[this.#frame]} ${this.#render()}`;
    this.#printer.stderr.write(`\r\x1b[2K${this.#printer.redact(cut(text, columns - 1))}`);
    this.#drawn = true;
  }

  /** Stops redrawing and erases the line. */
  stop(): void {
    clearInterval(this.#timer);
    this.clear();
    if (this.#printer.liveLine === this) this.#printer.liveLine = undefined;
  }

  [Symbol.dispose](): void {
    this.stop();
  }
}

/** Cuts `text` to `columns` visible characters, keeping colour codes whole. */
function cut(text: string, columns: number): string {
  let visible = 0;
  let out = "";
  // deno-lint-ignore no-control-regex
  for (const part of text.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith("\x1b[")) {
      out += part;
      continue;
    }
    for (const ch of part) {
      if (visible >= columns) return out.includes("\x1b[") ? `${out}\x1b[0m` : out;
      out += ch;
      visible++;
    }
  }
  return out;
}

/** The queue and workers from `/health`, for the status line. */
export function describeHealth(health: EndpointHealth): string {
  const w = health.workers;
  const parts = [`queue ${health.jobs.inQueue}`, `workers ${w.running} running, ${w.idle} idle`];
  for (const key of ["initializing", "throttled", "unhealthy"]) {
    const n = w[key];
    if (typeof n === "number" && n > 0) parts.push(`${n} ${key}`);
  }
  return parts.join(" · ");
}

/**
 * Why a job may sit IN_QUEUE, read from `/health`: unhealthy workers (a crash
 * loop), throttled ones (no GPU free), workers still starting, all busy, or none.
 */
export function queueHint(
  health: EndpointHealth,
  workers?: { endpointId: string; list: Worker[] },
): string | undefined {
  // The management API names the workers: an unhealthy one's logs say why it crashes.
  const sick = workers?.list.filter((w) => w.status === "UNHEALTHY") ?? [];
  const up = workers?.list.filter((w) => w.status === "RUNNING" || w.status === "IDLE") ?? [];
  if (workers && sick.length > 0 && up.length === 0) {
    return `${sick.length} worker${
      sick.length === 1 ? " is" : "s are"
    } unhealthy (a crash loop?): runpod endpoints logs ${workers.endpointId} ${sick[0]!.id}`;
  }
  const w = health.workers;
  const n = (key: string) => (typeof w[key] === "number" ? w[key] : 0);
  const working = w.running + w.idle;
  if (n("unhealthy") > 0 && working === 0) {
    return "workers are unhealthy (a crash loop?): read their logs";
  }
  if (n("throttled") > 0 && working === 0) {
    return "workers are throttled: no GPU of this type is free";
  }
  if (n("initializing") > 0 && working === 0) return "workers are starting";
  if (w.running > 0 && w.idle === 0) return "all workers are busy";
  if (working + n("initializing") + n("throttled") + n("unhealthy") === 0) {
    return "no workers: the endpoint is scaling up from zero (or its max workers is 0)";
  }
  return undefined;
}
