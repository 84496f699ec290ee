// The lifetime of one SDK call: its deadline, the caller's signal, and the
// cleanup of every timer and listener it made.
import type { Clock } from "./clock.ts";
import { TimeoutError } from "./errors.ts";
import type { What } from "./_validate.ts";

/**
 * How many microtask turns the shared timer outlives the last call by: the
 * next call of a sequential loop (`for (...) await endpoint.status(id)`)
 * starts within two turns after the last one settled (one more per async
 * function of the caller's wrapped around the call), and takes it over.
 */
const LINGER_TURNS = 3;

/**
 * The deadlines of a client's calls, watched by one shared timer set for the
 * earliest of them (undici's "fast timers" idea): a call adds and removes
 * itself in a Set instead of setting and clearing a timer of its own (a timer
 * pair is a large part of the SDK's own cost per call): concurrent calls
 * share one timer. It fires at the earliest deadline exactly, so no call
 * times out later than its own; firing for a call that settled since does
 * nothing but set it for the next deadline. When the last call settles, the
 * timer is cleared a few microtask turns later ({@linkcode LINGER_TURNS}),
 * not at once: a call that starts within them (the next one of a sequential
 * loop) takes it over without setting a timer of its own. No timer survives
 * the microtask queue's draining, so none outlives the calls by a macrotask,
 * and nothing keeps a process alive (Deno's test sanitizers count even an
 * unref'd timer as a leak).
 */
export class Deadlines {
  #clock: Clock;
  #scopes = new Set<CallScope>();
  /** When the shared timer fires (Infinity: none), and how to clear it. */
  #at = Infinity;
  #clear: (() => void) | undefined;
  /** Microtask turns left before the idle timer is cleared (0: no countdown running). */
  #linger = 0;
  /** A settled promise, to queue the countdown's turns on (cheaper than queueMicrotask). */
  #turn: Promise<void>;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#turn = Promise.resolve();
  }

  /** Adds a call, or (called again) takes in its deadline, which was Infinity until it sent. */
  add(scope: CallScope): void {
    this.#scopes.add(scope);
    if (scope.deadline < this.#at) this.#arm(scope.deadline);
  }

  delete(scope: CallScope): void {
    this.#scopes.delete(scope);
    if (this.#scopes.size > 0 || this.#clear === undefined) return;
    const counting = this.#linger > 0;
    this.#linger = LINGER_TURNS;
    if (!counting) this.#turn.then(this.#countdown);
  }

  /** One microtask turn of an idle timer: clears it after the last turn, unless a call came. */
  #countdown = (): void => {
    if (this.#scopes.size > 0) this.#linger = 0;
    else if (--this.#linger > 0) this.#turn.then(this.#countdown);
    else this.#arm(Infinity);
  };

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
  /** The clock time the call times out at (Infinity until a deferred timeout starts). */
  deadline: number;
  /** Set once the call knows its job, so a TimeoutError can name it. */
  jobId: string | undefined;
  /** Called once the call is aborted or times out, after `signal` aborts (one slot, cheaper than a listener). */
  onAbort: (() => void) | undefined;
  #controller = new AbortController();
  #clock: Clock;
  #call: What;
  #deadlines: Deadlines | undefined;
  #userSignal: AbortSignal | undefined;
  /** The listener on the caller's signal, made only where there is one. */
  #onUserAbort: (() => void) | undefined;
  /** Whether the timeout waits for {@linkcode CallScope.sending} to start. */
  #deferred = false;

  /**
   * @param t The client's clock and deadlines.
   * @param timeout The call's timeout in ms, or undefined for none.
   * @param userSignal The caller's signal.
   * @param call The call as a TimeoutError names it: "read the status of job 'abc'".
   * @param deferred The timeout starts at {@linkcode CallScope.sending} (its
   * first request sent) rather than now: for the client's default timeout, so
   * that a call waiting for its pacing turn does not time out for it.
   */
  constructor(
    t: { clock: Clock; deadlines: Deadlines },
    timeout: number | undefined,
    userSignal: AbortSignal | undefined,
    call: What,
    deferred = false,
  ) {
    this.#clock = t.clock;
    this.#call = call;
    this.signal = this.#controller.signal;
    this.timeout = timeout;
    this.deadline = timeout === undefined || deferred ? Infinity : t.clock.now() + timeout;
    this.#userSignal = userSignal;
    if (userSignal?.aborted) {
      this.#controller.abort(userSignal.reason);
      return;
    }
    if (userSignal) {
      this.#onUserAbort = () => this.#abort(userSignal.reason);
      userSignal.addEventListener("abort", this.#onUserAbort, { once: true });
    }
    if (timeout !== undefined) {
      // A deferred call joins at once too, without a deadline until it sends:
      // the next call of a sequential loop so takes the last one's timer over.
      this.#deferred = deferred;
      this.#deadlines = t.deadlines;
      t.deadlines.add(this);
    }
  }

  /** A request is about to be sent: starts a deferred timeout. */
  sending(): void {
    if (!this.#deferred || this.signal.aborted) return;
    this.#deferred = false;
    this.deadline = this.#clock.now() + this.timeout!;
    this.#deadlines?.add(this);
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
    this.#deferred = false;
    if (this.#onUserAbort) this.#userSignal?.removeEventListener("abort", this.#onUserAbort);
  }
}
