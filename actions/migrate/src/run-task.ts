import type {
  AwsVpcConfiguration,
  CapacityProviderStrategyItem,
  RunTaskCommandInput,
  Service,
  Tag,
} from '@aws-sdk/client-ecs';
import { containerOverride } from './container-overrides';
import type { EcsInputs, LaunchType } from './inputs';

/** Where and how the task runs: given by the inputs, or copied from a service, or left to the cluster default. */
export interface Placement {
  awsvpcConfiguration?: AwsVpcConfiguration;
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
}

/**
 * Explicit inputs win; what they leave open comes from the service named by copy-from-service, so the migration
 * runs in the same subnets, security groups and capacity as the app itself. The network configuration and the
 * launch type / capacity provider strategy are each taken as a whole, never mixed.
 */
export function resolvePlacement(inputs: EcsInputs, service?: Service): Placement {
  const network: AwsVpcConfiguration | undefined = inputs.network
    ? {
        subnets: inputs.network.subnets,
        ...(inputs.network.securityGroups.length ? { securityGroups: inputs.network.securityGroups } : {}),
        assignPublicIp: inputs.network.assignPublicIp,
      }
    : service?.networkConfiguration?.awsvpcConfiguration;
  const capacityGiven = inputs.launchType !== undefined || inputs.capacityProviderStrategy !== undefined;
  const strategy = capacityGiven ? inputs.capacityProviderStrategy : nonEmpty(service?.capacityProviderStrategy);
  const launchType = capacityGiven ? inputs.launchType : strategy ? undefined : serviceLaunchType(service);
  return {
    ...(network ? { awsvpcConfiguration: network } : {}),
    ...(launchType ? { launchType } : {}),
    ...(strategy ? { capacityProviderStrategy: strategy } : {}),
    ...(!capacityGiven && service?.platformVersion && service.platformVersion !== 'LATEST'
      ? { platformVersion: service.platformVersion }
      : {}),
  };
}

function nonEmpty<T>(items: T[] | undefined): T[] | undefined {
  return items && items.length > 0 ? items : undefined;
}

function serviceLaunchType(service: Service | undefined): LaunchType | undefined {
  const type = service?.launchType;
  return type === 'FARGATE' || type === 'EC2' || type === 'EXTERNAL' ? type : undefined;
}

export interface TaskTags {
  sha?: string;
  runId?: string;
  repository?: string;
}

/** Tags that let anyone find the deployment a task belongs to; empty values are left out (ECS rejects none). */
export function taskTags(tags: TaskTags): Tag[] {
  const entries: [string, string | undefined][] = [
    ['shipyard:git-sha', tags.sha],
    ['shipyard:github-run-id', tags.runId],
    ['shipyard:github-repository', tags.repository],
  ];
  return entries.filter(([, value]) => value).map(([key, value]) => ({ key, value: value?.slice(0, 256) }));
}

export interface RunTaskParams {
  inputs: EcsInputs;
  placement: Placement;
  tags: Tag[];
}

export function buildRunTaskInput({ inputs, placement, tags }: RunTaskParams): RunTaskCommandInput {
  const { awsvpcConfiguration, ...capacity } = placement;
  return {
    cluster: inputs.cluster,
    taskDefinition: inputs.taskDefinition,
    count: 1,
    startedBy: inputs.startedBy,
    overrides: { containerOverrides: [containerOverride(inputs.container, inputs.command, inputs.environment)] },
    ...capacity,
    ...(awsvpcConfiguration ? { networkConfiguration: { awsvpcConfiguration } } : {}),
    ...(tags.length ? { tags } : {}),
  };
}
