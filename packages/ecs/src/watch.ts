import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceEvent,
} from '@aws-sdk/client-ecs';
import { callBudgetOf, type CallBudget } from './call-budget';
import { Cadence, CADENCE } from './cadence';
import { targetGroupsOf, type DrainDelays } from './drain';
import {
  judgeDeployment,
  ServiceEventStream,
  type DeploymentSnapshot,
  type DeploymentTarget,
  type Verdict,
} from './deployments';
import * as core from '@shipyard/platform/core';
import { degradeOnDenial, serviceDeploymentReadsDenied } from './permissions';
import { isSameService } from './arns';
import { isInFlightStatus } from './rollback/target';
import { describeError, isTransientError } from '@shipyard/platform/errors';
import { poll, systemClock, type Clock } from '@shipyard/platform/poll';
import { NEW_RESOURCE_PATIENCE_MS } from '@shipyard/platform/consistency';
import { formatDuration } from '@shipyard/platform/duration';

// Watches one or many deployments in one poll loop: per look one DescribeServiceDeployments for every service
// (≤ 20 per call); DescribeServices (≤ 10 per call, for events and the primary revision) only when a status changed
// or ended, when the service-deployment view is missing, or — while the budget has room — now and then for events.
// When to look next is the cadence's call (cadence.ts), paid from the step's call budget; how long old tasks drain
// comes from their target groups (drain.ts), read beside the looks. Loads the ECS SDK.

export interface WatchedDeployment {
  snapshot: DeploymentSnapshot;
  verdict: Verdict;
}

export type WatchResult = Map<string, WatchedDeployment>;

export interface WatchOptions {
  ecs: ECSClient;
  cluster: string;
  targets: DeploymentTarget[];
  timeoutMs: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** What a look just showed of the targets (e.g. right before a rollback): the first look then comes when the
   * cadence says, not after CADENCE.firstLookMs. */
  seen?: Map<string, DeploymentSnapshot>;
  /** Per service: events already seen (so nothing older than the deploy is replayed). */
  eventStreams?: Map<string, ServiceEventStream>;
  onEvent?: (service: string, event: ServiceEvent) => void;
  /** After every round, for every target still watched. */
  onUpdate?: (target: DeploymentTarget, watched: WatchedDeployment) => void;
  /** When a target needs no more watching; default: its verdict is no longer in progress. */
  isSettled?: (target: DeploymentTarget, verdict: Verdict) => boolean;
  /** Receives a function that makes the next look come at once (the caller changed something, or settled). */
  wake?: (wakeUp: () => void) => void;
  waitingFor?: string;
  /** How many errors other than passing faults the watch goes on after (default 0): a way back should not give up
   * on the first odd answer. */
  toleratedErrors?: number;
  /** How long each service's old tasks drain (read beside the watch): looks stay sparse until a drain can end. */
  drains?: DrainDelays;
}

const SERVICES_PER_CALL = 10;
const DEPLOYMENTS_PER_CALL = 20;
/** Events are read with the services; while something moves, at most this often beside the decisive reads. */
const EVENTS_WHILE_MOVING_MS = 20_000;
/** And at least this often when nothing moves (an "unable to place a task" event moves nothing), budget allowing. */
const EVENTS_WHILE_STILL_MS = 60_000;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** What a look at a service deployment shows that could come with new events: its status, stage and task counts. */
function movement(sd: ServiceDeployment): string {
  const revisions = [sd.targetServiceRevision, ...(sd.sourceServiceRevisions ?? [])];
  const counts = revisions.map((r) => `${r?.runningTaskCount}/${r?.pendingTaskCount}`).join(';');
  return `${sd.status}|${sd.lifecycleStage}|${counts}`;
}

/** The calls one look at `count` targets makes: its service deployments, or its services without them; and the
 * services it may read besides. */
function callsPerLook(ecs: ECSClient, count: number): { certain: number; possible: number } {
  const services = Math.ceil(count / SERVICES_PER_CALL);
  if (serviceDeploymentReadsDenied(ecs)) return { certain: services, possible: 0 };
  return { certain: Math.ceil(count / DEPLOYMENTS_PER_CALL), possible: services };
}

/** Fetches the service deployments and, when needed, the services; missing services become `missing`. `count` is
 * told about every call (for a call budget). */
export async function describeDeployments(
  ecs: ECSClient,
  cluster: string,
  targets: DeploymentTarget[],
  previous: Map<string, DeploymentSnapshot> | undefined,
  refreshServices: (sds: Map<string, ServiceDeployment>) => boolean,
  signal?: AbortSignal,
  count?: () => void,
): Promise<Map<string, DeploymentSnapshot>> {
  const arns = serviceDeploymentReadsDenied(ecs)
    ? []
    : targets.flatMap((t) => (t.serviceDeploymentArn ? [t.serviceDeploymentArn] : []));
  const sdByArn = new Map<string, ServiceDeployment>();
  for (const batch of chunks(arns, DEPLOYMENTS_PER_CALL)) {
    try {
      count?.();
      const response = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }), {
        abortSignal: signal,
      });
      for (const sd of response.serviceDeployments ?? [])
        if (sd.serviceDeploymentArn) sdByArn.set(sd.serviceDeploymentArn, sd);
    } catch (error) {
      if (!degradeOnDenial(ecs, 'ecs:DescribeServiceDeployments', error)) throw error;
      sdByArn.clear();
      break;
    }
  }
  const sdByService = new Map<string, ServiceDeployment>();
  for (const target of targets) {
    const sd = target.serviceDeploymentArn ? sdByArn.get(target.serviceDeploymentArn) : undefined;
    if (sd) sdByService.set(target.service, sd);
  }
  const services = new Map<string, Service>();
  const missing = new Map<string, string>();
  // Always asked, so the caller's record of what moved stays current even when the answer is forced.
  const refresh = refreshServices(sdByService);
  if (!previous || refresh) {
    for (const batch of chunks(
      targets.map((t) => t.service),
      SERVICES_PER_CALL,
    )) {
      count?.();
      const response = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }), {
        abortSignal: signal,
      });
      for (const service of response.services ?? []) {
        const name = batch.find((n) => isSameService(n, service));
        if (!name) continue;
        if (service.status === 'ACTIVE') services.set(name, service);
        else missing.set(name, `the service is ${service.status}`);
      }
      for (const failure of response.failures ?? []) {
        const name = batch.find((n) => isSameService(n, { serviceArn: failure.arn }));
        if (name) missing.set(name, `the service is ${failure.reason ?? 'missing'}`);
      }
    }
  }
  return new Map(
    targets.map((t) => [
      t.service,
      {
        service: services.get(t.service) ?? (missing.has(t.service) ? undefined : previous?.get(t.service)?.service),
        serviceDeployment: sdByService.get(t.service),
        missing: missing.get(t.service),
      },
    ]),
  );
}

/**
 * When a look reads the services besides their service deployments: when a status is new since they were last read
 * (a failure, a rollback, the end: the service and its events are worth reading then), when a service has no service
 * deployment to read, and now and then for events while the budget has room for it.
 */
class ServiceReads {
  /** Each service's status when the services were last read; kept only once a read went through. */
  private statusesRead = new Map<string, string | undefined>();
  private statusesSeen = new Map<string, string | undefined>();
  private moves = new Map<string, string>();
  private readAt: number;
  private reading = false;

  constructor(
    private readonly budget: CallBudget,
    seen: Map<string, DeploymentSnapshot>,
    now: number,
  ) {
    this.readAt = now;
    for (const [service, { serviceDeployment }] of seen) {
      this.statusesRead.set(service, serviceDeployment?.status);
      if (serviceDeployment) this.moves.set(service, movement(serviceDeployment));
    }
  }

  /** Whether this look reads the services, given the service deployments it found for `pending` services. */
  decide(
    sds: Map<string, ServiceDeployment>,
    pending: number,
    calls: { certain: number; possible: number },
    now: number,
    mustRead = false,
  ): boolean {
    const previous = this.moves;
    this.moves = new Map([...sds].map(([service, sd]) => [service, movement(sd)]));
    this.statusesSeen = new Map([...sds].map(([service, sd]) => [service, sd.status]));
    const statusChanged = [...sds].some(([service, sd]) =>
      this.statusesRead.has(service) ? this.statusesRead.get(service) !== sd.status : !isInFlightStatus(sd.status),
    );
    const moved = [...this.moves].some(([service, text]) => previous.get(service) !== text);
    const due = now - this.readAt >= (moved ? EVENTS_WHILE_MOVING_MS : EVENTS_WHILE_STILL_MS);
    // Events may wait: read only while the looks keep a burst of two and the window room for the next look.
    const affordable =
      this.budget.tokens(now) >= calls.possible + 2 &&
      this.budget.free(now) >= calls.possible + calls.certain + CADENCE.reserve;
    this.reading = mustRead || sds.size < pending || statusChanged || (due && affordable);
    return this.reading;
  }

  /** The look went through. */
  done(now: number): void {
    if (!this.reading) return;
    this.statusesRead = new Map([...this.statusesRead, ...this.statusesSeen]);
    this.readAt = now;
  }
}

/** The step's call budget for `ecs`, and what a look tells it about each of its calls. */
export function watchBudget(ecs: ECSClient, clock: Clock = systemClock): { budget: CallBudget; count: () => void } {
  const { budget, countsSends } = callBudgetOf(ecs, {
    limit: CADENCE.callsPerMinute,
    windowMs: 60_000,
    burst: CADENCE.burst,
    sustained: CADENCE.sustainedPerMinute,
    clock,
  });
  const count = () => {
    if (!countsSends) budget.record();
    budget.pace();
  };
  return { budget, count };
}

/**
 * Polls until every target is settled. Throws PollTimeoutError / PollCancelledError (lastState: the WatchResult of
 * the last round) when the deadline passes or the signal aborts.
 */
export async function watchDeployments(options: WatchOptions): Promise<WatchResult> {
  const { ecs, cluster, targets, onEvent, onUpdate } = options;
  const clock = options.clock ?? systemClock;
  const isSettled = options.isSettled ?? ((_target, verdict) => verdict.state !== 'in-progress');
  const streams = options.eventStreams ?? new Map<string, ServiceEventStream>();
  const results: WatchResult = new Map();
  /** Since when each service's answer has predated its deployment (verdict `unseen`). */
  const unseenSince = new Map<string, number>();
  const { budget, count } = watchBudget(ecs, clock);
  const { drains } = options;
  const cadence = new Cadence(budget, clock.now(), (service) => drains?.of(service));
  const learnDrain = (service: string, snapshot: DeploymentSnapshot | undefined) => {
    if (drains && !drains.knows(service)) drains.learn(service, targetGroupsOf(snapshot?.service?.loadBalancers));
  };
  for (const target of targets) drains?.learn(target.service, target.targetGroupArns);
  let tolerated = 0;
  // The services as last read: the first look needs none of its own.
  let snapshots = new Map<string, DeploymentSnapshot>(options.seen);
  for (const [service, snapshot] of snapshots) {
    learnDrain(service, snapshot);
    cadence.observe(service, snapshot, clock.now());
  }
  const reads = new ServiceReads(budget, snapshots, clock.now());
  const watched = () =>
    targets.filter((t) => !results.has(t.service) || !isSettled(t, results.get(t.service)!.verdict));
  const refreshServices = (sds: Map<string, ServiceDeployment>) => {
    const pending = watched().length;
    const now = clock.now();
    // A service read as it was before its update is read again at every look, until it shows the update; one whose
    // old tasks begin to drain is read for the event that says when.
    const drainBegins = [...sds].some(([service, sd]) =>
      cadence.drainBegins(service, { ...snapshots.get(service), serviceDeployment: sd }, now),
    );
    return reads.decide(sds, pending, callsPerLook(ecs, pending), now, unseenSince.size > 0 || drainBegins);
  };

  // A service whose answers predate its deployment for longer than eventual consistency explains is reported as
  // not described: the deployment is then judged failed, saying so.
  const stillUnseen = (target: DeploymentTarget, snapshot: DeploymentSnapshot): DeploymentSnapshot => {
    const verdict = judgeDeployment(target, snapshot);
    if (verdict.state !== 'in-progress' || !verdict.unseen) {
      unseenSince.delete(target.service);
      return snapshot;
    }
    const since = unseenSince.get(target.service) ?? clock.now();
    unseenSince.set(target.service, since);
    const waited = clock.now() - since;
    if (waited < NEW_RESOURCE_PATIENCE_MS) return snapshot;
    return { ...snapshot, missing: `${verdict.unseen}, after ${formatDuration(waited)} of checks` };
  };

  await poll<WatchResult>({
    describe: async (signal) => {
      const pending = watched();
      snapshots = await describeDeployments(ecs, cluster, pending, snapshots, refreshServices, signal, count);
      const now = clock.now();
      reads.done(now);
      for (const target of pending) {
        const snapshot = stillUnseen(target, snapshots.get(target.service) ?? {});
        learnDrain(target.service, snapshot);
        cadence.observe(target.service, snapshot, now);
        let stream = streams.get(target.service);
        if (!stream) streams.set(target.service, (stream = new ServiceEventStream()));
        for (const event of stream.next(snapshot.service?.events)) onEvent?.(target.service, event);
        const entry = { snapshot, verdict: judgeDeployment(target, snapshot) };
        results.set(target.service, entry);
        onUpdate?.(target, entry);
      }
      return results;
    },
    isDone: () => watched().length === 0,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    clock,
    firstDelayMs: cadence.nextDelay(
      targets.map((t) => t.service),
      callsPerLook(ecs, targets.length),
      clock.now(),
    ),
    schedule: () => {
      const pending = watched().map((t) => t.service);
      return cadence.nextDelay(pending, callsPerLook(ecs, pending.length), clock.now());
    },
    wake: options.wake,
    waitingFor: options.waitingFor ?? 'the deployment',
    isPassing: (error) => isTransientError(error) || tolerated++ < (options.toleratedErrors ?? 0),
    onPassingError: (error, attempt) => core.info(`Check ${attempt} failed; trying again: ${describeError(error)}`),
  });
  return results;
}

/** A service event as a log line: `web | 12:00:05 (service web) has reached a steady state.` */
export function eventLine(service: string, event: ServiceEvent): string {
  return `${service} | ${event.createdAt?.toISOString().slice(11, 19) ?? '--:--:--'} ${event.message ?? ''}`;
}

/** One progress line: status, stage, new revision's tasks and traffic, or the rolling view's counts. */
export function progressLine(snapshot: DeploymentSnapshot): string {
  const sd = snapshot.serviceDeployment;
  if (sd) {
    const target = sd.targetServiceRevision;
    const parts = [sd.status ?? 'UNKNOWN'];
    if (sd.lifecycleStage) parts.push(sd.lifecycleStage);
    if (target) {
      parts.push(`new revision ${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running`);
      if (target.requestedProductionTrafficWeight !== undefined)
        parts.push(`production traffic ${target.requestedProductionTrafficWeight}%`);
      if (target.requestedTestTrafficWeight !== undefined)
        parts.push(`test traffic ${target.requestedTestTrafficWeight}%`);
    }
    const awaiting = sd.lifecycleHookDetails?.filter((h) => h.status === 'AWAITING_ACTION').length;
    if (awaiting) parts.push(`${awaiting} hook${awaiting > 1 ? 's' : ''} awaiting action`);
    return parts.join(' · ');
  }
  const deployments = snapshot.service?.deployments ?? [];
  if (deployments.length === 0) return snapshot.missing ?? 'no deployment';
  return deployments
    .map((d) =>
      `${d.status} ${d.rolloutState ?? ''} ${d.runningCount ?? 0}/${d.desiredCount ?? 0} running${d.failedTasks ? `, ${d.failedTasks} failed` : ''}`.replace(
        /\s+/g,
        ' ',
      ),
    )
    .join('; ');
}
