import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { lastSuccessfulRevision, primaryTaskDefinition } from '../deployments';
import { imageHasTag, serviceName, shortTaskDefinition, taskDefinitionFamily } from '../names';
import {
  isInFlightStatus,
  previousTaskDefinition,
  type CurrentDeployment,
  type HistoryEntry,
  type RollbackTarget,
} from './target';
import { ConfigError, isError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';

// Rollback, step 2 of 4 (target → resolve → start → watch): resolves a rollback target to a deployable revision
// from the service's deployment history — never "revision − 1", which is wrong whenever revisions were registered
// but not deployed, failed, or were redeployed unchanged. Only reads: every problem is a ConfigError naming the
// service, so a caller can resolve every service before changing any. Loads the ECS SDK: import lazily.

/** ListTaskDefinitions' page size: how many of the newest ACTIVE revisions an image-tag target looks through. */
export const IMAGE_TAG_SEARCH_DEPTH = 100;
const DESCRIBE_CONCURRENCY = 10;
const REVISIONS_PER_CALL = 20;
const HISTORY_DEPTH = 20;

/** What resolution needs to know about one service. */
export interface RollbackSubject {
  cluster: string;
  /** As DescribeServices returned it. */
  service: Service;
  /** Undefined when the service has no service-deployment view (then deployments[] is all there is). */
  current?: CurrentDeployment;
}

export interface ResolvedRollbackTarget {
  /** The target revision, described: it exists, is ACTIVE and belongs to the service's family. */
  taskDefinition: TaskDefinition & { taskDefinitionArn: string };
  tags: Tag[];
  /** Why this revision, in a few words for the plan. */
  basis: string;
}

function nameOf(service: Service): string {
  return service.serviceName ?? serviceName(service.serviceArn ?? 'unknown');
}

function unresolvable(service: Service, reason: string): ConfigError {
  return new ConfigError(`Service "${nameOf(service)}": ${reason}`);
}

async function taskDefinitionsOfRevisions(ecs: ECSClient, arns: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(arns)];
  const result = new Map<string, string>();
  for (let i = 0; i < unique.length; i += REVISIONS_PER_CALL) {
    const response = await ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: unique.slice(i, i + REVISIONS_PER_CALL) }),
    );
    for (const revision of response.serviceRevisions ?? []) {
      if (revision.serviceRevisionArn && revision.taskDefinition) {
        result.set(revision.serviceRevisionArn, revision.taskDefinition);
      }
    }
  }
  return result;
}

async function toHistoryEntries(ecs: ECSClient, deployments: ServiceDeployment[]): Promise<HistoryEntry[]> {
  const revisionArns = deployments.flatMap((sd) =>
    [sd.targetServiceRevision?.arn, ...(sd.sourceServiceRevisions ?? []).map((r) => r.arn)].filter(
      (arn): arn is string => !!arn,
    ),
  );
  const taskDefinitionOf = revisionArns.length ? await taskDefinitionsOfRevisions(ecs, revisionArns) : new Map();
  const lookup = (arn: string | undefined): string | undefined => (arn ? taskDefinitionOf.get(arn) : undefined);
  return deployments.map((sd) => ({
    serviceDeploymentArn: sd.serviceDeploymentArn ?? '',
    status: sd.status,
    createdAt: sd.createdAt,
    targetTaskDefinition: lookup(sd.targetServiceRevision?.arn),
    sourceTaskDefinitions: (sd.sourceServiceRevisions ?? [])
      .map((r) => lookup(r.arn))
      .filter((td): td is string => !!td),
  }));
}

/** The service's current service deployment (DescribeServices' `currentServiceDeployment`), or undefined. */
export async function describeCurrentDeployment(
  ecs: ECSClient,
  service: Service,
): Promise<CurrentDeployment | undefined> {
  const arn = service.currentServiceDeployment;
  if (!arn) return undefined;
  const response = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const sd = response.serviceDeployments?.[0];
  if (!sd) return undefined;
  const [entry] = await toHistoryEntries(ecs, [sd]);
  return { ...entry, serviceDeploymentArn: arn };
}

/** The service's most recent service deployments (up to 20), newest first. */
export async function loadDeploymentHistory(ecs: ECSClient, cluster: string, service: string): Promise<HistoryEntry[]> {
  const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service, maxResults: HISTORY_DEPTH }));
  const arns = (listed.serviceDeployments ?? []).flatMap((b) =>
    b.serviceDeploymentArn ? [b.serviceDeploymentArn] : [],
  );
  if (arns.length === 0) return [];
  const described = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }));
  const entries = await toHistoryEntries(ecs, described.serviceDeployments ?? []);
  return entries.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

/** From deployments[] alone: an older deployment still listed (it runs, or ran until just now), if any. */
export function olderDeploymentTaskDefinition(service: Service): string | undefined {
  const primary = primaryTaskDefinition(service);
  return service.deployments?.find((d) => d.status !== 'PRIMARY' && d.taskDefinition && d.taskDefinition !== primary)
    ?.taskDefinition;
}

/** The revision a rollback moves away from: the one being deployed while a deployment is in flight, else the
 * service's primary revision. */
export function currentTaskDefinition(subject: Pick<RollbackSubject, 'service' | 'current'>): string | undefined {
  const { current, service } = subject;
  if (current?.targetTaskDefinition && isInFlightStatus(current.status)) return current.targetTaskDefinition;
  return primaryTaskDefinition(service);
}

const NO_HISTORY_HINT =
  'set target to a revision number (42), family:revision, a task definition ARN or image:<tag> instead.';
const OLDER_DEPLOYMENT = 'the older deployment still listed (no service-deployment history)';

async function lastKnownGood(ecs: ECSClient, subject: RollbackSubject): Promise<{ arn: string; basis: string }> {
  const { cluster, service, current } = subject;
  // The current deployment's target is excluded: whether it succeeded, failed or is still going, it is what the
  // rollback moves away from. So is the primary revision, unless ECS itself is rolling back (or rolled back) to it.
  // Only deployments created before the current one count.
  const ecsRolledBack = current?.status?.startsWith('ROLLBACK') ?? false;
  const exclude = [current?.targetTaskDefinition, ecsRolledBack ? undefined : primaryTaskDefinition(service)].filter(
    (td): td is string => !!td,
  );
  const arn = await lastSuccessfulRevision(ecs, {
    cluster,
    service: nameOf(service),
    exclude,
    before: current?.createdAt,
  });
  if (arn) return { arn, basis: 'the last revision whose deployment completed before the current one' };
  const older = olderDeploymentTaskDefinition(service);
  if (older) return { arn: older, basis: OLDER_DEPLOYMENT };
  throw unresolvable(
    service,
    'no other revision completed a deployment before the current one (ListServiceDeployments holds no SUCCESSFUL ' +
      `deployment of another revision), so there is no last known-good revision; ${NO_HISTORY_HINT}`,
  );
}

async function previous(ecs: ECSClient, subject: RollbackSubject): Promise<{ arn: string; basis: string }> {
  const { cluster, service } = subject;
  const current = currentTaskDefinition(subject);
  const history = await loadDeploymentHistory(ecs, cluster, nameOf(service));
  const arn = current ? previousTaskDefinition(history, current) : undefined;
  if (arn) return { arn, basis: `the revision that ran before ${shortTaskDefinition(current)} was deployed` };
  const older = olderDeploymentTaskDefinition(service);
  if (older) return { arn: older, basis: OLDER_DEPLOYMENT };
  throw unresolvable(
    service,
    `the deployment history does not say which revision ran before ${shortTaskDefinition(current)}; ${NO_HISTORY_HINT}`,
  );
}

/** DescribeTaskDefinition with its tags; an unknown revision (ECS: ClientException) gives no task definition. */
export async function describeTaskDefinitionWithTags(
  ecs: ECSClient,
  reference: string,
): Promise<{ taskDefinition?: TaskDefinition; tags: Tag[] }> {
  try {
    const response = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] }),
    );
    return { taskDefinition: response.taskDefinition, tags: response.tags ?? [] };
  } catch (error) {
    if (isError(error) && error.name === 'ClientException') return { tags: [] };
    throw error;
  }
}

async function newestWithImageTag(ecs: ECSClient, family: string, tag: string): Promise<string | undefined> {
  const listed = await ecs.send(
    new ListTaskDefinitionsCommand({
      familyPrefix: family,
      status: 'ACTIVE',
      sort: 'DESC',
      maxResults: IMAGE_TAG_SEARCH_DEPTH,
    }),
  );
  const arns = listed.taskDefinitionArns ?? [];
  // Newest first, a few at a time, stopping at the first batch that holds a match.
  for (let i = 0; i < arns.length; i += DESCRIBE_CONCURRENCY) {
    const batch = await Promise.all(
      arns.slice(i, i + DESCRIBE_CONCURRENCY).map((arn) => describeTaskDefinitionWithTags(ecs, arn)),
    );
    const match = batch.find(({ taskDefinition }) =>
      taskDefinition?.containerDefinitions?.some((c) => c.image && imageHasTag(c.image, tag)),
    );
    if (match?.taskDefinition?.taskDefinitionArn) return match.taskDefinition.taskDefinitionArn;
  }
  return undefined;
}

async function candidate(
  ecs: ECSClient,
  subject: RollbackSubject,
  target: RollbackTarget,
  family: string,
): Promise<{ arn: string; basis: string }> {
  const { service } = subject;
  switch (target.kind) {
    case 'last-known-good':
      return lastKnownGood(ecs, subject);
    case 'previous':
      return previous(ecs, subject);
    case 'revision':
      return { arn: `${family}:${target.revision}`, basis: `revision ${target.revision}, as asked` };
    case 'task-definition': {
      const other = taskDefinitionFamily(target.reference);
      if (other !== family) {
        throw unresolvable(
          service,
          `target ${quote(target.reference)} is a revision of family "${other}", but the service runs family ` +
            `"${family}"; a rollback stays within the service's family.`,
        );
      }
      return { arn: target.reference, basis: 'the task definition asked for' };
    }
    case 'image-tag': {
      const arn = await newestWithImageTag(ecs, family, target.tag);
      if (arn) return { arn, basis: `the newest ACTIVE revision running an image tagged ${target.tag}` };
      throw unresolvable(
        service,
        `none of the ${IMAGE_TAG_SEARCH_DEPTH} newest ACTIVE revisions of family "${family}" runs an image tagged ` +
          `${quote(target.tag)}.`,
      );
    }
  }
}

/**
 * Resolves and describes the revision `target` names for one service, checking that ECS can deploy it (it exists,
 * is ACTIVE, belongs to the service's family). Throws a ConfigError naming the service when it cannot.
 */
export async function resolveRollbackTarget(
  ecs: ECSClient,
  subject: RollbackSubject,
  target: RollbackTarget,
): Promise<ResolvedRollbackTarget> {
  const { service } = subject;
  const current = currentTaskDefinition(subject);
  const family = current ? taskDefinitionFamily(current) : undefined;
  if (!current || !family) throw unresolvable(service, `its current task definition (${current}) cannot be read.`);
  const { arn, basis } = await candidate(ecs, subject, target, family);
  const { taskDefinition, tags } = await describeTaskDefinitionWithTags(ecs, arn);
  if (!taskDefinition?.taskDefinitionArn) {
    throw unresolvable(service, `task definition ${shortTaskDefinition(arn)} does not exist (${basis}).`);
  }
  if (taskDefinition.status !== 'ACTIVE') {
    throw unresolvable(
      service,
      `${shortTaskDefinition(taskDefinition.taskDefinitionArn)} (${basis}) is ${taskDefinition.status}: ECS cannot ` +
        'deploy a deregistered revision. Register it again, or choose another target.',
    );
  }
  return { taskDefinition: taskDefinition as ResolvedRollbackTarget['taskDefinition'], tags, basis };
}
