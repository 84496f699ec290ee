// Ctrl-C and SIGTERM: the first one aborts what the command waits for (so it
// can cancel its job and say so); a second one exits at once.
import { EXIT } from "./_exit.ts";
import type { Io, StopSignal } from "./_io.ts";

/** Turns the first stop signal into an abort, and a second one into an exit. */
export class Stopper implements Disposable {
  #controller = new AbortController();
  #off: () => void;
  #signal: StopSignal | undefined;

  constructor(io: Io) {
    this.#off = io.onStop((signal) => {
      if (this.#signal !== undefined) {
        io.exitNow(code(signal));
        return;
      }
      this.#signal = signal;
      this.#controller.abort(new DOMException(`Stopped by ${signal}`, "AbortError"));
    });
  }

  /** Aborts on the first SIGINT or SIGTERM. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether a stop signal came. */
  get stopped(): boolean {
    return this.#signal !== undefined;
  }

  /** The exit code for the signal that came: 130 for SIGINT, 143 for SIGTERM. */
  get code(): number {
    return code(this.#signal ?? "SIGINT");
  }

  /** What came, for messages: "Ctrl-C" or "SIGTERM". */
  get what(): string {
    return this.#signal === "SIGTERM" ? "SIGTERM" : "Ctrl-C";
  }

  [Symbol.dispose](): void {
    this.#off();
  }
}

function code(signal: StopSignal): number {
  return signal === "SIGTERM" ? EXIT.sigterm : EXIT.sigint;
}
