import type {
  ContainerDefinition,
  KeyValuePair,
  PortMapping,
  RegisterTaskDefinitionRequest,
  Tag,
} from '@aws-sdk/client-ecs';
import { diffTaskDefinitions, type DiffOptions, type TaskDefinitionChange } from '@shipyard/ecs/diff';
import { cpuUnits, memoryMiB } from './parse';
import { toRegisterRequest } from './render';

// The one comparison of task definitions, used by plan, register and deploy alike: a file, a rendered request and a
// registered revision are compared as ECS holds them, with the defaults ECS fills in on registration made explicit.
// Whatever compares equal here registers no new revision, and every difference shown is one ECS would keep.

type Normal = Omit<RegisterTaskDefinitionRequest, 'tags'>;

/** Network modes in which ECS sets each port mapping's host port to its container port. */
const PINNED_PORT_MODES = new Set(['awsvpc', 'host']);

/**
 * The task definition as ECS holds it once registered, tags left out: read-only fields and nulls dropped,
 * networkMode bridge, task cpu/memory in units ("1 vCPU" → "1024"), each container's cpu 0 and essential true,
 * port mappings tcp with the host port pinned under awsvpc/host (0 under bridge means dynamic, like none),
 * containers, environment and secrets by name (their order changes nothing), and empty lists and maps as absent.
 */
export function normalizeTaskDefinition(taskDefinition: object): Normal {
  const { tags: _tags, ...request } = toRegisterRequest(taskDefinition);
  const networkMode = request.networkMode ?? 'bridge';
  const units = (value: string | undefined, read: (v: unknown) => number | undefined) =>
    value === undefined ? undefined : String(read(value) ?? value);
  return withoutEmpty({
    ...request,
    networkMode,
    cpu: units(request.cpu, cpuUnits),
    memory: units(request.memory, memoryMiB),
    // By name: the order of containers changes nothing about how the task runs.
    containerDefinitions: byName(request.containerDefinitions)?.map((c) => normalContainer(c, networkMode)),
  }) as Normal;
}

function normalContainer(container: ContainerDefinition, networkMode: string): ContainerDefinition {
  return {
    cpu: 0,
    essential: true,
    ...container,
    portMappings: container.portMappings?.map((mapping) => normalPort(mapping, networkMode)),
    environment: byName(container.environment),
    secrets: byName(container.secrets),
  };
}

function normalPort(mapping: PortMapping, networkMode: string): PortMapping {
  const { hostPort, ...rest } = mapping;
  const pinned = PINNED_PORT_MODES.has(networkMode) ? mapping.containerPort : undefined;
  const host = hostPort === undefined || (hostPort === 0 && pinned === undefined) ? pinned : hostPort;
  return { protocol: 'tcp', ...rest, ...(host === undefined ? {} : { hostPort: host }) };
}

function byName<T extends KeyValuePair | { name?: string }>(list: T[] | undefined): T[] | undefined {
  return list && [...list].sort((a, b) => compare(a.name ?? '', b.name ?? ''));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `[]`, `{}` and undefined mean the same to ECS (DescribeTaskDefinition fills some in); they are dropped. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const entries = Object.entries(value)
    .map(([key, item]) => [key, withoutEmpty(item)] as const)
    .filter(([, item]) => item !== undefined && !isEmpty(item));
  return Object.fromEntries(entries);
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && !(value instanceof Date) && Object.keys(value).length === 0;
}

/** A stable text of the normalised task definition: equal texts register the same revision (tags aside). */
export function contentKey(taskDefinition: object): string {
  return canonicalJson(normalizeTaskDefinition(taskDefinition));
}

/** A stable text of a tag list (order does not matter to ECS), to compare a revision's tags with a request's. */
export function tagsKey(tags: Tag[] | undefined): string {
  return canonicalJson(Object.fromEntries((tags ?? []).map((tag) => [tag.key ?? '', tag.value ?? ''])));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const entries = Object.entries(value).sort(([a], [b]) => compare(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Task-level fields the shared diff shows on lines of their own. */
const DIFFED_TASK_FIELDS = new Set(['cpu', 'memory', 'containerDefinitions']);

/**
 * Every difference between two task definitions, compared normalised: the shared diff's lines (images,
 * environment, secrets, sizes, ports, command, other container settings) and the other task settings that differ.
 * Empty exactly when their contentKeys are equal.
 */
export function taskDefinitionChanges(
  before: object | undefined,
  after: object,
  options: DiffOptions = {},
): TaskDefinitionChange[] {
  const from = before && normalizeTaskDefinition(before);
  const to = normalizeTaskDefinition(after);
  const changes = diffTaskDefinitions(from, to, options);
  if (!from) return changes;
  const fields = new Set([...Object.keys(from), ...Object.keys(to)].filter((key) => !DIFFED_TASK_FIELDS.has(key)));
  const differing = [...fields]
    .filter((key) => canonicalJson(from[key as keyof Normal]) !== canonicalJson(to[key as keyof Normal]))
    .sort();
  if (differing.length)
    changes.push({ scope: 'task', what: 'other settings', after: `${differing.join(', ')} changed` });
  // What the shared diff reads by summary (a port mapping's name, say) still differs: named by its path.
  if (changes.length === 0 && canonicalJson(from) !== canonicalJson(to)) {
    changes.push({ scope: 'task', what: 'other settings', after: `${differingPaths(from, to).join(', ')} changed` });
  }
  return changes;
}

/** The paths (`containerDefinitions[0].portMappings[0].name`) at which two normalised values differ. */
function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  const bothObjects = [a, b].every((v) => typeof v === 'object' && v !== null);
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
    return canonicalJson(a) === canonicalJson(b) ? [] : [path || '(top level)'];
  }
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
  return keys.flatMap((key) =>
    differingPaths(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key,
    ),
  );
}
