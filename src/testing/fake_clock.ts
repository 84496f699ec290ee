import type { Clock } from "../clock.ts";
import { checkKnownKeys, type KnownKeys } from "../_known_keys.ts";

/**
 * Options for {@linkcode FakeClock}.
 *
 * @example Starting at a chosen time
 * ```ts
 * import { delay } from "@runpod/sdk";
 * import { FakeClock, type FakeClockOptions } from "@runpod/sdk/testing";
 * import assert from "node:assert/strict";
 *
 * const options: FakeClockOptions = { start: Date.UTC(2030, 0, 1), autoAdvance: true };
 * using clock = new FakeClock(options);
 * await delay(3_600_000, { clock }); // an hour of fake time, advanced by itself
 * assert.equal(clock.now(), Date.UTC(2030, 0, 1, 1));
 * ```
 */
export interface FakeClockOptions {
  /**
   * The starting time, in milliseconds since the epoch.
   *
   * @default {1767225600000}
   */
  start?: number;
  /**
   * When true, whenever the program has nothing left to do but wait for this
   * clock's timers (checked over two real macrotask turns in a row), the
   * clock jumps to the next timer's time and fires every timer due then, in
   * order, at once. Its turns are messages on a `MessageChannel` (not
   * clamped like a nested `setTimeout(0)`), so simulated time costs next to
   * no real time; a real `setTimeout` therefore lasts long enough for time to
   * move: to let pending work run without moving time, await a 0 ms wait on
   * the clock (`delay(0, { clock })`). This lets code that talks to the in-process
   * emulator run hours of simulated time at full speed without a test calling
   * {@linkcode FakeClock.advance}. Use it only when no real I/O is in flight
   * (the emulator in `fetch` mode), or time can jump while a request is out.
   *
   * @default {true}
   */
  autoAdvance?: boolean;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  /** Its place in the heap; -1 once fired or cancelled. */
  index: number;
}

/**
 * How many real macrotask turns in a row must pass with no timer due before
 * time may jump: promise jobs and already-settled I/O run first, so time only
 * jumps when everything else is waiting on this clock.
 */
const IDLE_TURNS = 2;

/**
 * A clock for tests: time stands still until it is advanced, by hand with
 * {@linkcode FakeClock.advance} or automatically (see
 * {@linkcode FakeClockOptions.autoAdvance}). Pass the same instance to the
 * emulator and to the client.
 *
 * Dispose of it (or call {@linkcode FakeClock.dispose}) at the end of a test:
 * that drops its pending timers and the real timer it uses to auto-advance.
 *
 * @example Advancing time by hand
 * ```ts
 * import { FakeClock } from "@runpod/sdk/testing";
 * import { delay } from "@runpod/sdk";
 * import assert from "node:assert/strict";
 *
 * using clock = new FakeClock({ autoAdvance: false });
 * let done = false;
 * const waiting = delay(60_000, { clock }).then(() => (done = true));
 * await clock.advance(59_999);
 * assert.equal(done, false);
 * await clock.advance(1);
 * await waiting;
 * assert.equal(done, true);
 * ```
 */
export class FakeClock implements Clock {
  #now: number;
  /** A binary min-heap of timers by (at, seq). */
  #heap: Timer[] = [];
  #seq = 0;
  #auto: boolean;
  #pumping = false;
  #idle = 0;
  #turns = new Turns();
  #disposed = false;

  /**
   * Makes a clock that starts at `options.start`.
   *
   * @param options The start time and whether time advances by itself.
   */
  constructor(options: FakeClockOptions = {}) {
    checkKnownKeys("create a FakeClock", options, CLOCK_KEYS);
    this.#now = options.start ?? Date.UTC(2026, 0, 1);
    this.#auto = options.autoAdvance ?? true;
  }

  /**
   * The clock's current time in milliseconds since the epoch.
   *
   * @returns The fake time.
   */
  now(): number {
    return this.#now;
  }

  /** How many timers are waiting to fire. */
  get pendingTimers(): number {
    return this.#heap.length;
  }

  /**
   * Schedules `fn` at `ms` milliseconds from the clock's now.
   *
   * @param fn What to call.
   * @param ms The wait in milliseconds.
   * @returns A function that cancels the timer.
   */
  setTimer(fn: () => void, ms: number): () => void {
    if (this.#disposed) return () => {};
    const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, index: -1 };
    this.#push(timer);
    this.#schedulePump();
    return () => {
      if (timer.index >= 0) this.#remove(timer);
    };
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due, in order,
   * and letting the promise jobs they start run before the next one fires.
   *
   * @param ms How far to move, in milliseconds.
   * @returns A promise that resolves once time has reached its target.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    while (true) {
      const next = this.#peek();
      if (!next || next.at > target) break;
      this.#fire(next);
      await this.#turns.next();
    }
    this.#now = Math.max(this.#now, target);
  }

  /**
   * Drops every pending timer and stops advancing by itself.
   */
  dispose(): void {
    this.#disposed = true;
    for (const timer of this.#heap) timer.index = -1;
    this.#heap = [];
    this.#turns.close();
  }

  /** Same as {@linkcode FakeClock.dispose}, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The next timer to fire. */
  #peek(): Timer | undefined {
    return this.#heap[0];
  }

  #fire(timer: Timer): void {
    this.#remove(timer);
    this.#now = Math.max(this.#now, timer.at);
    timer.fn();
  }

  #schedulePump(): void {
    if (!this.#auto || this.#pumping || this.#disposed) return;
    this.#pumping = true;
    this.#turns.after(() => this.#pump());
  }

  /**
   * One real macrotask turn of auto-advance. Fires every timer due now; or,
   * when none is due and {@linkcode IDLE_TURNS} turns in a row found nothing
   * to fire, jumps to the next timer's time and fires every timer due then.
   * The turns are fresh message-channel messages, which runtimes do not clamp
   * (a nested `setTimeout(0)` waits 1 to 4 ms).
   */
  #pump(): void {
    this.#pumping = false;
    if (this.#disposed) return;
    const next = this.#peek();
    if (!next) return;
    if (next.at > this.#now && ++this.#idle < IDLE_TURNS) {
      this.#schedulePump();
      return;
    }
    this.#idle = 0;
    this.#now = Math.max(this.#now, next.at);
    // Only the timers set before this batch: one set by a callback to 0 ms
    // fires in a later turn, as with real timers.
    // (The heap orders by time, then by seq: the first newer one ends the batch.)
    const last = this.#seq;
    for (let timer = this.#peek(); timer && timer.at <= this.#now; timer = this.#peek()) {
      if (timer.seq >= last) break;
      this.#fire(timer);
    }
    if (this.#heap.length > 0) this.#schedulePump();
  }

  #push(timer: Timer): void {
    this.#heap.push(timer);
    this.#up(timer, this.#heap.length - 1);
  }

  #remove(timer: Timer): void {
    const heap = this.#heap;
    const i = timer.index;
    const last = heap.pop()!;
    timer.index = -1;
    if (last === timer) return;
    if (i > 0 && before(last, heap[(i - 1) >> 1]!)) this.#up(last, i);
    else this.#down(last, i);
  }

  /** Puts `timer` at `i` or above, moving later parents down. */
  #up(timer: Timer, i: number): void {
    const heap = this.#heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!before(timer, above)) break;
      heap[i] = above;
      above.index = i;
      i = parent;
    }
    heap[i] = timer;
    timer.index = i;
  }

  /** Puts `timer` at `i` or below, moving earlier children up. */
  #down(timer: Timer, i: number): void {
    const heap = this.#heap;
    while (true) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      const below = heap[child]!;
      if (!before(below, timer)) break;
      heap[i] = below;
      below.index = i;
      i = child;
    }
    heap[i] = timer;
    timer.index = i;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * Set once messages have proved no real turns in this runtime (in Cloudflare
 * Workers a message arrives before the promise jobs already queued have run):
 * from then on every turn is a `setTimeout(0)`.
 */
let messagesFailed = false;
/** Messages in a row that arrived too early; three settle it for the runtime. */
let earlyMessages = 0;

/** Promise jobs in a row that must have run before a turn's message counts as a real turn. */
const PROBE_HOPS = 64;

/**
 * Real macrotask turns that runtimes do not clamp: each turn is a message
 * through a fresh `MessageChannel` (a web standard: Deno, Node, Bun, browsers)
 * whose ports close as soon as it arrives, so that an idle clock holds no
 * resource and keeps no process alive. (A message on a long-lived port is not
 * enough: Deno delivers one posted from its own `onmessage` before the
 * promise jobs already queued have run.) Each turn checks itself: a chain of
 * promise jobs started with it must have run to its end when the message
 * arrives, else the turn is taken again with `setTimeout(0)`, which is also
 * the turn where there is no `MessageChannel`.
 */
class Turns {
  #channels = new Map<MessageChannel, () => void>();
  #timeouts = new Map<ReturnType<typeof setTimeout>, () => void>();
  #closed = false;

  /** Calls `fn` in a later macrotask turn. */
  after(fn: () => void): void {
    if (this.#closed) {
      queueMicrotask(fn);
      return;
    }
    if (typeof MessageChannel !== "function" || messagesFailed) {
      this.#timeout(fn);
      return;
    }
    let hopsDone = false;
    (async () => {
      for (let i = 0; i < PROBE_HOPS; i++) await null;
      hopsDone = true;
    })();
    this.#message(() => {
      if (hopsDone || this.#closed) {
        earlyMessages = 0;
        fn();
        return;
      }
      if (++earlyMessages >= 3) messagesFailed = true;
      this.#timeout(fn);
    });
  }

  /** A promise that resolves in a later macrotask turn. */
  next(): Promise<void> {
    return new Promise((resolve) => this.after(resolve));
  }

  /** Closes every open port and timer; what was waiting for a turn runs in a microtask instead. */
  close(): void {
    this.#closed = true;
    for (const [channel, fn] of [...this.#channels]) {
      this.#shut(channel);
      queueMicrotask(fn);
    }
    for (const [id, fn] of [...this.#timeouts]) {
      clearTimeout(id);
      this.#timeouts.delete(id);
      queueMicrotask(fn);
    }
  }

  #message(fn: () => void): void {
    const channel = new MessageChannel();
    this.#channels.set(channel, fn);
    channel.port1.onmessage = () => {
      this.#shut(channel);
      fn();
    };
    channel.port2.postMessage(null);
  }

  #timeout(fn: () => void): void {
    const id = setTimeout(() => {
      this.#timeouts.delete(id);
      fn();
    }, 0);
    this.#timeouts.set(id, fn);
  }

  #shut(channel: MessageChannel): void {
    this.#channels.delete(channel);
    channel.port1.onmessage = null;
    channel.port1.close();
    channel.port2.close();
  }
}

/** The names of {@linkcode FakeClockOptions}. */
const CLOCK_KEYS: KnownKeys = new Set(["start", "autoAdvance"]);
