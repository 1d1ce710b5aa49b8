import * as core from '@shipyard/platform/core';
import {
  DescribeServicesCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { primaryTaskDefinition, startedServiceDeployment, type DeploymentTarget } from '@shipyard/ecs/deployments';
import { isUnknownTaskDefinition, unknownTaskDefinitionYet } from '@shipyard/ecs/consistency';
import { targetGroupsOf } from '@shipyard/ecs/drain';
import { untilVisible } from '@shipyard/platform/consistency';
import { describeError, mayHaveBeenApplied } from '@shipyard/platform/errors';
import type { Inputs } from './inputs';
import type { ServicePlan } from './plan';
import { revisionName } from './register';

/** A service whose UpdateService call went through. */
export interface StartedDeployment {
  plan: ServicePlan;
  target: DeploymentTarget;
  /** The revision the service ran before (for the summary and outputs). */
  previousTaskDefinitionArn: string;
  next: TaskDefinition;
  startedAt: Date;
}

export interface StartResult {
  started: StartedDeployment[];
  /** Services left as they were: the same revision and nothing else to change. */
  unchanged: ServicePlan[];
  /** UpdateService calls that failed, by service. */
  failures: { plan: ServicePlan; error: UpdateFailure }[];
}

/** Whether a service needs an UpdateService call at all. */
export function needsUpdate(plan: ServicePlan, next: TaskDefinition, inputs: Inputs): boolean {
  return (
    next.taskDefinitionArn !== plan.currentTaskDefinitionArn ||
    inputs.forceNewDeployment ||
    plan.deploymentConfiguration !== undefined ||
    (inputs.desiredCount !== undefined && inputs.desiredCount !== plan.service.desiredCount)
  );
}

/**
 * After UpdateService failed without a clear refusal (a 5xx, an unreadable answer, a dropped connection), whether
 * ECS applied it all the same: the service's primary deployment runs the new revision. Undefined when unknown.
 */
async function appliedDespite(
  ecs: ECSClient,
  inputs: Inputs,
  plan: ServicePlan,
  next: TaskDefinition,
): Promise<Service | undefined> {
  try {
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: inputs.cluster, services: [plan.name] }),
    );
    const service = services?.[0];
    return primaryTaskDefinition(service) === next.taskDefinitionArn &&
      service?.deployments?.some((d) => d.id && !plan.service.deployments?.some((old) => old.id === d.id))
      ? service
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where startDeployments records, as it goes, what each service may have become — so the post step (or the rest of
 * main) knows what to put back whatever happens next, even when the step is killed in the middle of a call.
 */
export interface UpdateJournal {
  /** Before UpdateService: from here on the service may move to `next`. */
  intend(plan: ServicePlan, next: TaskDefinition): void;
  /** UpdateService went through (told again once its service deployment is known). */
  started(deployment: StartedDeployment): void;
  /** AWS refused the call: the service did not change. */
  refused(plan: ServicePlan): void;
}

async function startOne(
  ecs: ECSClient,
  inputs: Inputs,
  plan: ServicePlan,
  next: TaskDefinition,
  journal: UpdateJournal,
): Promise<StartedDeployment> {
  const startedAt = new Date();
  let updated: Service | undefined;
  journal.intend(plan, next);
  try {
    // ECS described or registered `next` moments ago, so "Unable to describe task definition" can only mean it is
    // not visible to UpdateService yet (ECS is eventually consistent): tried again for a while. Passing faults are
    // not: the call may have been applied (appliedDespite below tells).
    const response = await untilVisible(
      () =>
        ecs.send(
          new UpdateServiceCommand({
            cluster: inputs.cluster,
            service: plan.name,
            taskDefinition: next.taskDefinitionArn,
            desiredCount: inputs.desiredCount,
            forceNewDeployment: inputs.forceNewDeployment || undefined,
            deploymentConfiguration: plan.deploymentConfiguration,
          }),
        ),
      {
        isUnseen: isUnknownTaskDefinition,
        retryFaults: false,
        onRetry: unknownTaskDefinitionYet(revisionName(next.taskDefinitionArn)),
      },
    );
    updated = response.service;
  } catch (error) {
    updated = mayHaveBeenApplied(error) ? await appliedDespite(ecs, inputs, plan, next) : undefined;
    if (!updated) {
      if (!mayHaveBeenApplied(error)) journal.refused(plan);
      throw new UpdateFailure(error, mayHaveBeenApplied(error));
    }
    core.warning(`${plan.name}: ${describeError(error)}, yet ECS shows the new deployment: following it`);
  }
  const taskDefinitionArn = next.taskDefinitionArn as string;
  const primary = updated?.deployments?.find((d) => d.status === 'PRIMARY');
  const started: StartedDeployment = {
    plan,
    target: {
      service: plan.name,
      taskDefinitionArn,
      deploymentId: primary?.id,
      priorDeploymentIds: plan.service.deployments?.flatMap((d) => (d.id ? [d.id] : [])),
      targetGroupArns: targetGroupsOf(plan.service.loadBalancers),
    },
    previousTaskDefinitionArn: plan.currentTaskDefinitionArn,
    next,
    startedAt,
  };
  // Recorded before any other call: if the next one fails or the run is cancelled, the way back is known.
  journal.started(started);
  started.target.serviceDeploymentArn = await startedServiceDeployment(ecs, {
    cluster: inputs.cluster,
    service: plan.name,
    before: plan.service.currentServiceDeployment,
    answer: updated,
    startedAt,
    expectNew: taskDefinitionArn !== plan.currentTaskDefinitionArn || inputs.forceNewDeployment,
  });
  if (started.target.serviceDeploymentArn) journal.started(started);
  core.info(
    `${plan.name}: ${revisionName(plan.currentTaskDefinitionArn)} → ${revisionName(taskDefinitionArn)} started ` +
      `(${primary?.id ?? 'deployment id unknown'}${started.target.serviceDeploymentArn ? `, ${started.target.serviceDeploymentArn}` : ''})`,
  );
  return started;
}

/** UpdateService failed; `uncertain` when AWS gave no clear refusal, so the service may have changed all the same. */
export class UpdateFailure extends Error {
  override name = 'UpdateFailure';
  constructor(
    override readonly cause: unknown,
    readonly uncertain: boolean,
  ) {
    super(describeError(cause));
  }
}

/** Updates every service that needs it, all at once, keeping `journal` up to date as each call goes out and back. */
export async function startDeployments(
  ecs: ECSClient,
  inputs: Inputs,
  plans: ServicePlan[],
  nextRevisions: Map<string, TaskDefinition>,
  journal: UpdateJournal,
): Promise<StartResult> {
  const result: StartResult = { started: [], unchanged: [], failures: [] };
  await Promise.all(
    plans.map(async (plan) => {
      const next = nextRevisions.get(plan.name) as TaskDefinition;
      if (!needsUpdate(plan, next, inputs)) {
        core.info(`${plan.name}: already runs ${revisionName(next.taskDefinitionArn)}; nothing to deploy`);
        result.unchanged.push(plan);
        return;
      }
      try {
        result.started.push(await startOne(ecs, inputs, plan, next, journal));
      } catch (error) {
        result.failures.push({ plan, error: error instanceof UpdateFailure ? error : new UpdateFailure(error, false) });
      }
    }),
  );
  return result;
}
