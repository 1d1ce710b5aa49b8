import type {
  ContainerDefinition,
  KeyValuePair,
  RegisterTaskDefinitionRequest,
  Secret,
  Tag,
} from '@aws-sdk/client-ecs';
import type { ContainerOverride } from './parse';

/** What render needs from the inputs: the changes to apply to a task definition. */
export interface RenderChanges {
  container?: string;
  images: Record<string, string>;
  env: ContainerOverride[];
  secrets: ContainerOverride[];
  cpu?: string;
  memory?: string;
  command?: string[];
  tags: Record<string, string>;
}

/**
 * Fields DescribeTaskDefinition returns (and the console shows) that RegisterTaskDefinition rejects: a file saved
 * from either is accepted and they are dropped.
 */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

/** Drops read-only fields and nulls (saved files often hold `"field": null`, which RegisterTaskDefinition refuses). */
export function toRegisterRequest(taskDefinition: object): RegisterTaskDefinitionRequest {
  const copy = withoutNulls(structuredClone(taskDefinition)) as Record<string, unknown>;
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return copy as unknown as RegisterTaskDefinitionRequest;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(withoutNulls);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => [key, withoutNulls(item)]),
  );
}

/**
 * The container that unprefixed env/secrets and `command` apply to: the `container` input, else the only container.
 * Undefined when the task definition has several containers and none was named (validate reports it when needed).
 */
export function defaultContainer(request: RegisterTaskDefinitionRequest, named?: string): string | undefined {
  if (named) return named;
  const containers = request.containerDefinitions ?? [];
  return containers.length === 1 ? containers[0].name : undefined;
}

/**
 * Applies images, env, secrets, cpu/memory, command and tags to a task definition (already a register request,
 * see toRegisterRequest). Pure: returns a new request. Containers are assumed to exist (validate checks first).
 */
export function render(base: RegisterTaskDefinitionRequest, changes: RenderChanges): RegisterTaskDefinitionRequest {
  const request = structuredClone(base);
  const fallback = defaultContainer(request, changes.container);
  const containers = request.containerDefinitions ?? [];
  const byName = (name: string | undefined): ContainerDefinition | undefined =>
    containers.find((container) => container.name === name);

  for (const [name, image] of Object.entries(changes.images)) {
    const container = byName(name);
    if (container) container.image = image;
  }
  for (const override of changes.env) {
    const container = byName(override.container ?? fallback);
    if (container)
      container.environment = upsert(container.environment, { name: override.name, value: override.value });
  }
  for (const override of changes.secrets) {
    const container = byName(override.container ?? fallback);
    if (container) container.secrets = upsert(container.secrets, { name: override.name, valueFrom: override.value });
  }
  if (changes.command) {
    const container = byName(fallback);
    if (container) container.command = [...changes.command];
  }
  if (changes.cpu !== undefined) request.cpu = changes.cpu;
  if (changes.memory !== undefined) request.memory = changes.memory;
  request.tags = mergeTagList(request.tags, changes.tags);
  if (request.tags.length === 0) delete request.tags;
  return request;
}

function upsert<T extends KeyValuePair | Secret>(list: T[] | undefined, item: T): T[] {
  const result = [...(list ?? [])];
  const index = result.findIndex((existing) => existing.name === item.name);
  if (index >= 0) result[index] = item;
  else result.push(item);
  return result;
}

/** Existing tags (from the file or the current revision) with `tags` on top, in a stable order. */
export function mergeTagList(existing: Tag[] | undefined, tags: Record<string, string>): Tag[] {
  const merged = new Map<string, string>();
  for (const tag of existing ?? []) if (tag.key !== undefined) merged.set(tag.key, tag.value ?? '');
  for (const [key, value] of Object.entries(tags)) merged.set(key, value);
  return [...merged].map(([key, value]) => ({ key, value }));
}
