import { ConfigError, describeError, isAwsSdkError, StillUnseenError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';

// ECS names and ARNs, the one home of their rules and of how they are shortened for people: what inputs may name
// (clusters, services, containers, task definitions), and the short forms messages use. Pure.

/** ECS: up to 255 letters, numbers, underscores and hyphens (services, families and container names alike). */
export const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Every ECS ARN: partition (aws, aws-cn, aws-us-gov…), region and 12-digit account, then the resource. */
const ECS_ARN_PREFIX = 'arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:';
const NAME = '[A-Za-z0-9_-]{1,255}';
/** `…:service/<cluster>/<service>`, or the older `…:service/<service>`. */
const SERVICE_ARN = new RegExp(`^${ECS_ARN_PREFIX}service/(?:(${NAME})/)?(${NAME})$`);
const CLUSTER_ARN = new RegExp(`^${ECS_ARN_PREFIX}cluster/${NAME}$`);
const ECS_NAME_RULE = 'up to 255 letters, digits, _ and -';
/** RunTask's awsvpcConfiguration limits (ECS API reference): 16 subnets, 5 security groups. */
const MAX_SUBNETS = 16;
const MAX_SECURITY_GROUPS = 5;
/** More services than this in one step is a mistake; the calls are batched by 10 (DescribeServices) anyway. */
export const MAX_SERVICES = 50;

/** A non-empty list of service names or ARNs, each once, at most MAX_SERVICES. */
export function parseServiceList(name: string, items: string[]): string[] {
  if (items.length === 0) throw new ConfigError(`Input "${name}" is required but was empty or not set.`);
  if (items.length > MAX_SERVICES) {
    throw new ConfigError(`Input "${name}" lists ${items.length} services; at most ${MAX_SERVICES}.`);
  }
  const invalid = items.find((s) => !ECS_NAME.test(s) && !SERVICE_ARN.test(s));
  if (invalid !== undefined) {
    throw new ConfigError(
      `Input "${name}" lists ${quote(invalid)}, which is not a service name (up to 255 letters, digits, _ and -) ` +
        'or service ARN.',
    );
  }
  const duplicate = items.find((s, i) => items.indexOf(s) !== i);
  if (duplicate !== undefined) throw new ConfigError(`Input "${name}" lists ${quote(duplicate)} twice.`);
  return items;
}

/** A cluster, service or container name (`what` says which), per ECS's naming rule. */
export function parseEcsName(name: string, value: string, what: string): string {
  if (!ECS_NAME.test(value)) {
    throw new ConfigError(`Input "${name}" must be a ${what} name (${ECS_NAME_RULE}), got ${quote(value)}.`);
  }
  return value;
}

/** A cluster name or cluster ARN, as every ECS call accepts. */
export function parseCluster(name: string, value: string): string {
  if (!ECS_NAME.test(value) && !CLUSTER_ARN.test(value)) {
    throw new ConfigError(
      `Input "${name}" must be a cluster name (${ECS_NAME_RULE}) or cluster ARN, got ${quote(value)}.`,
    );
  }
  return value;
}

function parseVpcIds(name: string, items: string[], prefix: string, max: number, what: string): string[] {
  // EC2 ids: the prefix and 8 (older resources) or 17 lower-case hex digits.
  const pattern = new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
  const invalid = items.find((item) => !pattern.test(item));
  if (invalid !== undefined) {
    throw new ConfigError(
      `Input "${name}" lists ${quote(invalid)}, which is not a ${what} id (${prefix}- and 8 or 17 hex digits, ` +
        `e.g. ${prefix}-0123456789abcdef0).`,
    );
  }
  if (items.length > max)
    throw new ConfigError(`Input "${name}" lists ${items.length} ${what}s; ECS takes at most ${max}.`);
  return items;
}

export function parseSubnetIds(name: string, items: string[]): string[] {
  return parseVpcIds(name, items, 'subnet', MAX_SUBNETS, 'subnet');
}

export function parseSecurityGroupIds(name: string, items: string[]): string[] {
  return parseVpcIds(name, items, 'sg', MAX_SECURITY_GROUPS, 'security group');
}

// A task definition revision is a positive integer (ECS numbers them from 1), written without leading zeros.
const TASK_DEFINITION_ARN = new RegExp(`^${ECS_ARN_PREFIX}task-definition/(${NAME}):([1-9]\\d*)$`);
const FAMILY_REVISION = new RegExp(`^(${NAME}):([1-9]\\d*)$`);
/** `…:task/<cluster>/<id>`, or the older `…:task/<id>`. */
const TASK_ARN = new RegExp(`^${ECS_ARN_PREFIX}task/(?:${NAME}/)?([A-Za-z0-9-]{1,255})$`);

/** A task definition revision ARN (`arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`). */
export function isTaskDefinitionArn(value: string): boolean {
  return TASK_DEFINITION_ARN.test(value);
}

/** `family:revision`, e.g. `web:7`. */
export function isFamilyRevision(value: string): boolean {
  return FAMILY_REVISION.test(value);
}

/** How a task definition input may name it: a revision ARN, `family:revision` or a bare family (its latest ACTIVE
 * revision). */
export function isTaskDefinitionReference(value: string): boolean {
  return isTaskDefinitionArn(value) || isFamilyRevision(value) || ECS_NAME.test(value);
}

/** `arn:…:task-definition/web:7` → `web`; also reads `web:7`. */
export function taskDefinitionFamily(reference: string): string | undefined {
  return (TASK_DEFINITION_ARN.exec(reference) ?? FAMILY_REVISION.exec(reference))?.[1];
}

/**
 * What to throw when ECS refuses to describe the task definition an input names: a 400 (ClientException for an
 * unknown family or revision), also after retries in case it was registered moments ago (StillUnseenError), is a
 * mistake in that input and says so; any other error is returned as it is.
 */
export function taskDefinitionInputError(error: unknown, name: string, reference: string, region: string): unknown {
  const cause = error instanceof StillUnseenError ? error.cause : error;
  if (!isAwsSdkError(cause) || cause.$metadata.httpStatusCode !== 400) return error;
  return new ConfigError(
    `Input "${name}" names ${quote(reference)}, which ECS cannot describe in ${region} ` +
      `(${describeError(error).replace(/\.$/, '')}).`,
  );
}

/** `arn:…:task-definition/web:7` → `web:7`, the way people name revisions; other values as they are. */
export function shortTaskDefinition(reference: string | undefined): string {
  if (!reference) return '(none)';
  const match = TASK_DEFINITION_ARN.exec(reference);
  return match ? `${match[1]}:${match[2]}` : reference;
}

/** `arn:aws:ecs:…:task/prod/0123abcd…` → `0123abcd…`, the id the console and log streams use; other values as they
 * are. */
export function taskId(taskArn: string): string {
  return TASK_ARN.exec(taskArn)?.[1] ?? taskArn;
}

/** `arn:…:service/prod/web` (or the older `arn:…:service/web`) → `web`; a name or any other value as it is. */
export function serviceName(reference: string): string {
  return SERVICE_ARN.exec(reference)?.[2] ?? reference;
}

/** Whether a service an input names (name or ARN) is this service of a DescribeServices answer. */
export function isSameService(reference: string, service: { serviceName?: string; serviceArn?: string }): boolean {
  return (
    reference === service.serviceArn ||
    serviceName(reference) === (service.serviceName ?? serviceName(service.serviceArn ?? ''))
  );
}

/** Whether an image reference (`repo:tag`, `repo@sha256:…`, `repo:tag@sha256:…`) carries the tag or digest. */
export function imageHasTag(image: string, tag: string): boolean {
  const at = image.indexOf('@');
  if (tag.startsWith('sha256:')) return at >= 0 && image.slice(at + 1) === tag;
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') && name.slice(colon + 1) === tag;
}
