import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceEvent,
} from '@aws-sdk/client-ecs';
import {
  judgeDeployment,
  ServiceEventStream,
  type DeploymentSnapshot,
  type DeploymentTarget,
  type Verdict,
} from './ecs-deployments';
import * as core from './core';
import { degradeOnDenial, serviceDeploymentReadsDenied } from './ecs-permissions';
import { describeError, isTransientError } from './errors';
import { poll, systemClock, type Clock } from './poll';
import { NEW_RESOURCE_PATIENCE_MS } from './consistency';
import { formatDuration } from './duration';

// Watches one or many deployments in one poll loop: per round one DescribeServiceDeployments for every service
// (≤ 20 per call), and DescribeServices (≤ 10 per call, for events and the primary revision) only when task counts
// moved, every third round, at the end, or when the service-deployment view is missing. The interval snaps back to
// the minimum when a deployment's status, stage or hooks change. Loads the ECS SDK.

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
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** Per service: events already seen (so nothing older than the deploy is replayed). */
  eventStreams?: Map<string, ServiceEventStream>;
  onEvent?: (service: string, event: ServiceEvent) => void;
  /** After every round, for every target still watched. */
  onUpdate?: (target: DeploymentTarget, watched: WatchedDeployment) => void;
  /** When a target needs no more watching; default: its verdict is no longer in progress. */
  isSettled?: (target: DeploymentTarget, verdict: Verdict) => boolean;
  waitingFor?: string;
  /** How many errors other than passing faults the watch goes on after (default 0): a way back should not give up
   * on the first odd answer. */
  toleratedErrors?: number;
}

export const WATCH_MIN_INTERVAL_MS = 2_000;
export const WATCH_MAX_INTERVAL_MS = 4_000;
const SERVICES_PER_CALL = 10;
const DEPLOYMENTS_PER_CALL = 20;
const FULL_REFRESH_EVERY = 3;

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/** The phase of a service deployment: when it changes, the poll interval snaps back to the minimum. */
function phase(sd: ServiceDeployment | undefined): string {
  const hooks = (sd?.lifecycleHookDetails ?? []).map((h) => h.status).join(',');
  return `${sd?.status}|${sd?.lifecycleStage}|${hooks}`;
}

/**
 * Task counts: when they move, tasks started or stopped and the service has new events, so the services are re-read.
 * (Stage and traffic changes alone produce no events.)
 */
function movement(sd: ServiceDeployment | undefined): string {
  if (!sd) return '';
  const revisions = [sd.targetServiceRevision, ...(sd.sourceServiceRevisions ?? [])];
  return revisions.map((r) => `${r?.runningTaskCount}/${r?.pendingTaskCount}`).join(';');
}

/** Fetches the service deployments and, when needed, the services; missing services become `missing`. */
export async function describeDeployments(
  ecs: ECSClient,
  cluster: string,
  targets: DeploymentTarget[],
  previous: Map<string, DeploymentSnapshot> | undefined,
  refreshServices: (sds: Map<string, ServiceDeployment>) => boolean,
  signal?: AbortSignal,
): Promise<Map<string, DeploymentSnapshot>> {
  const arns = serviceDeploymentReadsDenied(ecs)
    ? []
    : targets.flatMap((t) => (t.serviceDeploymentArn ? [t.serviceDeploymentArn] : []));
  const sdByArn = new Map<string, ServiceDeployment>();
  for (const batch of chunks(arns, DEPLOYMENTS_PER_CALL)) {
    try {
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
      const response = await ecs.send(new DescribeServicesCommand({ cluster, services: batch }), {
        abortSignal: signal,
      });
      for (const service of response.services ?? []) {
        const name = batch.find((n) => n === service.serviceName || n === service.serviceArn);
        if (!name) continue;
        if (service.status === 'ACTIVE') services.set(name, service);
        else missing.set(name, `the service is ${service.status}`);
      }
      for (const failure of response.failures ?? []) {
        const name = batch.find((n) => failure.arn?.endsWith(`/${n}`) || failure.arn === n);
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
 * Polls until every target is settled. Throws PollTimeoutError / PollCancelledError (lastState: the WatchResult of
 * the last round) when the deadline passes or the signal aborts.
 */
export async function watchDeployments(options: WatchOptions): Promise<WatchResult> {
  const { ecs, cluster, targets, onEvent, onUpdate } = options;
  const isSettled = options.isSettled ?? ((_target, verdict) => verdict.state !== 'in-progress');
  const streams = options.eventStreams ?? new Map<string, ServiceEventStream>();
  const results: WatchResult = new Map();
  const clock = options.clock ?? systemClock;
  /** Since when each service's answer has predated its deployment (verdict `unseen`). */
  const unseenSince = new Map<string, number>();
  let round = 0;
  let tolerated = 0;
  let lastMovement = new Map<string, string>();
  let phases = '';
  let snapshots: Map<string, DeploymentSnapshot> | undefined;

  const refreshServices = (sds: Map<string, ServiceDeployment>) => {
    phases = [...sds].map(([service, sd]) => `${service}:${phase(sd)}`).join('\n');
    const now = new Map([...sds].map(([service, sd]) => [service, movement(sd)]));
    const moved = [...now].some(([service, text]) => lastMovement.get(service) !== text);
    const needed = moved || round % FULL_REFRESH_EVERY === 0 || now.size < watched().length;
    lastMovement = now;
    return needed || [...sds.values()].some((sd) => sd.status !== 'IN_PROGRESS' && sd.status !== 'PENDING');
  };
  const watched = () =>
    targets.filter((t) => !results.has(t.service) || !isSettled(t, results.get(t.service)!.verdict));

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
      round++;
      const pending = watched();
      snapshots = await describeDeployments(ecs, cluster, pending, snapshots, refreshServices, signal);
      for (const target of pending) {
        const snapshot = stillUnseen(target, snapshots.get(target.service) ?? {});
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
    minIntervalMs: options.minIntervalMs ?? WATCH_MIN_INTERVAL_MS,
    maxIntervalMs: options.maxIntervalMs ?? WATCH_MAX_INTERVAL_MS,
    fingerprint: () => phases,
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
