import * as core from '@shipyard/shared/core';
import {
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { DeploymentTarget } from '@shipyard/shared/ecs-deployments';
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
  failures: { plan: ServicePlan; error: unknown }[];
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
 * The service deployment UpdateService started: the response's currentServiceDeployment when it changed, else the
 * newest service deployment created since the call.
 */
async function ourServiceDeployment(
  ecs: ECSClient,
  cluster: string,
  plan: ServicePlan,
  updated: Service | undefined,
  startedAt: Date,
): Promise<string | undefined> {
  const arn = updated?.currentServiceDeployment;
  if (arn && arn !== plan.service.currentServiceDeployment) return arn;
  const listed = await ecs.send(
    new ListServiceDeploymentsCommand({
      cluster,
      service: plan.name,
      createdAt: { after: new Date(startedAt.getTime() - 1000) },
    }),
  );
  const newest = [...(listed.serviceDeployments ?? [])].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  )[0];
  return newest?.serviceDeploymentArn;
}

async function startOne(
  ecs: ECSClient,
  inputs: Inputs,
  plan: ServicePlan,
  next: TaskDefinition,
): Promise<StartedDeployment> {
  const startedAt = new Date();
  const response = await ecs.send(
    new UpdateServiceCommand({
      cluster: inputs.cluster,
      service: plan.name,
      taskDefinition: next.taskDefinitionArn,
      desiredCount: inputs.desiredCount,
      forceNewDeployment: inputs.forceNewDeployment || undefined,
      deploymentConfiguration: plan.deploymentConfiguration,
    }),
  );
  const updated = response.service;
  const primary = updated?.deployments?.find((d) => d.status === 'PRIMARY');
  const serviceDeploymentArn = await ourServiceDeployment(ecs, inputs.cluster, plan, updated, startedAt);
  const taskDefinitionArn = next.taskDefinitionArn as string;
  core.info(
    `${plan.name}: ${revisionName(plan.currentTaskDefinitionArn)} → ${revisionName(taskDefinitionArn)} started ` +
      `(${primary?.id ?? 'deployment id unknown'}${serviceDeploymentArn ? `, ${serviceDeploymentArn}` : ''})`,
  );
  return {
    plan,
    target: { service: plan.name, taskDefinitionArn, deploymentId: primary?.id, serviceDeploymentArn },
    previousTaskDefinitionArn: plan.currentTaskDefinitionArn,
    next,
    startedAt,
  };
}

/**
 * Updates every service that needs it, all at once. `onStarted` runs as soon as each one is under way (the caller
 * saves state for the post step there), so a cancellation right after still knows what to roll back.
 */
export async function startDeployments(
  ecs: ECSClient,
  inputs: Inputs,
  plans: ServicePlan[],
  nextRevisions: Map<string, TaskDefinition>,
  onStarted: (deployment: StartedDeployment) => void,
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
        const started = await startOne(ecs, inputs, plan, next);
        result.started.push(started);
        onStarted(started);
      } catch (error) {
        result.failures.push({ plan, error });
      }
    }),
  );
  return result;
}
