import { isFamilyRevision, isTaskDefinitionArn } from '../names';
import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';

// Rollback, step 1 of 4 (target → resolve → start → watch): what a rollback goes back to, and how it gets there —
// the pure half (parsing, history rules, the choice of method). The AWS half is resolve.ts, start.ts and watch.ts in
// this folder. No SDK import: safe at start-up.

export type RollbackTarget =
  /** The newest revision whose deployment completed (SUCCESSFUL) before the current deployment. */
  | { kind: 'last-known-good' }
  /** The revision that was running when the current revision was deployed. */
  | { kind: 'previous' }
  /** A revision number of the service's own family. */
  | { kind: 'revision'; revision: number }
  /** `family:revision` or a task definition ARN. */
  | { kind: 'task-definition'; reference: string }
  /** The newest ACTIVE revision of the service's family whose container image carries this tag (or digest). */
  | { kind: 'image-tag'; tag: string };

const IMAGE_TAG = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[a-f0-9]{64})$/;
const IMAGE_PREFIX = 'image:';

/**
 * `last-known-good` (also the empty value), `previous`, a revision number (`42`), `family:42`, a task definition
 * ARN, or `image:<tag>` (`image:v1.2.3`, `image:sha256:<digest>`). `image:` is read first, so `image:42` is a tag.
 */
export function parseRollbackTarget(name: string, raw: string): RollbackTarget {
  const value = raw.trim();
  if (value === '' || value === 'last-known-good') return { kind: 'last-known-good' };
  if (value === 'previous') return { kind: 'previous' };
  if (value.startsWith(IMAGE_PREFIX)) {
    const tag = value.slice(IMAGE_PREFIX.length);
    if (!IMAGE_TAG.test(tag)) {
      throw new ConfigError(
        `Input "${name}" names the image tag ${quote(tag)}, which is neither a tag (up to 128 letters, digits, _, . ` +
          'and -, not starting with . or -) nor a digest (sha256:<64 hex digits>).',
      );
    }
    return { kind: 'image-tag', tag };
  }
  if (/^\d+$/.test(value) && Number(value) >= 1 && Number.isSafeInteger(Number(value))) {
    return { kind: 'revision', revision: Number(value) };
  }
  if (isTaskDefinitionArn(value) || isFamilyRevision(value)) return { kind: 'task-definition', reference: value };
  throw new ConfigError(
    `Input "${name}" must be last-known-good, previous, a revision number (42), a task definition (family:42 or ` +
      `its ARN) or an image tag (image:v1.2.3), got ${quote(raw)}.`,
  );
}

/** The target as the user would write it. */
export function describeRollbackTarget(target: RollbackTarget): string {
  switch (target.kind) {
    case 'last-known-good':
    case 'previous':
      return target.kind;
    case 'revision':
      return String(target.revision);
    case 'task-definition':
      return target.reference;
    case 'image-tag':
      return `image:${target.tag}`;
  }
}

/** One service deployment, its revisions resolved to task definition ARNs. */
export interface HistoryEntry {
  serviceDeploymentArn: string;
  status?: string;
  createdAt?: Date;
  /** What the deployment puts in place. */
  targetTaskDefinition?: string;
  /** What ran when it started: where a ROLLBACK stop returns the service to. */
  sourceTaskDefinitions: string[];
}

/** The service's current service deployment (DescribeServices' `currentServiceDeployment`). */
export type CurrentDeployment = HistoryEntry;

export function isInFlightStatus(status: string | undefined): boolean {
  return status === 'PENDING' || status === 'IN_PROGRESS';
}

/**
 * The revision that was running when `current` was deployed: the sources of the newest deployment that targeted
 * it, skipping redeployments of the same revision (their only source is `current` itself). History newest first.
 */
export function previousTaskDefinition(history: HistoryEntry[], current: string): string | undefined {
  for (const entry of history) {
    if (entry.targetTaskDefinition !== current) continue;
    const source = entry.sourceTaskDefinitions.find((td) => td !== current);
    if (source) return source;
  }
  return undefined;
}

export type RollbackMethod =
  /** The service already runs the target and nothing is in flight. */
  | 'none'
  /** StopServiceDeployment(ROLLBACK) of the deployment in flight: ECS returns to its source, the target. */
  | 'stop'
  /** ECS is already on its way to the target (its own rollback, or a deployment of it): only wait. */
  | 'await'
  /** UpdateService to the target: a new deployment (it replaces one in flight). */
  | 'update';

const ROLLING_BACK = ['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'];

/** How to reach `target` given the service's primary revision and current service deployment. */
export function chooseRollbackMethod(
  target: string,
  primary: string | undefined,
  current: CurrentDeployment | undefined,
): RollbackMethod {
  const status = current?.status;
  if (current && isInFlightStatus(status)) {
    if (current.sourceTaskDefinitions[0] === target) return 'stop';
    return current.targetTaskDefinition === target ? 'await' : 'update';
  }
  if (current && status && ROLLING_BACK.includes(status)) {
    return current.sourceTaskDefinitions[0] === target ? 'await' : 'update';
  }
  if (status === 'STOP_REQUESTED') return 'update';
  return primary === target ? 'none' : 'update';
}

/** The AWS CLI command that puts a service on a revision by hand, for when a rollback could not finish the job. */
export function manualRollbackCommand(options: {
  region?: string;
  cluster: string;
  service: string;
  taskDefinitionArn: string;
}): string {
  const region = options.region ? ` --region ${options.region}` : '';
  return `aws ecs update-service${region} --cluster ${options.cluster} --service ${options.service} --task-definition ${options.taskDefinitionArn}`;
}
