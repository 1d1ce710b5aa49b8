import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { CallBudget } from '../src/call-budget';
import { assess, Cadence, CADENCE, leftAt, type Look } from '../src/cadence';
import type { DeploymentSnapshot } from '../src/deployments';
import { fakeClock } from '@shipyard/platform/poll';

const revision = (running: number, pending = 0, requested = running + pending) => ({
  arn: `rev/${Math.random()}`,
  runningTaskCount: running,
  pendingTaskCount: pending,
  requestedTaskCount: requested,
});

const sd = (fields: Partial<ServiceDeployment>): DeploymentSnapshot => ({
  serviceDeployment: { status: 'IN_PROGRESS', ...fields },
});

const look = (fields: Partial<Look>): Look => ({
  at: 0,
  runningTotal: 0,
  otherRunning: 0,
  failures: 0,
  stageAfter: 0,
  urgency: 'quiet',
  soonLooks: 0,
  ...fields,
});

describe('assess', () => {
  test.each<[string, DeploymentSnapshot, Look | undefined, string]>([
    [
      'new tasks starting',
      sd({ targetServiceRevision: revision(0, 2, 2), sourceServiceRevisions: [revision(2)] }),
      undefined,
      'quiet',
    ],
    [
      'new tasks running, old ones still up (health checks)',
      sd({ targetServiceRevision: revision(2, 0, 2), sourceServiceRevisions: [revision(2)] }),
      undefined,
      'quiet',
    ],
    [
      'only the new revision runs: the old tasks are stopping',
      sd({ targetServiceRevision: revision(2, 0, 2), sourceServiceRevisions: [revision(0)] }),
      undefined,
      'soon',
    ],
    [
      'a scale-to-zero deployment',
      sd({ targetServiceRevision: revision(0, 0, 0), sourceServiceRevisions: [revision(0)] }),
      undefined,
      'soon',
    ],
    [
      'tasks stopped since the last look, nothing starting',
      sd({ targetServiceRevision: revision(2, 0, 4), sourceServiceRevisions: [revision(1)] }),
      look({ runningTotal: 5 }),
      'soon',
    ],
    [
      'tasks failed since the last look: the circuit breaker counts them, nothing is stopping',
      sd({
        targetServiceRevision: revision(0, 0, 2),
        sourceServiceRevisions: [revision(2)],
        deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 2, threshold: 3 },
      }),
      look({ runningTotal: 4 }),
      'quiet',
    ],
    [
      'one failure from the threshold with tasks starting',
      sd({
        targetServiceRevision: revision(0, 2, 2),
        sourceServiceRevisions: [revision(2)],
        deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 2, threshold: 3 },
      }),
      look({ runningTotal: 2, failures: 2 }),
      'next-step',
    ],
    [
      'a rollback whose revision still runs old and new tasks',
      sd({
        status: 'ROLLBACK_IN_PROGRESS',
        rollback: { serviceRevisionArn: 'rev/old' },
        targetServiceRevision: revision(0, 0, 0),
        sourceServiceRevisions: [{ ...revision(4), arn: 'rev/old' }],
      }),
      look({ runningTotal: 4 }),
      'quiet',
    ],
    [
      'a rollback back to its size: the surplus tasks are stopping',
      sd({
        status: 'ROLLBACK_IN_PROGRESS',
        rollback: { serviceRevisionArn: 'rev/old' },
        targetServiceRevision: revision(0, 0, 0),
        sourceServiceRevisions: [{ ...revision(2), arn: 'rev/old' }],
      }),
      look({ runningTotal: 4 }),
      'soon',
    ],
    ['a stop with ROLLBACK just requested', sd({ status: 'ROLLBACK_REQUESTED' }), undefined, 'soon'],
    [
      'a hook awaits its answer',
      sd({
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
        lifecycleHookDetails: [{ status: 'AWAITING_ACTION' }],
        targetServiceRevision: revision(2),
        sourceServiceRevisions: [revision(2)],
      }),
      undefined,
      'next-step',
    ],
    [
      'all at once, traffic moves: the bake (and a verification during it) comes next',
      sd({
        lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
        deploymentConfiguration: { strategy: 'BLUE_GREEN' },
        targetServiceRevision: revision(2),
        sourceServiceRevisions: [revision(2)],
      }),
      undefined,
      'next-step',
    ],
    [
      'a linear production shift takes its steps: quiet',
      sd({
        lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
        deploymentConfiguration: { strategy: 'LINEAR' },
        targetServiceRevision: revision(2),
        sourceServiceRevisions: [revision(2)],
      }),
      undefined,
      'quiet',
    ],
    [
      'clean-up before the old tasks stop',
      sd({ lifecycleStage: 'CLEAN_UP', targetServiceRevision: revision(2), sourceServiceRevisions: [revision(2)] }),
      undefined,
      'next-step',
    ],
    [
      'the rolling view: only the primary deployment runs',
      {
        service: {
          deployments: [{ status: 'PRIMARY', runningCount: 2, pendingCount: 0, desiredCount: 2 }],
        },
      },
      undefined,
      'soon',
    ],
    [
      'the rolling view: old tasks still up',
      {
        service: {
          deployments: [
            { status: 'PRIMARY', runningCount: 2, pendingCount: 0, desiredCount: 2 },
            { status: 'ACTIVE', runningCount: 2, pendingCount: 0, desiredCount: 2 },
          ],
        },
      },
      undefined,
      'quiet',
    ],
  ])('%s', (_name, snapshot, previous, urgency) => {
    expect(assess(snapshot, previous, 10_000, 0).urgency).toBe(urgency);
  });

  test('a bake ends its stage start plus the bake time after: baking until then, one step from the end after', () => {
    const baking = sd({
      lifecycleStage: 'BAKE_TIME',
      deploymentConfiguration: { bakeTimeInMinutes: 5 },
      targetServiceRevision: revision(2),
      sourceServiceRevisions: [revision(2)],
    });
    expect(assess(baking, undefined, 100_000, 40_000)).toEqual({ urgency: 'baking', why: 'baking', until: 340_000 });
    expect(assess(baking, undefined, 340_000, 40_000).urgency).toBe('next-step');
  });
});

describe('Cadence', () => {
  const starting = sd({ targetServiceRevision: revision(0, 2, 2), sourceServiceRevisions: [revision(2)] });
  const stopping = sd({ targetServiceRevision: revision(2, 0, 2), sourceServiceRevisions: [revision(0)] });
  const calls = { certain: 1, possible: 1 };

  test('the first look comes after a second; quiet looks after six', () => {
    const clock = fakeClock();
    const budget = new CallBudget({ limit: 15, windowMs: 60_000, burst: 4, sustained: 11, clock });
    const cadence = new Cadence(budget, 0);
    expect(cadence.nextDelay(['web'], calls, 0)).toBe(CADENCE.firstLookMs);
    cadence.observe('web', starting, 1_000);
    expect(cadence.nextDelay(['web'], calls, 1_000)).toBe(CADENCE.quietMs);
  });

  test('looks near a decision are dense, then sparser the longer the decision takes', () => {
    const clock = fakeClock();
    const budget = new CallBudget({ limit: 100, windowMs: 60_000, burst: 100, sustained: 100, clock });
    const cadence = new Cadence(budget, 0);
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 9; i++) {
      cadence.observe('web', stopping, now);
      const delay = cadence.nextDelay(['web'], calls, now);
      delays.push(delay);
      now += delay;
    }
    expect(delays).toEqual([...CADENCE.soonMs, 4_000, 4_000]);
  });

  test('the nearest service sets the pace; the budget sets its limit', () => {
    const clock = fakeClock();
    const budget = new CallBudget({ limit: 15, windowMs: 60_000, burst: 4, sustained: 11, clock });
    const cadence = new Cadence(budget, 0);
    cadence.observe('web', starting, 0);
    cadence.observe('api', stopping, 0);
    expect(cadence.nextDelay(['web', 'api'], calls, 0)).toBe(1_000);
    for (let i = 0; i < 4; i++) {
      budget.record(0);
      budget.pace(0);
    }
    // The burst is spent: the next token comes after 60 s / 11.
    expect(cadence.nextDelay(['web', 'api'], calls, 0)).toBe(Math.ceil(60_000 / 11));
    // Only looks near a decision may spend the last calls of the window (here taken by one-off reads).
    for (let i = 0; i < 10; i++) budget.record(0);
    expect(cadence.nextDelay(['web'], calls, 0)).toBe(60_000);
  });
});

describe('Cadence with a known drain', () => {
  const DRAIN_MS = 120_000;
  const calls = { certain: 1, possible: 1 };
  /** Blue/green: the old revision's tasks still up, then stopped (draining: no longer counted as running). */
  const before = sd({
    lifecycleStage: 'CLEAN_UP',
    targetServiceRevision: revision(2),
    sourceServiceRevisions: [revision(2)],
  });
  const draining = sd({
    lifecycleStage: 'CLEAN_UP',
    targetServiceRevision: revision(2),
    sourceServiceRevisions: [revision(0)],
  });

  /** Looks at `draining` from the first look that shows it until `until`, each when the cadence asks. */
  function looksUntil(cadence: Cadence, budget: CallBudget, seenAt: number, until: number): number[] {
    const at: number[] = [];
    for (let now = seenAt; now < until; now += cadence.nextDelay(['web'], calls, now)) {
      budget.record(now);
      budget.pace(now);
      cadence.observe('web', draining, now);
      at.push(now);
    }
    return at;
  }

  function watch(drainMs: number | undefined) {
    const budget = new CallBudget({ limit: 15, windowMs: 60_000, burst: 4, sustained: 11, clock: fakeClock() });
    const cadence = new Cadence(budget, 0, () => drainMs);
    cadence.observe('web', before, 0);
    return { budget, cadence };
  }

  test('sparse until the drain can end, then every 2 s through the window it can end in', () => {
    const { budget, cadence } = watch(DRAIN_MS);
    // The drain began between the look at 0 and the one at 3 s: it can end from 120 s to 3 + 120 + 5 s.
    const at = looksUntil(cadence, budget, 3_000, 131_000);
    const during = at.filter((t) => t > 3_000 && t < DRAIN_MS);
    expect(Math.min(...during.map((t, i) => t - (during[i - 1] ?? 3_000)))).toBeGreaterThanOrEqual(
      CADENCE.drainingMaxMs,
    );
    expect(at).toContain(DRAIN_MS);
    const window = at.filter((t) => t >= DRAIN_MS && t <= 128_000);
    expect(window).toEqual([120_000, 122_000, 124_000, 126_000, 128_000]);
  });

  test('the window costs no more than the budget allows: ≤ 15 looks in any minute', () => {
    const { budget, cadence } = watch(DRAIN_MS);
    const at = looksUntil(cadence, budget, 3_000, 200_000);
    for (const start of at) expect(at.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(15);
  });

  test('without a known drain: dense at once, then the sustained rate (as before)', () => {
    const { budget, cadence } = watch(undefined);
    const at = looksUntil(cadence, budget, 3_000, 131_000);
    expect(at.slice(0, 4)).toEqual([3_000, 4_000, 5_000, 6_000]);
    const gaps = at
      .slice(-5)
      .map((t, i, all) => (i ? t - all[i - 1] : 0))
      .slice(1);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(Math.floor(60_000 / 11));
  });

  test('old tasks leaving while new ones start (a rolling wave) start the drain too', () => {
    const { budget, cadence } = watch(DRAIN_MS);
    cadence.observe('web', sd({ targetServiceRevision: revision(0, 2, 2), sourceServiceRevisions: [revision(2)] }), 0);
    // One look later the new tasks run and the old ones left: the total is the same.
    const now = 6_000;
    budget.record(now);
    const look = cadence.observe(
      'web',
      sd({ targetServiceRevision: revision(2, 0, 2), sourceServiceRevisions: [revision(0)] }),
      now,
    );
    expect(look).toMatchObject({ urgency: 'draining', until: DRAIN_MS, drain: { from: DRAIN_MS, to: 131_000 } });
  });

  test('tasks that failed do not drain: the circuit breaker counts them, the looks stay as they were', () => {
    const { cadence } = watch(DRAIN_MS);
    const look = cadence.observe(
      'web',
      sd({
        targetServiceRevision: revision(0, 0, 2),
        sourceServiceRevisions: [revision(2)],
        deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 2, threshold: 3 },
      }),
      3_000,
    );
    expect(look.drain).toBeUndefined();
  });
});

describe('leftAt: when ECS says tasks began to leave', () => {
  const event = (message: string, at: number) => ({ message, createdAt: new Date(at) });
  test.each<[string, { message: string; createdAt: Date }[], number | undefined]>([
    ['no event', [], undefined],
    [
      'the scheduler stopped tasks',
      [event('(service web) has stopped 2 running tasks: (task a) (task b).', 50_000)],
      50_000,
    ],
    [
      'the load balancer drains them',
      [event('(service web) has begun draining connections on 2 tasks.', 50_000)],
      50_000,
    ],
    [
      'the newest of several',
      [
        event('(service web) has stopped 1 running tasks: (task a).', 45_000),
        event('(service web) has stopped 1 running tasks: (task b).', 55_000),
      ],
      55_000,
    ],
    [
      'one older than the look before',
      [event('(service web) has stopped 2 running tasks: (task a) (task b).', 10_000)],
      undefined,
    ],
    ['another kind of event', [event('(service web) has started 2 tasks: (task c) (task d).', 50_000)], undefined],
  ])('%s', (_name, events, expected) => {
    expect(leftAt(events, 40_000, 60_000)).toBe(expected);
  });

  test("with the event, the window is the stop's few seconds after the delay", () => {
    const budget = new CallBudget({ limit: 15, windowMs: 60_000, burst: 4, sustained: 11, clock: fakeClock() });
    const cadence = new Cadence(budget, 0, () => 120_000);
    cadence.observe('web', sd({ targetServiceRevision: revision(2), sourceServiceRevisions: [revision(2)] }), 0);
    const draining = {
      ...sd({ targetServiceRevision: revision(2), sourceServiceRevisions: [revision(0)] }),
      service: {
        events: [
          { message: '(service web) has stopped 2 running tasks: (task a) (task b).', createdAt: new Date(14_000) },
        ],
      },
    };
    expect(cadence.drainBegins('web', draining, 20_000)).toBe(true);
    expect(cadence.observe('web', draining, 20_000).drain).toEqual({
      from: 134_000,
      to: 134_000 + CADENCE.afterDrainMs,
    });
  });
});
