import { EventEmitter } from 'node:events';
import {
  PollCancelledError,
  PollTimeoutError,
  cancellationSignal,
  fakeClock,
  poll,
  systemClock,
  type PollProgress,
} from '../src/poll';

/** A describe that returns the given states in order, then keeps returning the last one. */
function states<T>(...sequence: T[]): jest.Mock<Promise<T>, [AbortSignal?]> {
  let index = 0;
  return jest.fn(async () => sequence[Math.min(index++, sequence.length - 1)]);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('fakeClock', () => {
  test('auto-advancing: each sleep moves time at once and is recorded', async () => {
    const clock = fakeClock({ start: 1_000 });
    await clock.sleep(250);
    await clock.sleep(750);
    expect(clock.now()).toBe(2_000);
    expect(clock.sleeps).toEqual([250, 750]);
  });

  test('manual: a sleep ends only when advance() reaches it', async () => {
    const clock = fakeClock({ autoAdvance: false });
    let woke = false;
    const sleeping = clock.sleep(100).then(() => (woke = true));
    clock.advance(99);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  test('an abort rejects a pending sleep with the signal reason', async () => {
    const clock = fakeClock({ autoAdvance: false });
    const controller = new AbortController();
    const sleeping = clock.sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});

describe('systemClock', () => {
  test('an already aborted signal rejects the sleep without waiting', async () => {
    await expect(systemClock.sleep(60_000, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('poll', () => {
  test('returns the first state that is done, checking at once and then after each sleep', async () => {
    const clock = fakeClock();
    const describe = states('PENDING', 'IN_PROGRESS', 'COMPLETED');
    const result = await poll({ describe, isDone: (s) => s === 'COMPLETED', timeoutMs: 60_000, clock });
    expect(result).toBe('COMPLETED');
    expect(describe).toHaveBeenCalledTimes(3);
    // Defaults: 2 s first, then 1.5× per check.
    expect(clock.sleeps).toEqual([2_000, 3_000]);
  });

  test('the interval backs off by 1.5× up to the maximum', async () => {
    const clock = fakeClock();
    const describe = states(...Array.from({ length: 8 }, () => 'waiting'), 'done');
    await poll({
      describe,
      isDone: (s) => s === 'done',
      timeoutMs: 600_000,
      clock,
      minIntervalMs: 1_000,
      maxIntervalMs: 5_000,
    });
    expect(clock.sleeps).toEqual([1_000, 1_500, 2_250, 3_375, 5_000, 5_000, 5_000, 5_000]);
  });

  test('the interval snaps back to the minimum when the fingerprint changes', async () => {
    const clock = fakeClock();
    const describe = states(
      { stage: 'SCALE_UP', n: 1 },
      { stage: 'SCALE_UP', n: 2 },
      { stage: 'SCALE_UP', n: 3 },
      { stage: 'BAKE_TIME', n: 4 },
      { stage: 'BAKE_TIME', n: 5 },
      { stage: 'CLEAN_UP', n: 6 },
    );
    await poll({
      describe,
      isDone: (s) => s.stage === 'CLEAN_UP',
      fingerprint: (s) => s.stage,
      timeoutMs: 600_000,
      clock,
      minIntervalMs: 1_000,
      maxIntervalMs: 30_000,
    });
    // Changes seen at the 4th check (SCALE_UP → BAKE_TIME): the sleep after it is the minimum again.
    expect(clock.sleeps).toEqual([1_000, 1_500, 2_250, 1_000, 1_500]);
  });

  test('without a fingerprint the interval only grows', async () => {
    const clock = fakeClock();
    const describe = states('a', 'b', 'c', 'done');
    await poll({ describe, isDone: (s) => s === 'done', timeoutMs: 600_000, clock, minIntervalMs: 1_000 });
    expect(clock.sleeps).toEqual([1_000, 1_500, 2_250]);
  });

  test('reports progress before each sleep', async () => {
    const clock = fakeClock();
    const progress: PollProgress<string>[] = [];
    await poll<string>({
      describe: states('a', 'b', 'done'),
      isDone: (s) => s === 'done',
      timeoutMs: 600_000,
      clock,
      minIntervalMs: 1_000,
      onProgress: (p) => progress.push(p),
    });
    expect(progress).toEqual([
      { state: 'a', attempt: 1, elapsedMs: 0, nextPollInMs: 1_000 },
      { state: 'b', attempt: 2, elapsedMs: 1_000, nextPollInMs: 1_500 },
    ]);
  });

  test('the deadline throws PollTimeoutError carrying the last state; the last check is at the deadline', async () => {
    const clock = fakeClock();
    let checks = 0;
    const describe = jest.fn(async () => ({ running: 1, desired: 3, check: ++checks }));
    const error = await rejection(
      poll({
        describe,
        isDone: (s) => s.running === s.desired,
        timeoutMs: 10_000,
        clock,
        minIntervalMs: 2_000,
        maxIntervalMs: 4_000,
        waitingFor: 'service web to become stable',
      }),
    );
    expect(error).toBeInstanceOf(PollTimeoutError);
    const timeout = error as PollTimeoutError<{ check: number }>;
    expect(timeout.message).toBe('timed out after 10s waiting for service web to become stable (5 checks)');
    expect(timeout.lastState).toEqual({ running: 1, desired: 3, check: 5 });
    expect(timeout.attempts).toBe(5);
    // 2 + 3 + 4, then only the 1 s left until the deadline.
    expect(clock.sleeps).toEqual([2_000, 3_000, 4_000, 1_000]);
    expect(clock.now()).toBe(10_000);
  });

  test('a timeout of zero checks once', async () => {
    const clock = fakeClock();
    const error = await rejection(poll({ describe: states('x'), isDone: () => false, timeoutMs: 0, clock }));
    expect(error).toMatchObject({
      name: 'PollTimeoutError',
      message: 'timed out after 0s waiting for the operation (1 check)',
    });
    expect(clock.sleeps).toEqual([]);
  });

  test('an error thrown by isDone ends the wait with that error', async () => {
    const failure = new Error('deployment FAILED');
    const isDone = (s: string) => {
      if (s === 'FAILED') throw failure;
      return s === 'COMPLETED';
    };
    await expect(
      poll({ describe: states('IN_PROGRESS', 'FAILED'), isDone, timeoutMs: 60_000, clock: fakeClock() }),
    ).rejects.toBe(failure);
  });

  test('an error thrown by describe propagates unchanged', async () => {
    const failure = new Error('ecs:DescribeServices failed');
    const describe = jest.fn().mockResolvedValueOnce('x').mockRejectedValueOnce(failure);
    await expect(poll({ describe, isDone: () => false, timeoutMs: 60_000, clock: fakeClock() })).rejects.toBe(failure);
  });

  test('abort while asleep throws PollCancelledError at once, with the last state', async () => {
    const clock = fakeClock({ autoAdvance: false });
    const controller = new AbortController();
    const describe = states('IN_PROGRESS');
    const waiting = poll({ describe, isDone: () => false, timeoutMs: 3_600_000, clock, signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.sleeps).toEqual([2_000]);
    clock.advance(500);
    controller.abort(new Error('received SIGINT'));
    const error = await rejection(waiting);
    expect(error).toBeInstanceOf(PollCancelledError);
    expect(error).toMatchObject({
      message: 'cancelled (received SIGINT) after 500ms while waiting for the operation',
      lastState: 'IN_PROGRESS',
    });
    expect(describe).toHaveBeenCalledTimes(1);
  });

  test('abort during a describe that hangs throws without waiting for it', async () => {
    const controller = new AbortController();
    const describe = jest.fn((signal?: AbortSignal) => {
      expect(signal).toBe(controller.signal);
      return new Promise<string>(() => undefined);
    });
    const waiting = poll({
      describe,
      isDone: () => false,
      timeoutMs: 60_000,
      clock: fakeClock(),
      signal: controller.signal,
    });
    controller.abort();
    const error = await rejection(waiting);
    expect(error).toBeInstanceOf(PollCancelledError);
    expect((error as PollCancelledError).lastState).toBeUndefined();
  });

  test('an already aborted signal stops before the first describe', async () => {
    const describe = states('x');
    const error = await rejection(
      poll({ describe, isDone: () => false, timeoutMs: 60_000, clock: fakeClock(), signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(PollCancelledError);
    expect(describe).not.toHaveBeenCalled();
  });

  test('a passing describe error does not end the wait: the next check comes after the interval', async () => {
    const clock = fakeClock();
    const answers: (number | Error)[] = [1, new Error('socket hang up'), 2];
    const seen: number[] = [];
    const state = await poll({
      describe: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      isDone: (n) => n === 2,
      timeoutMs: 60_000,
      clock,
      isPassing: (error) => error instanceof Error && error.message === 'socket hang up',
      onPassingError: (_error, attempt) => seen.push(attempt),
    });
    expect(state).toBe(2);
    expect(seen).toEqual([2]);
    expect(clock.sleeps).toHaveLength(2);
  });

  test('passing errors up to the deadline end in PollTimeoutError naming the last error, with the last state', async () => {
    const clock = fakeClock();
    let calls = 0;
    const wait = poll({
      describe: async () => {
        if (calls++ === 0) return 'seen once';
        throw new Error('HTTP 502');
      },
      isDone: () => false,
      timeoutMs: 10_000,
      clock,
      isPassing: () => true,
    });
    await expect(wait).rejects.toThrow(/timed out after 10s .*the last check failed: HTTP 502/);
    await expect(wait).rejects.toMatchObject({ lastState: 'seen once' });
  });

  test('an error that is not passing ends the wait at once', async () => {
    const wait = poll({
      describe: async () => {
        throw new Error('AccessDenied');
      },
      isDone: () => false,
      timeoutMs: 10_000,
      clock: fakeClock(),
      isPassing: () => false,
    });
    await expect(wait).rejects.toThrow('AccessDenied');
  });

  test('a schedule replaces the back-off, and the first describe can wait', async () => {
    const clock = fakeClock();
    const describe = states(1, 2, 3, 4);
    const schedule = jest.fn((state: number | undefined) => (state ?? 0) * 1_000);
    await poll({ describe, isDone: (s) => s === 4, timeoutMs: 60_000, clock, schedule, firstDelayMs: 500 });
    expect(clock.sleeps).toEqual([500, 1_000, 2_000, 3_000]);
    expect(schedule.mock.calls.map(([state]) => state)).toEqual([1, 2, 3]);
  });

  test('a wake-up ends the current wait at once; one that comes during a describe skips the next wait', async () => {
    const clock = fakeClock({ autoAdvance: false });
    let wakeUp = () => {};
    let describes = 0;
    const describe = jest.fn(async () => {
      describes++;
      if (describes === 2) wakeUp();
      return describes;
    });
    const polling = poll({
      describe,
      isDone: (s) => s === 4,
      timeoutMs: 600_000,
      clock,
      schedule: () => 60_000,
      wake: (wake) => (wakeUp = wake),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(describes).toBe(1);
    wakeUp();
    await new Promise((resolve) => setImmediate(resolve));
    // Woken from the first wait; the second describe woke it again, so the third came without a wait.
    expect(describes).toBe(3);
    clock.advance(60_000);
    await expect(polling).resolves.toBe(4);
    expect(clock.now()).toBe(60_000);
  });

  test('the default maximum interval is 30 s', async () => {
    const clock = fakeClock();
    await rejection(poll({ describe: states('x'), isDone: () => false, timeoutMs: 200_000, clock }));
    expect(Math.max(...clock.sleeps)).toBe(30_000);
  });
});

describe('cancellationSignal', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s aborts the shared signal once', (name) => {
    const source = new EventEmitter();
    const signal = cancellationSignal(source);
    expect(cancellationSignal(source)).toBe(signal);
    expect(signal.aborted).toBe(false);
    source.emit(name);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe(`received ${name}`);
    // A second signal is left to Node's default handling: nothing of ours listens any more.
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
  });
});
