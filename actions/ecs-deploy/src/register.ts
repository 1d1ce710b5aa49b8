import * as core from '@shipyard/shared/core';
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionRequest,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { ConfigError, describeError, isAwsSdkError } from '@shipyard/shared/errors';
import { quote } from '@shipyard/shared/inputs';
import { Input } from './constants';
import type { Inputs } from './inputs';
import type { ServicePlan } from './plan';
import { contentKey } from './render';
import {
  changesForContainers,
  checkContainersExistSomewhere,
  containerNames,
  renderChanges,
  renderTaskDefinition,
} from './taskdef';

/** What each service moves from and to. */
export interface Revisions {
  current: Map<string, TaskDefinition>;
  next: Map<string, TaskDefinition>;
  /** ARNs this run registered (one per distinct rendered task definition). */
  registered: string[];
}

/** `web:7` for an ARN; a planned revision (not registered) has none yet. */
export function revisionName(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : 'new revision';
}

async function describe(
  ecs: ECSClient,
  reference: string,
): Promise<{ taskDefinition: TaskDefinition; tags: object[] }> {
  const response = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }));
  return { taskDefinition: response.taskDefinition as TaskDefinition, tags: response.tags ?? [] };
}

async function describeExisting(ecs: ECSClient, reference: string, region: string): Promise<TaskDefinition> {
  try {
    return (await describe(ecs, reference)).taskDefinition;
  } catch (error) {
    if (isAwsSdkError(error) && error.$metadata.httpStatusCode === 400) {
      throw new ConfigError(
        `Input "${Input.TaskDefinition}" names ${quote(reference)}, which ECS cannot describe in ${region} (${describeError(error).replace(/\.$/, '')}).`,
      );
    }
    throw error;
  }
}

/**
 * Works out the revision every service moves to, registering one revision per distinct rendered task definition
 * (none when the rendered one equals what a service already runs, none for an existing revision). Every render is
 * checked before the first registration.
 */
export async function resolveRevisions(
  ecs: ECSClient,
  inputs: Inputs,
  plans: ServicePlan[],
  region: string,
): Promise<Revisions> {
  const currentArns = [...new Set(plans.map((p) => p.currentTaskDefinitionArn))];
  const described = new Map(
    await Promise.all(currentArns.map(async (arn) => [arn, await describe(ecs, arn)] as const)),
  );
  const current = new Map(plans.map((p) => [p.name, described.get(p.currentTaskDefinitionArn)!.taskDefinition]));
  const source = inputs.taskDefinition;

  if (source.kind === 'existing') {
    const existing = await describeExisting(ecs, source.reference, region);
    return { current, next: new Map(plans.map((p) => [p.name, existing])), registered: [] };
  }

  // The request each service needs, by content, before anything is registered.
  const changes = renderChanges(inputs);
  const origins = new Map(
    plans.map((p) => [
      p.currentTaskDefinitionArn,
      `the current task definition ${revisionName(p.currentTaskDefinitionArn)} of service "${p.name}"`,
    ]),
  );
  // Lines apply to the task definitions that have the container they name: with several services, and in register
  // mode, where a workflow registers one service's revision (to migrate with it) from every image of the release.
  const perContainer = source.kind === 'current' && (described.size > 1 || inputs.mode === 'register');
  const names = new Set([...described.values()].flatMap((d) => containerNames(d.taskDefinition)));
  if (perContainer && inputs.mode !== 'register') checkContainersExistSomewhere(changes, names, [...origins.values()]);
  const images = Object.keys(changes.images);
  if (perContainer && inputs.mode === 'register' && images.length && !images.some((c) => names.has(c))) {
    throw new ConfigError(
      `Input "images" names no container of ${[...origins.values()].join('; ')} (it has ${[...names].map((n) => quote(n)).join(', ')}): ` +
        'nothing would change in the registered revision.',
    );
  }
  const wanted = new Map<string, RegisterTaskDefinitionRequest>();
  const keyOfService = new Map<string, string>();
  for (const plan of plans) {
    const base = described.get(plan.currentTaskDefinitionArn)!;
    const rendered =
      source.kind === 'document'
        ? renderTaskDefinition(source.document, changes, source.origin)
        : renderTaskDefinition(
            { ...base.taskDefinition, tags: base.tags },
            perContainer ? changesForContainers(changes, containerNames(base.taskDefinition)) : changes,
            origins.get(plan.currentTaskDefinitionArn)!,
          );
    const key = contentKey(rendered);
    keyOfService.set(plan.name, key);
    if (key !== contentKey(base.taskDefinition) && !wanted.has(key)) wanted.set(key, rendered);
  }

  // In plan mode nothing is registered: the rendered request stands in for the revision (it has no ARN yet).
  const registered = new Map<string, TaskDefinition>();
  for (const [key, request] of wanted) {
    if (inputs.mode === 'plan') {
      registered.set(key, request);
      continue;
    }
    const response = await ecs.send(new RegisterTaskDefinitionCommand(request));
    const taskDefinition = response.taskDefinition as TaskDefinition;
    core.info(`Registered ${taskDefinition.taskDefinitionArn}`);
    registered.set(key, taskDefinition);
  }
  const next = new Map(
    plans.map((plan) => [plan.name, registered.get(keyOfService.get(plan.name)!) ?? current.get(plan.name)!]),
  );
  for (const plan of plans) {
    if (!registered.has(keyOfService.get(plan.name)!)) {
      core.info(
        `${plan.name}: the rendered task definition equals ${revisionName(plan.currentTaskDefinitionArn)}; nothing to register`,
      );
    }
  }
  const arns = [...registered.values()].flatMap((td) => (td.taskDefinitionArn ? [td.taskDefinitionArn] : []));
  return { current, next, registered: arns };
}
