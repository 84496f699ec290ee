// The lifetime of one SDK call: its deadline, the caller's signal, and the
// cleanup of every timer and listener it made.
import type { Clock } from "./clock.ts";
import { TimeoutError } from "./errors.ts";
import type { What } from "./_validate.ts";

/**
 * The deadlines of a client's calls, watched by one shared timer set for the
 * earliest of them (undici's "fast timers" idea): a call adds and removes
 * itself in a Set instead of setting and clearing a timer of its own (a timer
 * pair is a large part of the SDK's own cost per call): concurrent calls
 * share one timer. It fires at the earliest deadline exactly, so no call
 * times out later than its own. It is cleared once no call is left, so that
 * nothing keeps a process alive (Deno's test sanitizers count even an
 * unref'd timer as a leak), which is why sequential calls still set and
 * clear one timer each.
 */
export class Deadlines {
  #clock: Clock;
  #scopes = new Set<CallScope>();
  /** When the shared timer fires (Infinity: none), and how to clear it. */
  #at = Infinity;
  #clear: (() => void) | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(scope: CallScope): void {
    this.#scopes.add(scope);
    if (scope.deadline < this.#at) this.#arm(scope.deadline);
  }

  delete(scope: CallScope): void {
    this.#scopes.delete(scope);
    if (this.#scopes.size === 0) this.#arm(Infinity);
  }

  #arm(at: number): void {
    this.#clear?.();
    this.#clear = undefined;
    this.#at = at;
    if (at === Infinity) return;
    this.#clear = this.#clock.setTimer(() => this.#fire(), at - this.#clock.now());
  }

  #fire(): void {
    this.#clear = undefined;
    this.#at = Infinity;
    const now = this.#clock.now();
    let next = Infinity;
    for (const scope of this.#scopes) {
      if (scope.deadline <= now) {
        this.#scopes.delete(scope);
        scope.expire();
      } else if (scope.deadline < next) next = scope.deadline;
    }
    if (next < this.#at) this.#arm(next);
  }
}

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
  #call: What;
  #deadlines: Deadlines | undefined;
  #userSignal: AbortSignal | undefined;
  #onUserAbort = () => this.#abort(this.#userSignal?.reason);

  /**
   * @param t The client's clock and deadlines.
   * @param timeout The call's timeout in ms, or undefined for none.
   * @param userSignal The caller's signal.
   * @param call The call as a TimeoutError names it: "read the status of job 'abc'".
   */
  constructor(
    t: { clock: Clock; deadlines: Deadlines },
    timeout: number | undefined,
    userSignal: AbortSignal | undefined,
    call: What,
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
    if (timeout !== undefined) {
      this.#deadlines = t.deadlines;
      t.deadlines.add(this);
    }
  }

  /** Called by the deadlines when this call's deadline has come. */
  expire(): void {
    this.#deadlines = undefined;
    this.#abort(
      new TimeoutError({ call: `${this.#call}`, timeout: this.timeout!, jobId: this.jobId }),
    );
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
    this.#deadlines?.delete(this);
    this.#deadlines = undefined;
    this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
  }
}
