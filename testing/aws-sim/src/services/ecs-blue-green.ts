import { AwsError } from '../errors';
import type { World } from '../world';
import { shiftTraffic } from './ecs-service-deployments';
import {
  ids,
  type Deployment,
  type HookDetail,
  type Service,
  type ServiceDeploymentRecord,
  type Task,
} from './ecs-state';

/**
 * Blue/green (and linear, canary) deployments: the new revision is scaled up next to the old one, then the
 * test listener and the production listener are moved to it, the deployment bakes, and the old revision is
 * cleaned up. Lifecycle hooks run at the end of their stage; PAUSE hooks wait for ContinueServiceDeployment.
 */

export const STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

const SCALE_UP = STAGES.indexOf('SCALE_UP');
/** The minimum simulated time a stage takes (listener changes, bookkeeping). */
export const STAGE_MS = 5_000;
/** How long a (simulated) Lambda hook takes to answer SUCCEEDED. */
const LAMBDA_HOOK_MS = 3_000;
const DEFAULT_HOOK_TIMEOUT_MINUTES = 1440;

/** What the stage machine needs from the scheduler (ecs-engine.ts), passed in to keep the modules acyclic. */
export interface EngineOps {
  live(service: Service, deploymentId: string): Task[];
  othersLive(service: Service, deploymentId: string): Task[];
  othersRemaining(service: Service, deploymentId: string): Task[];
  launch(service: Service, deployment: Deployment, count: number): void;
  stop(service: Service, tasks: Task[], reason: string): void;
  complete(service: Service, deployment: Deployment): void;
  rollBack(service: Service, sd: ServiceDeploymentRecord, reason: string): void;
  reconcile(service: Service): void;
}

const stageOf = (sd: ServiceDeploymentRecord) => STAGES[sd.blueGreen!.stageIndex];

/** Runs `fn` later unless the deployment changed course (rollback, stop, completion) in the meantime. */
function later(world: World, sd: ServiceDeploymentRecord, ms: number, fn: () => void): void {
  const generation = sd.generation;
  world.after(ms, () => {
    if (sd.generation === generation && sd.blueGreen) fn();
  });
}

export function beginBlueGreen(world: World, service: Service, sd: ServiceDeploymentRecord, ops: EngineOps): void {
  enterStage(world, service, sd, 0, ops);
}

function enterStage(world: World, service: Service, sd: ServiceDeploymentRecord, index: number, ops: EngineOps): void {
  sd.blueGreen = { stageIndex: index, phase: 'entering', step: 0 };
  sd.lifecycleStage = STAGES[index];
  sd.hookDetails = [];
  sd.updatedAt = new Date(world.now());
  const strategy = sd.deploymentConfiguration.strategy;
  if (STAGES[index] === 'TEST_TRAFFIC_SHIFT') shiftTraffic(sd, sd.targetRevisionArn, ['test']);
  if (STAGES[index] === 'PRODUCTION_TRAFFIC_SHIFT' && strategy === 'BLUE_GREEN') {
    shiftTraffic(sd, sd.targetRevisionArn, ['production']);
  }
  if (index === SCALE_UP) ops.reconcile(service);
  later(world, sd, STAGE_MS, () => startWork(world, service, sd, ops));
}

function startWork(world: World, service: Service, sd: ServiceDeploymentRecord, ops: EngineOps): void {
  sd.blueGreen!.phase = 'working';
  const stage = stageOf(sd);
  const deployment = service.deployments[0];
  if (stage === 'SCALE_UP' || stage === 'CLEAN_UP') {
    if (stage === 'CLEAN_UP')
      ops.stop(
        service,
        ops.othersLive(service, deployment.id),
        `Scaling activity initiated by (deployment ${deployment.id})`,
      );
    ops.reconcile(service);
  } else if (stage === 'PRODUCTION_TRAFFIC_SHIFT' && sd.deploymentConfiguration.strategy !== 'BLUE_GREEN') {
    shiftStep(world, service, sd, ops);
  } else if (stage === 'BAKE_TIME') {
    later(world, sd, (sd.deploymentConfiguration.bakeTimeInMinutes ?? 0) * 60_000, () =>
      startHooks(world, service, sd, ops),
    );
  } else {
    startHooks(world, service, sd, ops);
  }
}

/** Linear and canary production shifts: move a slice of traffic, bake, repeat until the new revision has it all. */
function shiftStep(world: World, service: Service, sd: ServiceDeploymentRecord, ops: EngineOps): void {
  const config = sd.deploymentConfiguration;
  const state = sd.blueGreen!;
  state.step++;
  const [percent, bakeMinutes] =
    config.strategy === 'CANARY'
      ? [
          state.step === 1 ? (config.canaryConfiguration?.canaryPercent ?? 5) : 100,
          config.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10,
        ]
      : [
          state.step * (config.linearConfiguration?.stepPercent ?? 10),
          config.linearConfiguration?.stepBakeTimeInMinutes ?? 6,
        ];
  const weight = Math.min(100, percent);
  for (const [arn, w] of Object.entries(sd.weights))
    w.production = arn === sd.targetRevisionArn ? weight : 100 - weight;
  sd.updatedAt = new Date(world.now());
  if (weight >= 100) startHooks(world, service, sd, ops);
  else later(world, sd, bakeMinutes * 60_000, () => shiftStep(world, service, sd, ops));
}

function startHooks(world: World, service: Service, sd: ServiceDeploymentRecord, ops: EngineOps): void {
  const stage = stageOf(sd);
  const hooks = (sd.deploymentConfiguration.lifecycleHooks ?? []).filter(
    (h) =>
      h.lifecycleStages?.includes(stage) ||
      (stage === 'POST_TEST_TRAFFIC_SHIFT' && h.lifecycleStages?.includes('PRE_PRODUCTION_TRAFFIC_SHIFT')),
  );
  if (hooks.length === 0) {
    nextStage(world, service, sd, ops);
    return;
  }
  sd.blueGreen!.phase = 'hooks';
  const now = world.now();
  sd.hookDetails = hooks.map((hook) => {
    const pause = hook.targetType === 'PAUSE';
    const timeoutMs = (hook.timeoutConfiguration?.timeoutInMinutes ?? DEFAULT_HOOK_TIMEOUT_MINUTES) * 60_000;
    const detail: HookDetail = {
      hookId: `ecs-${pause ? 'pause' : 'hook'}-${ids.alphanumeric(43)}`,
      targetType: pause ? 'PAUSE' : 'AWS_LAMBDA',
      targetArn: hook.hookTargetArn,
      status: pause ? 'AWAITING_ACTION' : 'IN_PROGRESS',
      expiresAt: pause ? new Date(now + timeoutMs) : undefined,
      timeoutAction: pause ? (hook.timeoutConfiguration?.action ?? 'ROLLBACK') : undefined,
    };
    if (pause) {
      later(world, sd, timeoutMs, () => {
        if (detail.status !== 'AWAITING_ACTION') return;
        detail.status = 'TIMED_OUT';
        if (detail.timeoutAction === 'CONTINUE') hooksSettled(world, service, sd, ops);
        else
          ops.rollBack(
            service,
            sd,
            `Service deployment rolled back because lifecycle hook ${detail.hookId} timed out.`,
          );
      });
    } else {
      later(world, sd, LAMBDA_HOOK_MS, () => {
        detail.status = 'SUCCEEDED';
        hooksSettled(world, service, sd, ops);
      });
    }
    return detail;
  });
}

function hooksSettled(world: World, service: Service, sd: ServiceDeploymentRecord, ops: EngineOps): void {
  if (sd.hookDetails.every((d) => d.status === 'SUCCEEDED' || d.status === 'TIMED_OUT'))
    nextStage(world, service, sd, ops);
}

function nextStage(world: World, service: Service, sd: ServiceDeploymentRecord, ops: EngineOps): void {
  enterStage(world, service, sd, sd.blueGreen!.stageIndex + 1, ops);
}

/** ContinueServiceDeployment: settles a PAUSE hook that is awaiting action. */
export function continueHook(
  world: World,
  service: Service,
  sd: ServiceDeploymentRecord,
  hookId: string,
  action: 'CONTINUE' | 'ROLLBACK',
  ops: EngineOps,
): void {
  const detail = sd.hookDetails.find((d) => d.hookId === hookId);
  if (!detail || !sd.blueGreen) {
    throw new AwsError(
      'InvalidParameterException',
      `The lifecycle hook ${hookId} was not found in the service deployment.`,
    );
  }
  if (detail.status !== 'AWAITING_ACTION') {
    throw new AwsError(
      'InvalidParameterException',
      `The lifecycle hook ${hookId} is not awaiting action (status ${detail.status}).`,
    );
  }
  sd.updatedAt = new Date(world.now());
  if (action === 'ROLLBACK') {
    detail.status = 'FAILED';
    ops.rollBack(service, sd, `Service deployment rolled back because lifecycle hook ${hookId} requested a rollback.`);
    return;
  }
  detail.status = 'SUCCEEDED';
  hooksSettled(world, service, sd, ops);
}

/** The scheduler's view during blue/green: keep the new revision at full size from SCALE_UP on, never touch the old. */
export function reconcileBlueGreen(
  world: World,
  service: Service,
  sd: ServiceDeploymentRecord,
  primary: Deployment,
  ops: EngineOps,
): void {
  const state = sd.blueGreen!;
  const desired = service.desiredCount;
  const mine = ops.live(service, primary.id);
  if (state.stageIndex >= SCALE_UP && primary.rolloutState === 'IN_PROGRESS' && mine.length < desired) {
    ops.launch(service, primary, desired - mine.length);
  }
  if (state.phase !== 'working') return;
  const stage = stageOf(sd);
  if (stage === 'SCALE_UP' && mine.length === desired && mine.every((t) => t.healthy))
    startHooks(world, service, sd, ops);
  if (stage === 'CLEAN_UP' && ops.othersRemaining(service, primary.id).length === 0) ops.complete(service, primary);
}
