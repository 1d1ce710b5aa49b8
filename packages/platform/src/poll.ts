import { setTimeout as sleepFor } from 'node:timers/promises';
import { formatDuration } from './duration';
import { describeError, isError, isTransientError } from './errors';

/** Time as poll sees it; tests swap in fakeClock() so they never sleep for real. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, { signal }),
};

export interface FakeClock extends Clock {
  /** Every sleep requested, in milliseconds, in order. */
  readonly sleeps: number[];
  /** Moves time forward and wakes the sleepers whose time has come (manual clocks). */
  advance(ms: number): void;
}

/**
 * A clock for tests. By default each sleep jumps time forward at once; with `autoAdvance: false` sleeps wait for
 * advance(), which lets a test act (e.g. abort) while poll is asleep.
 */
export function fakeClock(options: { start?: number; autoAdvance?: boolean } = {}): FakeClock {
  let now = options.start ?? 0;
  const sleepers: { wakeAt: number; wake: () => void }[] = [];
  const sleeps: number[] = [];
  const remove = (sleeper: (typeof sleepers)[number]) => {
    const index = sleepers.indexOf(sleeper);
    if (index >= 0) sleepers.splice(index, 1);
  };
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
      for (const sleeper of sleepers.filter((s) => s.wakeAt <= now)) {
        remove(sleeper);
        sleeper.wake();
      }
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (options.autoAdvance ?? true) {
        now += ms;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const sleeper = { wakeAt: now + ms, wake: resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            remove(sleeper);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
  };
}

export interface PollProgress<T> {
  state: T;
  /** How many times describe has been called so far. */
  attempt: number;
  elapsedMs: number;
  /** How long poll sleeps before the next describe. */
  nextPollInMs: number;
}

export interface PollOptions<T> {
  /** Fetches the current state; receives the signal so it can abort its own request. */
  describe: (signal?: AbortSignal) => Promise<T>;
  /** True ends the wait successfully; throwing ends it with that error (e.g. a DeploymentFailure). */
  isDone: (state: T) => boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: PollProgress<T>) => void;
  clock?: Clock;
  /** The first interval, and the one used again after the state changes. Default 2 s. */
  minIntervalMs?: number;
  /** The ceiling of the back-off. Default 30 s. */
  maxIntervalMs?: number;
  /** What counts as a change of state; when its value differs from the last one the interval snaps back to the
   * minimum, because things that just moved tend to move again soon. Without it the interval only grows. */
  fingerprint?: (state: T) => unknown;
  /** Replaces the back-off: the wait before the next describe, decided by the caller from what it saw (undefined
   * after a passing error). */
  schedule?: (state: T | undefined) => number;
  /** The wait before the first describe (default 0: describe at once). */
  firstDelayMs?: number;
  /** Receives a function that ends the current wait at once: for a caller that learns something the next describe
   * should see (its own change, a check that finished). */
  wake?: (wakeUp: () => void) => void;
  /** Words for errors: "timed out after 10m waiting for <waitingFor>". */
  waitingFor?: string;
  /** A describe error for which the wait goes on (a passing fault: throttling, a 5xx, a dropped connection): the
   * next check comes after the usual interval, and a deadline reached meanwhile names the last such error. */
  isPassing?: (error: unknown) => boolean;
  /** Told about each passing error the wait goes on after. */
  onPassingError?: (error: unknown, attempt: number) => void;
}

const DEFAULT_MIN_INTERVAL_MS = 2_000;
const DEFAULT_MAX_INTERVAL_MS = 30_000;
const BACKOFF_FACTOR = 1.5;
const RETRY_MAX_INTERVAL_MS = 10_000;

export class PollTimeoutError<T = unknown> extends Error {
  override name = 'PollTimeoutError';
  constructor(
    message: string,
    /** The last state describe returned: what the caller explains to the user. */
    readonly lastState: T,
    readonly attempts: number,
  ) {
    super(message);
  }
}

export class PollCancelledError<T = unknown> extends Error {
  override name = 'PollCancelledError';
  constructor(
    message: string,
    /** Undefined when cancelled before the first describe returned. */
    readonly lastState: T | undefined,
  ) {
    super(message);
  }
}

/**
 * Calls describe until isDone, with an adaptive interval: fast at first, backing off by 1.5× up to the maximum,
 * and back to the minimum whenever fingerprint(state) changes — or with the caller's own schedule. The last check
 * happens at the deadline itself.
 */
export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const { describe, isDone, timeoutMs, signal, onProgress, fingerprint, isPassing, onPassingError } = options;
  const clock = options.clock ?? systemClock;
  const minInterval = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  const maxInterval = Math.max(minInterval, options.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS);
  const what = options.waitingFor ?? 'the operation';
  const started = clock.now();
  const deadline = started + timeoutMs;
  let interval = minInterval;
  let lastState: T | undefined;
  let lastFingerprint: unknown;
  let lastPassingError: unknown;

  const cancelled = () => {
    const reason = isError(signal?.reason) ? ` (${signal.reason.message})` : '';
    const after = formatDuration(clock.now() - started);
    return new PollCancelledError(`cancelled${reason} after ${after} while waiting for ${what}`, lastState);
  };
  let waking: AbortController | undefined;
  let woken = false;
  options.wake?.(() => {
    woken = true;
    waking?.abort();
  });
  const sleep = async (ms: number) => {
    if (woken) {
      woken = false;
      return;
    }
    waking = new AbortController();
    try {
      await clock.sleep(ms, signal ? AbortSignal.any([signal, waking.signal]) : waking.signal);
    } catch (error) {
      if (signal?.aborted) throw cancelled();
      if (!waking.signal.aborted) throw error;
    } finally {
      waking = undefined;
      woken = false;
    }
  };

  if (options.firstDelayMs) await sleep(Math.min(options.firstDelayMs, timeoutMs));
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw cancelled();
    const described = await untilAborted(describe(signal), signal).then(
      (state) => ({ state }),
      (error: unknown) => {
        if (signal?.aborted) throw cancelled();
        if (!isPassing?.(error)) throw error;
        onPassingError?.(error, attempt);
        lastPassingError = error;
        return undefined;
      },
    );
    if (described) {
      lastState = described.state;
      lastPassingError = undefined;
      if (isDone(described.state)) return described.state;
      if (fingerprint) {
        const current = fingerprint(described.state);
        if (attempt > 1 && !Object.is(current, lastFingerprint)) interval = minInterval;
        lastFingerprint = current;
      }
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      const lastError = lastPassingError ? `; the last check failed: ${describeError(lastPassingError)}` : '';
      throw new PollTimeoutError(
        `timed out after ${formatDuration(timeoutMs)} waiting for ${what} (${attempt} ${attempt === 1 ? 'check' : 'checks'}${lastError})`,
        lastState as T,
        attempt,
      );
    }
    const delay = Math.min(options.schedule ? options.schedule(described?.state) : interval, remaining);
    if (described)
      onProgress?.({ state: described.state, attempt, elapsedMs: clock.now() - started, nextPollInMs: delay });
    await sleep(delay);
    interval = Math.min(interval * BACKOFF_FACTOR, maxInterval);
  }
}

/** Settles with `promise`, or rejects at once when `signal` aborts, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** What cancellationSignal listens to; `process` in actions, an EventEmitter in tests. */
export interface SignalSource {
  once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  removeListener(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

const signalsBySource = new WeakMap<SignalSource, AbortSignal>();

/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM (a cancelled workflow run), so poll loops stop promptly
 * and the action can report what it saw. Only the first signal is caught: a second one ends the process the
 * default way. One shared signal per source.
 */
export function cancellationSignal(source: SignalSource = process): AbortSignal {
  const existing = signalsBySource.get(source);
  if (existing) return existing;
  const controller = new AbortController();
  const onSignal = (name: 'SIGINT' | 'SIGTERM') => () => {
    source.removeListener('SIGINT', onInterrupt);
    source.removeListener('SIGTERM', onTerminate);
    controller.abort(new Error(`received ${name}`));
  };
  const onInterrupt = onSignal('SIGINT');
  const onTerminate = onSignal('SIGTERM');
  source.once('SIGINT', onInterrupt);
  source.once('SIGTERM', onTerminate);
  signalsBySource.set(source, controller.signal);
  return controller.signal;
}

export interface RetryOptions {
  /** How long to keep trying after the first failure. */
  timeoutMs: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Errors worth another try; default: passing faults (throttling, 5xx, dropped or timed-out connections). */
  isPassing?: (error: unknown) => boolean;
  onPassingError?: (error: unknown, attempt: number) => void;
}

/**
 * Calls `call` until it answers, trying again after passing errors (on top of the SDK's own quick retries) until
 * `timeoutMs` has passed; then, or for any other error, throws the call's own error. For calls a way back depends
 * on, where giving up after a few seconds would leave a service on the wrong revision.
 */
export async function retryPassing<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const isPassing = options.isPassing ?? isTransientError;
  const deadline = clock.now() + options.timeoutMs;
  let interval = DEFAULT_MIN_INTERVAL_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (options.signal?.aborted || !isPassing(error) || clock.now() + interval > deadline) throw error;
      options.onPassingError?.(error, attempt);
      await clock.sleep(interval, options.signal);
      interval = Math.min(interval * BACKOFF_FACTOR, RETRY_MAX_INTERVAL_MS);
    }
  }
}
