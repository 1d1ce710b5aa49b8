import type { ServiceDeployment, ServiceEvent } from '@aws-sdk/client-ecs';
import type { CallBudget } from './call-budget';
import type { DeploymentSnapshot } from './deployments';

// When a watch looks at its deployments next. ECS decides a deployment at known points: once the old revision's tasks
// are gone (a rolling update, a blue/green clean-up, a rollback), when a bake ends, when the circuit breaker counts
// its last failure. What each look shows says how near the next such point is, so looks are dense only then
// and sparse while tasks start, a bake runs or old tasks drain from their target groups (for the groups'
// deregistration delay, when the watch could read it: ECS does not show it); every look is paid from the step's call
// budget, and only the looks near a decision may spend its last calls. Types only from the SDK: no SDK load.

export type Urgency = 'quiet' | 'baking' | 'draining' | 'next-step' | 'soon';

export interface Assessment {
  urgency: Urgency;
  /** Why, in a few words (for tests and debugging). */
  why: string;
  /** For `baking`: the earliest moment the bake can end (local clock). */
  until?: number;
  /** Old tasks left since the previous look (none failed): they drain from their target groups, if they are in any. */
  leaving?: boolean;
  /** `soon` only because the old tasks are on their way out: a drain in progress puts the decision off. */
  awaitsDrain?: boolean;
}

export const CADENCE = {
  /** The first look after a deployment starts: a scale-to-zero service or a stop that only moves traffic back is
   * decided within seconds. */
  firstLookMs: 1_000,
  /** Nothing can decide the deployment soon: tasks are starting or passing their health checks. */
  quietMs: 6_000,
  /** The longest wait during a bake that has time left (a task failure or an alarm can still end it). */
  bakingMaxMs: 12_000,
  /** The longest wait while old tasks drain (a stop or a rollback can still come): sparse enough that the budget's
   * burst is whole again when the drain ends. */
  drainingMaxMs: 12_000,
  /** After a drain: SIGTERM, the task's stop and ECS marking the deployment take a few seconds more. */
  afterDrainMs: 5_000,
  /** Between the earliest and the latest moment a drain can end (the looks before and after its start, plus
   * afterDrainMs): looks this far apart, which the burst and the sustained rate afford for the ~10 s it lasts. */
  drainEndMs: 2_000,
  /** One step from the end: the bake is over, the clean-up begins, a hook awaits its answer, the circuit breaker
   * is one wave of failures from tripping. */
  nextStepMs: 3_000,
  /** The decision can come any second: dense at first, then sparser the longer it takes (a long deregistration
   * delay), down to the sustainable rate. */
  soonMs: [1_000, 1_000, 1_000, 1_500, 2_000, 3_000, 4_000],
  /** ECS reads a step may make in any minute while it waits (changes are not counted: see call-budget.ts). */
  callsPerMinute: 15,
  /** Calls that may go out back to back; beyond them, sustainedPerMinute (below callsPerMinute, so that a minute
   * holding a burst still has calls left when the burst leaves it). */
  burst: 4,
  sustainedPerMinute: 11,
  /** Calls only looks near a decision may spend. */
  reserve: 3,
};

interface Tasks {
  /** The revision the service is heading for: ours, or the one a rollback returns to. */
  running: number;
  pending: number;
  /** How many tasks the service wants, when known: more running than that means some are still to be stopped. */
  desired?: number;
  otherRunning: number;
  otherPending: number;
  /** Tasks that failed so far (circuit breaker count). */
  failures: number;
}

const sum = (values: (number | undefined)[]) => values.reduce<number>((total, value) => total + (value ?? 0), 0);

function tasksOf(snapshot: DeploymentSnapshot): Tasks | undefined {
  const sd = snapshot.serviceDeployment;
  if (sd) {
    const revisions = [sd.targetServiceRevision, ...(sd.sourceServiceRevisions ?? [])];
    const headingArn = sd.status?.startsWith('ROLLBACK') ? sd.rollback?.serviceRevisionArn : undefined;
    const heading = (headingArn && revisions.find((r) => r?.arn === headingArn)) || sd.targetServiceRevision;
    const others = revisions.filter((r) => r && r !== heading);
    // A rollback's revision may count old and new tasks alike, so only the service says how many it wants.
    const requested = headingArn ? undefined : heading?.requestedTaskCount;
    return {
      running: heading?.runningTaskCount ?? 0,
      pending: heading?.pendingTaskCount ?? 0,
      desired: requested ?? snapshot.service?.desiredCount,
      otherRunning: sum(others.map((r) => r?.runningTaskCount)),
      otherPending: sum(others.map((r) => r?.pendingTaskCount)),
      failures: sd.deploymentCircuitBreaker?.failureCount ?? 0,
    };
  }
  const deployments = snapshot.service?.deployments;
  const primary = deployments?.find((d) => d.status === 'PRIMARY');
  if (!deployments || !primary) return undefined;
  const others = deployments.filter((d) => d !== primary);
  return {
    running: primary.runningCount ?? 0,
    pending: primary.pendingCount ?? 0,
    desired: primary.desiredCount,
    otherRunning: sum(others.map((d) => d.runningCount)),
    otherPending: sum(others.map((d) => d.pendingCount)),
    failures: sum(deployments.map((d) => d.failedTasks)),
  };
}

/** ECS's service events when it takes tasks out: the scheduler stopping them, the load balancer draining them. */
const LEAVING_EVENT = /has (?:stopped \d+ running tasks?|begun draining connections)/;
/** How far AWS's clock (events) and the runner's (looks) may disagree. */
const CLOCK_SKEW_MS = 1_000;

/** When ECS wrote its newest event of tasks leaving since `after` (local clock): when their drain began. */
export function leftAt(events: ServiceEvent[] | undefined, after: number, now: number): number | undefined {
  const times = (events ?? [])
    .filter((event) => event.createdAt && LEAVING_EVENT.test(event.message ?? ''))
    .map((event) => event.createdAt!.getTime())
    .filter((time) => time > after - CLOCK_SKEW_MS && time <= now + CLOCK_SKEW_MS);
  return times.length ? Math.max(...times) : undefined;
}

/** The stages that move traffic to the new revision (a linear or canary production shift takes its steps' time). */
const TRAFFIC_STAGES = [
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

/** When a drain seen starting can end: from `from` (it started right after the look before, or when ECS's event
 * says) to `to` (it started right before the look that saw it, or when the event says, and the stop took
 * afterDrainMs). */
export interface DrainWindow {
  from: number;
  to: number;
}

/** What a watch remembers of one target between looks. */
export interface Look {
  at: number;
  runningTotal: number;
  /** Tasks of the revisions the deployment leaves. */
  otherRunning: number;
  failures: number;
  stage?: string;
  /** A moment before the current stage began: the look before the first one that showed it. */
  stageAfter: number;
  urgency: Urgency;
  /** For `baking`: the earliest moment the bake can end. */
  until?: number;
  /** Looks in a row that were `soon`. */
  soonLooks: number;
  /** The latest drain seen starting, when the target groups' deregistration delay is known. */
  drain?: DrainWindow;
}

function circuitBreakerNear(sd: ServiceDeployment | undefined, tasks: Tasks): boolean {
  const breaker = sd?.deploymentCircuitBreaker;
  if (breaker?.status !== 'MONITORING' || !breaker.threshold || !breaker.failureCount) return false;
  // Every task that is starting or running may still fail.
  return breaker.failureCount + tasks.pending + tasks.running >= breaker.threshold;
}

/** How near one deployment is to its decision, from this look and the one before. Pure. */
export function assess(
  snapshot: DeploymentSnapshot,
  previous: Look | undefined,
  now: number,
  stageAfter: number,
): Assessment {
  const sd = snapshot.serviceDeployment;
  const tasks = tasksOf(snapshot);
  if (sd?.status === 'ROLLBACK_REQUESTED') return { urgency: 'soon', why: 'rollback requested' };
  let leaving = false;
  if (tasks) {
    const nonePending = tasks.pending === 0 && tasks.otherPending === 0;
    const runningTotal = tasks.running + tasks.otherRunning;
    const noneFailed = previous !== undefined && tasks.failures <= previous.failures;
    const stopping = noneFailed && runningTotal < previous.runningTotal;
    // Old tasks may leave while new ones start in the same moment: the total alone can hide it.
    leaving = noneFailed && (stopping || tasks.otherRunning < previous.otherRunning);
    if (nonePending && stopping) return { urgency: 'soon', why: 'tasks are stopping', leaving, awaitsDrain: true };
    if (nonePending && tasks.running === tasks.desired && tasks.otherRunning === 0)
      return { urgency: 'soon', why: 'only the new revision runs', leaving, awaitsDrain: true };
  }
  const assessment = assessStage(sd, tasks, now, stageAfter);
  return leaving ? { ...assessment, leaving } : assessment;
}

/** How near the deployment's stage (and its circuit breaker) is to a decision, when its tasks do not say. */
function assessStage(
  sd: ServiceDeployment | undefined,
  tasks: Tasks | undefined,
  now: number,
  stageAfter: number,
): Assessment {
  const stage = sd?.lifecycleStage;
  if (stage === 'CLEAN_UP') return { urgency: 'next-step', why: 'clean-up' };
  if (stage === 'BAKE_TIME') {
    const until = stageAfter + (sd?.deploymentConfiguration?.bakeTimeInMinutes ?? 0) * 60_000;
    return now < until ? { urgency: 'baking', why: 'baking', until } : { urgency: 'next-step', why: 'bake over' };
  }
  if (sd?.lifecycleHookDetails?.some((hook) => hook.status === 'AWAITING_ACTION'))
    return { urgency: 'next-step', why: 'a hook awaits its answer' };
  // All at once, traffic moves in moments and the bake follows: seen early, it leaves a verification its whole window.
  if (stage && TRAFFIC_STAGES.includes(stage) && sd?.deploymentConfiguration?.strategy === 'BLUE_GREEN')
    return { urgency: 'next-step', why: 'traffic is moving' };
  if (tasks && circuitBreakerNear(sd, tasks)) return { urgency: 'next-step', why: 'the circuit breaker is near' };
  return { urgency: 'quiet', why: 'tasks are starting' };
}

/** The wait a look asks for. */
function delayFor(look: Look, now: number): number {
  switch (look.urgency) {
    case 'soon':
      // Within a drain's window, even looks spread the burst over all of it; before or after, the usual schedule.
      if (look.drain && now >= look.drain.from && now < look.drain.to) return CADENCE.drainEndMs;
      return CADENCE.soonMs[Math.min(look.soonLooks, CADENCE.soonMs.length - 1)];
    case 'next-step':
      return CADENCE.nextStepMs;
    case 'baking':
      return Math.max(0, Math.min((look.until ?? now) - now, CADENCE.bakingMaxMs));
    case 'draining':
      return Math.max(0, Math.min((look.until ?? now) - now, CADENCE.drainingMaxMs));
    case 'quiet':
      return CADENCE.quietMs;
  }
}

/** Per watch: remembers each target's last look and turns the latest looks into the wait before the next one. */
export class Cadence {
  private readonly looks = new Map<string, Look>();

  constructor(
    private readonly budget: CallBudget,
    /** When the watch began: the lower bound of a stage seen on the first look. */
    private readonly startedAt: number,
    /** How long a service's old tasks drain (its target groups' deregistration delay), when known. */
    private readonly drainOf: (service: string) => number | undefined = () => undefined,
  ) {}

  /** Records one look at one target. */
  observe(service: string, snapshot: DeploymentSnapshot, now: number): Look {
    const previous = this.looks.get(service);
    const stage = snapshot.serviceDeployment?.lifecycleStage;
    const stageAfter = previous && previous.stage === stage ? previous.stageAfter : (previous?.at ?? this.startedAt);
    let assessment = assess(snapshot, previous, now, stageAfter);
    const tasks = tasksOf(snapshot);
    const drainMs = this.drainOf(service);
    let drain = previous?.drain;
    if (assessment.leaving && previous && drainMs !== undefined) {
      // A drain began between the previous look and this one (ECS's event, when read, says when): it lasts the
      // deregistration delay, then the stop.
      const began = leftAt(snapshot.service?.events, previous.at, now);
      drain = { from: (began ?? previous.at) + drainMs, to: (began ?? now) + drainMs + CADENCE.afterDrainMs };
    }
    if (assessment.awaitsDrain && drain && now < drain.from)
      assessment = { urgency: 'draining', why: 'old tasks drain from their target groups', until: drain.from };
    const look: Look = {
      at: now,
      runningTotal: tasks ? tasks.running + tasks.otherRunning : (previous?.runningTotal ?? 0),
      otherRunning: tasks?.otherRunning ?? previous?.otherRunning ?? 0,
      failures: tasks?.failures ?? previous?.failures ?? 0,
      stage,
      stageAfter,
      urgency: assessment.urgency,
      until: assessment.until,
      soonLooks: assessment.urgency === 'soon' && previous?.urgency === 'soon' ? previous.soonLooks + 1 : 0,
      drain,
    };
    this.looks.set(service, look);
    return look;
  }

  /** Whether this look at `service` shows a drain beginning whose length is known: reading the service's events
   * then says when it began. */
  drainBegins(service: string, snapshot: DeploymentSnapshot, now: number): boolean {
    const previous = this.looks.get(service);
    if (!previous || this.drainOf(service) === undefined) return false;
    return assess(snapshot, previous, now, previous.stageAfter).leaving === true;
  }

  /**
   * The wait before the next look at `services`, which makes `calls.certain` calls and may make `calls.possible`
   * more: what the nearest decision asks for, then as long as the budget needs (only a first look or one near a
   * decision may spend the reserve).
   */
  nextDelay(services: string[], calls: { certain: number; possible: number }, now: number): number {
    let delay = CADENCE.firstLookMs;
    let urgent = services.length === 0;
    for (const [index, service] of services.entries()) {
      const look = this.looks.get(service);
      // A first look is as urgent as any: it may find the deployment already decided.
      const wait = look ? delayFor(look, now) : CADENCE.firstLookMs;
      delay = index === 0 ? wait : Math.min(delay, wait);
      urgent ||= !look || look.urgency === 'soon';
    }
    const spare = calls.possible + (urgent ? 0 : CADENCE.reserve);
    const at = this.budget.availableAt(calls.certain, now + delay, spare);
    return at - now;
  }
}
