// The lifetime of one SDK call: its deadline, the caller's signal, and the
// cleanup of every timer and listener it made.
import type { Clock } from "./clock.ts";
import { TimeoutError } from "./errors.ts";

/** One call's deadline and abort signal. Always `dispose()` it. */
export class CallScope {
  readonly signal: AbortSignal;
  readonly timeout: number | undefined;
  /** The clock time the call times out at (Infinity until a deferred timeout starts). */
  deadline: number;
  /** Set once the call knows its job, so a TimeoutError can name it. */
  jobId: string | undefined;
  #controller = new AbortController();
  #clock: Clock;
  #cancelTimer: (() => void) | undefined;
  #userSignal: AbortSignal | undefined;
  #onUserAbort = () => this.#controller.abort(this.#userSignal?.reason);
  #describe: (jobId: string | undefined) => string;
  #deferred: boolean;

  /**
   * @param deferred The timeout starts at {@linkcode CallScope.sending} (the
   * first request sent) rather than now: for the client's default timeout,
   * so that a call waiting for its pacing turn does not time out for it.
   */
  constructor(
    clock: Clock,
    timeout: number | undefined,
    userSignal: AbortSignal | undefined,
    describe: (jobId: string | undefined) => string,
    deferred = false,
  ) {
    this.#clock = clock;
    this.signal = this.#controller.signal;
    this.timeout = timeout;
    this.#describe = describe;
    this.#deferred = deferred && timeout !== undefined;
    this.deadline = timeout === undefined || this.#deferred ? Infinity : clock.now() + timeout;
    this.#userSignal = userSignal;
    if (userSignal?.aborted) {
      this.#controller.abort(userSignal.reason);
      return;
    }
    userSignal?.addEventListener("abort", this.#onUserAbort, { once: true });
    if (!this.#deferred) this.#startTimer();
  }

  /** A request is about to be sent: starts a deferred timeout. */
  sending(): void {
    if (!this.#deferred || this.signal.aborted) return;
    this.#deferred = false;
    this.deadline = this.#clock.now() + this.timeout!;
    this.#startTimer();
  }

  #startTimer(): void {
    const { timeout } = this;
    const describe = this.#describe;
    if (timeout !== undefined) {
      this.#cancelTimer = this.#clock.setTimer(() => {
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
