import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type ECSClient,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { isUnknownTaskDefinition, unknownTaskDefinitionYet } from '@shipyard/ecs/consistency';
import { untilVisible } from '@shipyard/platform/consistency';
import { taskDefinitionInputError } from '@shipyard/ecs/names';
import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { describeCommand } from '@shipyard/platform/redact';
import { Input } from './constants';
import type { EcsInputs } from './inputs';
import { resolvePlacement, type Placement } from './run-task';

/** What the read-only checks found: everything RunTask needs beyond the inputs. */
export interface Prepared {
  taskDefinition: TaskDefinition;
  placement: Placement;
  /** The command the container will run, for the log and the summary. */
  command: string;
}

/**
 * Reads the task definition (and the service to copy from) and refuses, before anything is started, what ECS
 * would refuse or run wrongly: a container the task definition does not have, an awsvpc task without subnets.
 */
export async function prepare(ecs: ECSClient, inputs: EcsInputs, region: string): Promise<Prepared> {
  // A revision registered moments ago (by an earlier step) may be unknown for a short while: ECS is eventually
  // consistent.
  const { taskDefinition } = await untilVisible(
    () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: inputs.taskDefinition })),
    { isUnseen: isUnknownTaskDefinition, onRetry: unknownTaskDefinitionYet(inputs.taskDefinition) },
  ).catch((error: unknown) => {
    throw taskDefinitionInputError(error, Input.TaskDefinition, inputs.taskDefinition, region);
  });
  if (!taskDefinition) throw new ConfigError(`Task definition ${quote(inputs.taskDefinition)} was not found.`);
  const name = `${taskDefinition.family}:${taskDefinition.revision}`;
  const containers = taskDefinition.containerDefinitions ?? [];
  const container = containers.find((candidate) => candidate.name === inputs.container);
  if (!container) {
    const names = containers.map((candidate) => quote(candidate.name ?? '')).join(', ') || 'none';
    throw new ConfigError(
      `Input "${Input.Container}" names ${quote(inputs.container)}, which task definition ${name} does not have; ` +
        `its containers are ${names}.`,
    );
  }
  const service = inputs.copyFromService ? await describeService(ecs, inputs, inputs.copyFromService) : undefined;
  const placement = resolvePlacement(inputs, service);
  if (taskDefinition.networkMode === 'awsvpc' && !placement.awsvpcConfiguration) {
    throw new ConfigError(
      `Task definition ${name} uses network mode awsvpc, so the task needs subnets: set "${Input.Subnets}" ` +
        `(and "${Input.SecurityGroups}"), or "${Input.CopyFromService}" to run it in the network of the app's service.`,
    );
  }
  const command = inputs.command ?? container.command;
  return {
    taskDefinition,
    placement,
    command: command ? describeCommand(command) : `the entry point of image ${container.image ?? 'unknown'}`,
  };
}

async function describeService(ecs: ECSClient, inputs: EcsInputs, serviceName: string): Promise<Service> {
  const { services, failures } = await ecs.send(
    new DescribeServicesCommand({ cluster: inputs.cluster, services: [serviceName] }),
  );
  const service = services?.find((candidate) => candidate.status !== 'INACTIVE');
  if (!service) {
    const reason = failures?.[0]?.reason ?? services?.[0]?.status ?? 'MISSING';
    throw new ConfigError(
      `Input "${Input.CopyFromService}" names service ${quote(serviceName)}, which cluster ${quote(inputs.cluster)} ` +
        `does not have (${reason}).`,
    );
  }
  return service;
}
