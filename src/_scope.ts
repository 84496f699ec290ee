// The lifetime of one SDK call: its deadline, the caller's signal, and the
// cleanup of every timer and listener it made.
import type { Clock } from "./clock.ts";
import { TimeoutError } from "./errors.ts";

/** One call's deadline and abort signal. Always `dispose()` it. */
export class CallScope {
  readonly signal: AbortSignal;
  readonly timeout: number | undefined;
  readonly deadline: number;
  /** Set once the call knows its job, so a TimeoutError can name it. */
  jobId: string | undefined;
  #controller = new AbortController();
  #clock: Clock;
  #cancelTimer: (() => void) | undefined;
  #userSignal: AbortSignal | undefined;
  #onUserAbort = () => this.#controller.abort(this.#userSignal?.reason);

  constructor(
    clock: Clock,
    timeout: number | undefined,
    userSignal: AbortSignal | undefined,
    describe: (jobId: string | undefined) => string,
  ) {
    this.#clock = clock;
    this.signal = this.#controller.signal;
    this.timeout = timeout;
    this.deadline = timeout === undefined ? Infinity : clock.now() + timeout;
    this.#userSignal = userSignal;
    if (userSignal?.aborted) {
      this.#controller.abort(userSignal.reason);
      return;
    }
    userSignal?.addEventListener("abort", this.#onUserAbort, { once: true });
    if (timeout !== undefined) {
      this.#cancelTimer = clock.setTimer(() => {
        const jobId = this.jobId;
        this.#controller.abort(
          new TimeoutError(
            `${
              describe(jobId)
            } timed out after ${timeout} ms: raise the timeout, or check the job later with status()`,
            { timeout, jobId },
          ),
        );
      }, timeout);
    }
  }

  /** Milliseconds left before the deadline (Infinity without a timeout). */
  remaining(): number {
    return Math.max(0, this.deadline - this.#clock.now());
  }

  /** Throws the abort reason if the call was aborted or timed out. */
  throwIfAborted(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }

  dispose(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
  }
}
