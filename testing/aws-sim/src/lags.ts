// Eventually consistent answers: AWS documents that the result of a call "might not be immediately visible to all
// subsequent commands" (ECS API reference, RunTask). The sim answers as if fully consistent unless a test asks for a
// lag; then, for a while after a write, the reads of what it wrote answer as before it. Every lag is bounded, so a
// client that retries for long enough always sees the settled answer.

/**
 * How long a lag lasts after each write: the first `reads` calls of each operation that read what was written
 * answer stale, and none once `ms` of simulated time have passed; whichever bound comes first ends it. `true` is
 * `{ reads: 2 }`.
 */
export type Lag = boolean | { reads?: number; ms?: number };

/** Answers AWS may give, documented as eventually consistent, that the sim gives only when asked. */
export interface Lags {
  /** UpdateService answers with the service as it was: its `currentServiceDeployment` is not yet the new one. */
  staleUpdateServiceAnswer?: boolean;
  /**
   * A revision RegisterTaskDefinition just registered is unknown: DescribeTaskDefinition, RunTask, CreateService and
   * UpdateService naming it (`family:revision` or its ARN) answer ClientException "Unable to describe task
   * definition." A bare family still resolves to its latest revision.
   */
  unknownNewTaskDefinition?: Lag;
  /** DescribeServices shows a service as it was before UpdateService: its old deployments, task definition and
   * current service deployment. */
  staleServiceAfterUpdate?: Lag;
  /** The service deployment UpdateService started is not listed by ListServiceDeployments, and
   * DescribeServiceDeployments answers it as a MISSING failure. */
  unlistedNewServiceDeployment?: Lag;
  /** DescribeTasks answers a task RunTask just started as a MISSING failure. */
  missingNewTask?: Lag;
  /** GetInvalidation answers NoSuchInvalidation for an invalidation CreateInvalidation just created. */
  unknownNewInvalidation?: Lag;
}

/** The lags that are bounded by reads or time (all but the answer of UpdateService itself). */
export type BoundedLag = Exclude<keyof Lags, 'staleUpdateServiceAnswer'>;

const DEFAULT_READS = 2;

interface LagEntry {
  since: number;
  readsBy: Map<string, number>;
  stale: unknown;
}

/** Which writes are still lagging, and what their readers see meanwhile. */
export class LagTracker {
  private readonly entries = new Map<string, LagEntry>();

  constructor(
    private readonly lags: Lags,
    private readonly now: () => number,
  ) {}

  /** A write whose result (`key`) readers see only after the lag of `kind`, if that lag is on; `stale` is what they
   * see meanwhile, when there is more to it than "not found". */
  start(kind: BoundedLag, key: string, stale?: unknown): void {
    if (this.lags[kind]) this.entries.set(`${kind}|${key}`, { since: this.now(), readsBy: new Map(), stale });
  }

  /**
   * Whether this read of `key` by `operation` still gets the answer from before the write; counts the read. Returns
   * `{ stale }` (what start recorded) while lagging, undefined once settled.
   */
  read(kind: BoundedLag, key: string, operation: string): { stale: unknown } | undefined {
    const entry = this.entries.get(`${kind}|${key}`);
    const setting = this.lags[kind];
    if (!entry || !setting) return undefined;
    const bound = setting === true ? {} : setting;
    const maxReads = bound.reads ?? (bound.ms === undefined ? DEFAULT_READS : Infinity);
    const reads = (entry.readsBy.get(operation) ?? 0) + 1;
    entry.readsBy.set(operation, reads);
    const lagging = reads <= maxReads && this.now() - entry.since < (bound.ms ?? Infinity);
    return lagging ? { stale: entry.stale } : undefined;
  }
}
