import type { SimClock } from './clock';
import { LagTracker, type Lags } from './lags';
import { ScenarioRegistry } from './scenarios';

export type { Lag, Lags } from './lags';

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
  /** The HTTP status answered; 0 when no answer was sent (an injected dropped connection or hang). */
  status: number;
  /** The AWS error code answered, if any (injected faults included). */
  errorCode?: string;
  mutating: boolean;
  injected?: boolean;
  /** Logged by a registry stand-in: a Docker Registry API call ECR authorises by this operation's IAM action, not an
   * answer of the ECR API, so the model does not describe it. */
  registryApi?: boolean;
  /** The body answered (text protocols), for checking answers against the AWS API models. */
  responseBody?: string;
  /** The caller's User-Agent header, as CloudTrail records it (the SDK adds `app/<AWS_SDK_UA_APP_ID>` to it). */
  userAgent?: string;
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
  /** Match only calls that change something (true) or only reads (false). */
  mutating?: boolean;
  /**
   * Fire only at the nth matching request (1-based, counted from when the rule was added; with no service, operation
   * or mutating filter that is the nth request overall) and at the `following` matching requests after it.
   */
  nth?: number;
  /** With `nth`: also fire at this many matching requests after the nth (default 0), e.g. every SDK retry. */
  following?: number;
  /** Probability (0..1) of answering a throttling error. */
  throttleRate?: number;
  /** Probability (0..1) of answering a 5xx error. */
  serverErrorRate?: number;
  /** Added real latency in ms before answering. */
  latencyMs?: number;
  /** Answer this error to the next matching call(s), `times` times (default 1; with `nth` the window decides). */
  error?: { code: string; message?: string; status?: number; times?: number };
  /** Answer as a proxy in front of AWS would: a status with a body that is neither JSON nor XML (502 HTML page). */
  proxyError?: { status?: number; contentType?: string; body?: string };
  /** Close the connection without answering. */
  dropConnection?: boolean;
  /** With dropConnection, proxyError or hang: the call is carried out first and only its answer is lost — the case
   * where a client cannot tell whether its change was made. */
  afterApplying?: boolean;
  /** Accept the request and never answer: the connection stays open until the client gives up or the sim closes. */
  hang?: boolean;
}

/** What an injected fault does instead of (or besides) the normal answer. */
export type FaultEffect =
  | { kind: 'error'; code: string; message: string; status: number }
  | { kind: 'proxy-error'; status: number; contentType: string; body: string }
  | { kind: 'drop-connection' }
  | { kind: 'hang' };

/** A rule that fired for a request, as told to `onFault` listeners. */
export interface FiredFault {
  service: string;
  operation: string;
  rule: FaultRule;
}

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

export interface RequestFilter {
  service?: string;
  operation?: string;
  sinceRealTime?: number;
  untilRealTime?: number;
  mutating?: boolean;
  /** Only requests whose User-Agent contains this text. */
  userAgent?: string;
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
  /** Answers AWS may give that the sim does not give by default (see SimOptions.lags). */
  readonly lags: Lags = {};
  /** The writes whose results readers do not see yet (only while a lag is on). */
  readonly lagging = new LagTracker(this.lags, () => this.now());
  readonly random: () => number;
  private readonly stores = new Map<string, unknown>();
  private readonly matchCounts = new WeakMap<FaultRule, number>();
  private readonly faultListeners = new Set<(fired: FiredFault) => void>();
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
        (filter.mutating === undefined || r.mutating === filter.mutating) &&
        (filter.userAgent === undefined || (r.userAgent ?? '').includes(filter.userAgent)),
    );
  }

  /** Calls `listener` whenever a fault rule fires; returns the unsubscribe function. */
  onFault(listener: (fired: FiredFault) => void): () => void {
    this.faultListeners.add(listener);
    return () => void this.faultListeners.delete(listener);
  }

  /** The fault to apply to this call, if a rule matches (consumes one-shot errors, counts `nth` rules). */
  pickFault(service: string, operation: string): { latencyMs: number; effect?: FaultEffect; afterApplying?: boolean } {
    let latencyMs = 0;
    const mutating = isMutating(operation);
    for (const rule of this.faults) {
      if (!this.fires(rule, service, operation, mutating)) continue;
      for (const listener of this.faultListeners) listener({ service, operation, rule });
      latencyMs += rule.latencyMs ?? 0;
      const effect = this.effectOf(rule);
      if (effect) return { latencyMs, effect, afterApplying: rule.afterApplying && effect.kind !== 'error' };
    }
    return { latencyMs };
  }

  private fires(rule: FaultRule, service: string, operation: string, mutating: boolean): boolean {
    if (rule.service !== undefined && rule.service !== service) return false;
    if (rule.operation !== undefined && rule.operation !== operation) return false;
    if (rule.mutating !== undefined && rule.mutating !== mutating) return false;
    if (rule.nth === undefined) return true;
    const seen = (this.matchCounts.get(rule) ?? 0) + 1;
    this.matchCounts.set(rule, seen);
    return seen >= rule.nth && seen <= rule.nth + (rule.following ?? 0);
  }

  private effectOf(rule: FaultRule): FaultEffect | undefined {
    if (rule.hang) return { kind: 'hang' };
    if (rule.dropConnection) return { kind: 'drop-connection' };
    if (rule.proxyError) {
      const { status = 502, contentType = 'text/html', body = BAD_GATEWAY_PAGE } = rule.proxyError;
      return { kind: 'proxy-error', status, contentType, body };
    }
    const windowed = rule.nth !== undefined;
    if (rule.error && (windowed || (rule.error.times ?? 1) > 0)) {
      if (!windowed) rule.error.times = (rule.error.times ?? 1) - 1;
      const { code, message = `Injected ${code}`, status = 400 } = rule.error;
      return { kind: 'error', code, message, status };
    }
    if (rule.throttleRate && this.random() < rule.throttleRate) {
      return { kind: 'error', code: 'Throttling', message: 'Rate exceeded', status: 400 };
    }
    if (rule.serverErrorRate && this.random() < rule.serverErrorRate) {
      const message = 'We encountered an internal error. Please try again.';
      return { kind: 'error', code: 'InternalFailure', message, status: 500 };
    }
    return undefined;
  }
}
