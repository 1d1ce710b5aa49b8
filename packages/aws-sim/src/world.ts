import type { SimClock } from './clock';
import { ScenarioRegistry } from './scenarios';

/** One AWS (or GitHub) call as the sim saw it: what tests and benchmarks query. */
export interface RequestRecord {
  seq: number;
  /** Wall-clock epoch ms when the request arrived. */
  realTime: number;
  /** Simulated epoch ms when the request arrived. */
  simTime: number;
  service: string;
  operation: string;
  region: string;
  /** The decoded request parameters. */
  params: unknown;
  status: number;
  /** The AWS error code answered, if any (injected faults included). */
  errorCode?: string;
  mutating: boolean;
  injected?: boolean;
}

/** A final (or notable) state reached by a resource, with the moment the sim decided it. */
export interface Milestone {
  kind: string;
  id: string;
  state: string;
  simTime: number;
  realTime: number;
}

export interface FaultRule {
  service?: string;
  operation?: string;
  /** Probability (0..1) of answering a throttling error. */
  throttleRate?: number;
  /** Probability (0..1) of answering a 5xx error. */
  serverErrorRate?: number;
  /** Added real latency in ms before answering. */
  latencyMs?: number;
  /** Answer this error to the next matching call(s), `times` times (default 1). */
  error?: { code: string; message?: string; status?: number; times?: number };
}

export interface RequestFilter {
  service?: string;
  operation?: string;
  sinceRealTime?: number;
  untilRealTime?: number;
  mutating?: boolean;
}

const READ_ONLY = /^(Describe|List|Get|BatchGet|Filter|Head)/;

export function isMutating(operation: string): boolean {
  return !READ_ONLY.test(operation);
}

interface ScheduledEvent {
  at: number;
  seq: number;
  run: () => void;
}

/** Deterministic pseudo-random numbers (mulberry32), so fault injection is repeatable. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The whole simulated account: state stores per service, a scheduler of timed events, the scenario registry,
 * the request log, milestones and fault rules. Time-driven state advances lazily: before every request the
 * server runs every event that is due, each at its own simulated instant, so results do not depend on timing.
 */
export class World {
  readonly scenarios = new ScenarioRegistry();
  readonly requests: RequestRecord[] = [];
  readonly milestones: Milestone[] = [];
  readonly faults: FaultRule[] = [];
  readonly random: () => number;
  private readonly stores = new Map<string, unknown>();
  private readonly queue: ScheduledEvent[] = [];
  private eventSeq = 0;
  private requestSeq = 0;
  /** While events run, "now" is the event's own instant, not the clock's. */
  private eventTime: number | undefined;

  constructor(
    readonly clock: SimClock,
    readonly accountId = '123456789012',
    seed = 42,
  ) {
    this.random = seededRandom(seed);
  }

  now(): number {
    return this.eventTime ?? this.clock.now();
  }

  /** A per-service state object, created on first use. */
  store<T>(key: string, init: () => T): T {
    if (!this.stores.has(key)) this.stores.set(key, init());
    return this.stores.get(key) as T;
  }

  /** Schedules `run` at simulated time `at` (never before now). */
  at(at: number, run: () => void): void {
    const event = { at: Math.max(at, this.now()), seq: this.eventSeq++, run };
    let i = this.queue.length;
    while (
      i > 0 &&
      (this.queue[i - 1].at > event.at || (this.queue[i - 1].at === event.at && this.queue[i - 1].seq > event.seq))
    )
      i--;
    this.queue.splice(i, 0, event);
  }

  /** Schedules `run` after `ms` simulated milliseconds. */
  after(ms: number, run: () => void): void {
    this.at(this.now() + ms, run);
  }

  /** Runs every event due at or before the clock's current time, in time order. */
  advance(): void {
    const target = this.clock.now();
    while (this.queue.length && this.queue[0].at <= target) {
      const event = this.queue.shift()!;
      this.eventTime = event.at;
      try {
        event.run();
      } finally {
        this.eventTime = undefined;
      }
    }
  }

  /** Simulated time of the next pending event, if any (lets a manual-clock test jump straight to it). */
  nextEventTime(): number | undefined {
    return this.queue[0]?.at;
  }

  milestone(kind: string, id: string, state: string): void {
    const simTime = this.now();
    this.milestones.push({ kind, id, state, simTime, realTime: this.clock.toRealTime(simTime) });
  }

  record(entry: Omit<RequestRecord, 'seq'>): RequestRecord {
    const record = { seq: ++this.requestSeq, ...entry };
    this.requests.push(record);
    return record;
  }

  findRequests(filter: RequestFilter = {}): RequestRecord[] {
    return this.requests.filter(
      (r) =>
        (filter.service === undefined || r.service === filter.service) &&
        (filter.operation === undefined || r.operation === filter.operation) &&
        (filter.sinceRealTime === undefined || r.realTime >= filter.sinceRealTime) &&
        (filter.untilRealTime === undefined || r.realTime <= filter.untilRealTime) &&
        (filter.mutating === undefined || r.mutating === filter.mutating),
    );
  }

  /** The fault to apply to this call, if a rule matches (consumes one-shot errors). */
  pickFault(
    service: string,
    operation: string,
  ): { latencyMs: number; error?: { code: string; message: string; status: number } } {
    let latencyMs = 0;
    for (const rule of this.faults) {
      if ((rule.service && rule.service !== service) || (rule.operation && rule.operation !== operation)) continue;
      latencyMs += rule.latencyMs ?? 0;
      if (rule.error && (rule.error.times ?? 1) > 0) {
        rule.error.times = (rule.error.times ?? 1) - 1;
        const { code, message = `Injected ${code}`, status = 400 } = rule.error;
        return { latencyMs, error: { code, message, status } };
      }
      if (rule.throttleRate && this.random() < rule.throttleRate) {
        return { latencyMs, error: { code: 'Throttling', message: 'Rate exceeded', status: 400 } };
      }
      if (rule.serverErrorRate && this.random() < rule.serverErrorRate) {
        return {
          latencyMs,
          error: {
            code: 'InternalFailure',
            message: 'We encountered an internal error. Please try again.',
            status: 500,
          },
        };
      }
    }
    return { latencyMs };
  }
}
