import { systemClock, type Clock } from '@shipyard/platform/poll';

// A cap on how often a step reads an AWS API while it waits: at most `limit` reads in any `windowMs`, every read
// attempt that goes out through the client counted (SDK retries, one-off reads such as a failure's explanation).
// Changes (UpdateService, a hook's answer, StopServiceDeployment) are not counted: there is one per service and
// decision, each goes out when it is due — a rollback is never held back to save calls — and ECS throttles them in
// buckets of their own, apart from the reads a wait repeats. The waits'
// own looks are also paced by a token bucket (as AWS itself throttles): at most `burst` back to back, otherwise an
// even `sustained` per window, so a burst never leaves a wait without a look for long — and a one-off read does not
// take a look's turn. AWS throttles each account per Region with token buckets every pipeline in that account shares,
// so a wait is told what it may spend rather than finding out through ThrottlingException.

export interface CallBudgetOptions {
  limit: number;
  windowMs: number;
  /** Calls that may go out back to back before the even rate applies. */
  burst: number;
  /** The even rate: calls per window once a burst is spent (at most `limit`). */
  sustained: number;
  clock?: Clock;
}

export class CallBudget {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
  /** When each call went out, oldest first; only those still inside the window are kept. */
  private readonly calls: number[] = [];
  private readonly burst: number;
  /** Tokens per millisecond. */
  private readonly rate: number;
  private tokenCount: number;
  private tokensAt: number;

  constructor(options: CallBudgetOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.burst = options.burst;
    this.rate = Math.min(options.sustained, options.limit) / options.windowMs;
    this.clock = options.clock ?? systemClock;
    this.tokenCount = options.burst;
    this.tokensAt = this.clock.now();
  }

  /** A call went out. */
  record(at = this.clock.now()): void {
    this.calls.push(at);
    this.forget(at);
  }

  /** A wait's look made a call: it takes a token. */
  pace(at = this.clock.now()): void {
    this.tokenCount = this.tokens(at) - 1;
    this.tokensAt = at;
  }

  /** Calls that may still go out at `at` without going over the limit. */
  free(at = this.clock.now()): number {
    this.forget(at);
    return Math.max(0, this.limit - this.calls.filter((time) => time > at - this.windowMs).length);
  }

  /**
   * The earliest moment at or after `from` when a look making `count` calls has their tokens and the window still
   * has room for `spare` more (calls that may follow, and calls kept for more urgent looks).
   */
  availableAt(count: number, from = this.clock.now(), spare = 0): number {
    const needed = Math.min(this.limit, count + spare);
    const inWindow = this.calls.filter((time) => time > from - this.windowMs);
    const excess = inWindow.length + needed - this.limit;
    // The excess oldest calls in the window have to leave it first.
    const windowAllows = excess <= 0 ? from : inWindow[excess - 1] + this.windowMs;
    const lacking = Math.min(count, this.burst) - this.tokens(from);
    const bucketAllows = lacking <= 0 ? from : from + Math.ceil(lacking / this.rate);
    return Math.max(windowAllows, bucketAllows);
  }

  /** Looks' calls that may go out back to back at `at`. */
  tokens(at = this.clock.now()): number {
    return Math.min(this.burst, this.tokenCount + Math.max(0, at - this.tokensAt) * this.rate);
  }

  private forget(now: number): void {
    while (this.calls.length && this.calls[0] <= now - this.windowMs) this.calls.shift();
  }
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: object,
    ): void;
  };
}

/** Describe…, List…, Get…: the operations a wait repeats, which ECS throttles in its read buckets. */
export function isReadOperation(commandName: string | undefined): boolean {
  return /^(Describe|List|Get)[A-Z]/.test(commandName?.replace(/Command$/, '') ?? '');
}

const budgets = new WeakMap<object, CallBudget>();

/**
 * The budget of one client (one per step: a deploy's watch and its rollback wait share it). The first call makes it
 * and, on an SDK client, starts counting every read attempt the client sends — the explanation's reads too — so what
 * the waits plan with is what AWS sees. Other clients (test fakes) are counted by the waits themselves.
 */
export function callBudgetOf(client: object, options: CallBudgetOptions): { budget: CallBudget; countsSends: boolean } {
  let budget = budgets.get(client);
  const countsSends = hasMiddlewareStack(client);
  if (!budget) {
    budget = new CallBudget(options);
    budgets.set(client, budget);
    if (countsSends) {
      const counted = budget;
      // The deserialize step runs once per attempt, inside the SDK's retries.
      client.middlewareStack.add(
        (next, context) => (args) => {
          if (isReadOperation(context.commandName)) counted.record();
          return next(args);
        },
        { step: 'deserialize', name: 'shipyardCallBudget' },
      );
    }
  }
  return { budget, countsSends };
}

function hasMiddlewareStack(client: object): client is MiddlewareClient {
  return typeof (client as Partial<MiddlewareClient>).middlewareStack?.add === 'function';
}
