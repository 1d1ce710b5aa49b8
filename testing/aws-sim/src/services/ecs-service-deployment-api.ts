import { AwsError } from '../errors';
import type { JsonHandler } from '../protocols/json';
import type { World } from '../world';
import { continueHook } from './ecs-blue-green';
import { abort, engineOps, rollBack } from './ecs-engine';
import { isFinal, renderServiceDeployment, renderServiceDeploymentBrief } from './ecs-service-deployments';
import {
  ecsState,
  invalidParameter,
  paginate,
  requireCluster,
  requireService,
  type ServiceDeploymentRecord,
} from './ecs-state';

const STOPPABLE = ['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'];
/** How long a stop request stays ROLLBACK_REQUESTED / STOP_REQUESTED before ECS acts on it. */
const STOP_REQUEST_MS = 1_000;

function requireServiceDeployment(world: World, arn: string | undefined): ServiceDeploymentRecord {
  const sd = arn ? ecsState(world).serviceDeployments.get(arn) : undefined;
  if (!sd) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
  return sd;
}

/** A service deployment UpdateService just started may not be listed or described yet. */
const UNLISTED = 'unlistedNewServiceDeployment';

const toTime = (value: unknown) => (value === undefined ? undefined : Number(value) * 1000);

export const serviceDeploymentHandlers: Record<string, JsonHandler> = {
  ListServiceDeployments(
    input: {
      cluster?: string;
      service?: string;
      status?: string[];
      createdAt?: { after?: number; before?: number };
      maxResults?: number;
      nextToken?: string;
    },
    ctx,
  ) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    const service = requireService(state, cluster, input.service, false);
    const after = toTime(input.createdAt?.after);
    const before = toTime(input.createdAt?.before);
    const matching = [...state.serviceDeployments.values()]
      .filter((sd) => sd.serviceArn === service.serviceArn)
      .filter((sd) => !input.status?.length || input.status.includes(sd.status))
      .filter(
        (sd) =>
          (after === undefined || sd.createdAt.getTime() >= after) &&
          (before === undefined || sd.createdAt.getTime() <= before),
      )
      .filter((sd) => !ctx.world.lagging.read(UNLISTED, sd.serviceDeploymentArn, 'ListServiceDeployments'))
      .reverse();
    const { page, nextToken } = paginate(matching, input.maxResults ?? 20, input.nextToken);
    return { serviceDeployments: page.map(renderServiceDeploymentBrief), nextToken };
  },

  DescribeServiceDeployments(input: { serviceDeploymentArns?: string[] }, ctx) {
    const state = ecsState(ctx.world);
    const arns = input.serviceDeploymentArns ?? [];
    if (arns.length === 0 || arns.length > 20)
      throw invalidParameter('serviceDeploymentArns must contain between 1 and 20 items.');
    const serviceDeployments = [];
    const failures = [];
    for (const arn of arns) {
      const sd = state.serviceDeployments.get(arn);
      if (sd && !ctx.world.lagging.read(UNLISTED, arn, 'DescribeServiceDeployments'))
        serviceDeployments.push(renderServiceDeployment(state, sd));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceDeployments, failures };
  },

  DescribeServiceRevisions(input: { serviceRevisionArns?: string[] }, ctx) {
    const state = ecsState(ctx.world);
    const arns = input.serviceRevisionArns ?? [];
    if (arns.length === 0 || arns.length > 20)
      throw invalidParameter('serviceRevisionArns must contain between 1 and 20 items.');
    const serviceRevisions = [];
    const failures = [];
    for (const arn of arns) {
      const revision = state.revisions.get(arn);
      if (revision) serviceRevisions.push(revision);
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { serviceRevisions, failures };
  },

  StopServiceDeployment(input: { serviceDeploymentArn?: string; stopType?: string }, ctx) {
    const { world } = ctx;
    const sd = requireServiceDeployment(world, input.serviceDeploymentArn);
    const stopType = input.stopType ?? 'ROLLBACK';
    if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') throw invalidParameter(`Invalid stopType: ${stopType}`);
    if (!STOPPABLE.includes(sd.status)) {
      throw new AwsError('ConflictException', `The service deployment is ${sd.status} and can no longer be stopped.`);
    }
    if (sd.status.startsWith('ROLLBACK') || sd.status === 'STOP_REQUESTED')
      return { serviceDeploymentArn: sd.serviceDeploymentArn };
    const service = ecsState(world).services.get(sd.serviceArn)!;
    sd.status = stopType === 'ROLLBACK' ? 'ROLLBACK_REQUESTED' : 'STOP_REQUESTED';
    sd.updatedAt = new Date(world.now());
    const generation = ++sd.generation;
    world.after(STOP_REQUEST_MS, () => {
      if (sd.generation !== generation || isFinal(sd)) return;
      if (stopType === 'ABORT') abort(world, service, sd);
      else rollBack(world, service, sd, 'Service deployment rolled back because of a StopServiceDeployment request.');
    });
    return { serviceDeploymentArn: sd.serviceDeploymentArn };
  },

  ContinueServiceDeployment(input: { serviceDeploymentArn?: string; hookId?: string; action?: string }, ctx) {
    const { world } = ctx;
    const sd = requireServiceDeployment(world, input.serviceDeploymentArn);
    const action = input.action ?? 'CONTINUE';
    if (action !== 'CONTINUE' && action !== 'ROLLBACK') throw invalidParameter(`Invalid action: ${action}`);
    if (!input.hookId) throw invalidParameter('hookId must be specified.');
    const service = ecsState(world).services.get(sd.serviceArn)!;
    continueHook(world, service, sd, input.hookId, action, engineOps(world));
    return { serviceDeploymentArn: sd.serviceDeploymentArn };
  },
};
