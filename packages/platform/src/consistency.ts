import { isTransientError, StillUnseenError } from './errors';
import { retryPassing, systemClock, type Clock } from './poll';

// AWS APIs are eventually consistent: "the result of an API command you run that affects your Amazon ECS resources
// might not be immediately visible to all subsequent commands you run" (ECS API reference, RunTask). Something this
// run (or a step just before it) created may be unknown for a short while to the next call: a revision just
// registered, a task just started, an invalidation just created. Actions give such an answer this long before they
// believe it. No SDK import: safe at start-up.

/** How long a resource created moments ago may stay invisible before an action takes the answer at its word. */
export const NEW_RESOURCE_PATIENCE_MS = 20_000;

export interface UntilVisibleOptions {
  /** The answer that may only mean "not visible yet". */
  isUnseen: (error: unknown) => boolean;
  /** Whether passing faults (throttling, 5xx, a dropped connection) are tried again too (default true): not for a
   * call that may have been applied when its answer was lost and must not be made twice. */
  retryFaults?: boolean;
  signal?: AbortSignal;
  clock?: Clock;
  /** Told about each such answer the call is tried again after (a passing fault too). */
  onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * `call`, tried again with poll's back-off (retryPassing) while it answers what `isUnseen` says may only mean "not
 * visible yet", or a passing fault (unless `retryFaults` is false), for up to NEW_RESOURCE_PATIENCE_MS. Then an "unseen" answer is thrown as a
 * StillUnseenError (saying how long it was tried), any other error as it is.
 */
export async function untilVisible<T>(call: () => Promise<T>, options: UntilVisibleOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  try {
    return await retryPassing(call, {
      timeoutMs: NEW_RESOURCE_PATIENCE_MS,
      signal: options.signal,
      clock,
      isPassing: (error) => options.isUnseen(error) || ((options.retryFaults ?? true) && isTransientError(error)),
      onPassingError: options.onRetry,
    });
  } catch (error) {
    if (options.isUnseen(error) && !options.signal?.aborted) throw new StillUnseenError(error, clock.now() - started);
    throw error;
  }
}
