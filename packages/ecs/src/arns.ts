// ECS ARNs, the one home of their rules and of how they are shortened for people: task definitions (and
// `family:revision`), services, clusters, tasks. Pure and free of imports, so any script can use it.

/** Every ECS ARN: partition (aws, aws-cn, aws-us-gov…), region and 12-digit account, then the resource. */
const ECS_ARN_PREFIX = 'arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:';
const NAME = '[A-Za-z0-9_-]{1,255}';
/** `…:service/<cluster>/<service>`, or the older `…:service/<service>`. */
const SERVICE_ARN = new RegExp(`^${ECS_ARN_PREFIX}service/(?:(${NAME})/)?(${NAME})$`);
const CLUSTER_ARN = new RegExp(`^${ECS_ARN_PREFIX}cluster/${NAME}$`);
// A task definition revision is a positive integer (ECS numbers them from 1), written without leading zeros.
const TASK_DEFINITION_ARN = new RegExp(`^${ECS_ARN_PREFIX}task-definition/(${NAME}):([1-9]\\d*)$`);
const FAMILY_REVISION = new RegExp(`^(${NAME}):([1-9]\\d*)$`);
/** `…:task/<cluster>/<id>`, or the older `…:task/<id>`. */
const TASK_ARN = new RegExp(`^${ECS_ARN_PREFIX}task/(?:${NAME}/)?([A-Za-z0-9-]{1,255})$`);

/** A service ARN of either form. */
export function isServiceArn(value: string): boolean {
  return SERVICE_ARN.test(value);
}

/** A cluster ARN (`arn:aws:ecs:<region>:<account>:cluster/<name>`). */
export function isClusterArn(value: string): boolean {
  return CLUSTER_ARN.test(value);
}

/** A task definition revision ARN (`arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`). */
export function isTaskDefinitionArn(value: string): boolean {
  return TASK_DEFINITION_ARN.test(value);
}

/** `family:revision`, e.g. `web:7`. */
export function isFamilyRevision(value: string): boolean {
  return FAMILY_REVISION.test(value);
}

/** `arn:…:task-definition/web:7` → `web`; also reads `web:7`. */
export function taskDefinitionFamily(reference: string): string | undefined {
  return (TASK_DEFINITION_ARN.exec(reference) ?? FAMILY_REVISION.exec(reference))?.[1];
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
