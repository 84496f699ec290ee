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
  /** Called once the call is aborted or times out, after `signal` aborts (one slot, cheaper than a listener). */
  onAbort: (() => void) | undefined;
  #controller = new AbortController();
  #clock: Clock;
  #call: string;
  #stopTimer: (() => void) | undefined;
  #userSignal: AbortSignal | undefined;
  #onUserAbort = () => this.#abort(this.#userSignal?.reason);

  /**
   * @param t The client's clock.
   * @param timeout The call's timeout in ms, or undefined for none.
   * @param userSignal The caller's signal.
   * @param call The call as a TimeoutError names it: "read the status of job 'abc'".
   */
  constructor(
    t: { clock: Clock },
    timeout: number | undefined,
    userSignal: AbortSignal | undefined,
    call: string,
  ) {
    this.#clock = t.clock;
    this.#call = call;
    this.signal = this.#controller.signal;
    this.timeout = timeout;
    this.deadline = timeout === undefined ? Infinity : t.clock.now() + timeout;
    this.#userSignal = userSignal;
    if (userSignal?.aborted) {
      this.#controller.abort(userSignal.reason);
      return;
    }
    userSignal?.addEventListener("abort", this.#onUserAbort, { once: true });
    if (timeout !== undefined) this.#stopTimer = t.clock.setTimer(() => this.#expire(), timeout);
  }

  #expire(): void {
    this.#abort(new TimeoutError({ call: this.#call, timeout: this.timeout!, jobId: this.jobId }));
  }

  #abort(reason: unknown): void {
    this.#controller.abort(reason);
    this.onAbort?.();
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
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
  }
}
