import type { ContainerDefinition, PortMapping } from '@aws-sdk/client-ecs';
import { hiddenValue, shownEnvValue } from '@shipyard/platform/redact';

// What changes between two task definitions, in the terms people review a deploy in: images, environment (names,
// and values as fingerprints unless a team opts in), secrets (names and where they come from: a reference is not
// the secret), cpu/memory, ports, command (a fingerprint: arguments can hold secrets). Type-only SDK import, so
// this module costs nothing at start-up.

/** The part of a task definition (described or about to be registered) the diff reads. */
export interface DiffableTaskDefinition {
  cpu?: string;
  memory?: string;
  containerDefinitions?: ContainerDefinition[];
}

export interface TaskDefinitionChange {
  /** `task` or `container "web"`. */
  scope: string;
  /** e.g. `image`, `env LOG_LEVEL`, `secret DB_URL`, `cpu`, `ports`, `command`, `container`. */
  what: string;
  before?: string;
  after?: string;
}

export interface DiffOptions {
  /** Print environment values (credential shapes still redacted) instead of fingerprints: a team's opt-in. */
  showEnvValues?: boolean;
}

const COMPARED_FIELDS = new Set([
  'name',
  'image',
  'environment',
  'secrets',
  'cpu',
  'memory',
  'memoryReservation',
  'portMappings',
  'command',
]);

export function diffTaskDefinitions(
  before: DiffableTaskDefinition | undefined,
  after: DiffableTaskDefinition,
  options: DiffOptions = {},
): TaskDefinitionChange[] {
  const changes: TaskDefinitionChange[] = [];
  const change = (scope: string, what: string, from?: string, to?: string) => {
    if (from !== to) changes.push({ scope, what, before: from, after: to });
  };
  change('task', 'cpu', before?.cpu, after.cpu);
  change('task', 'memory', before?.memory, after.memory);
  const oldContainers = new Map((before?.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  const newContainers = new Map((after.containerDefinitions ?? []).map((c) => [c.name ?? '', c]));
  for (const [name, container] of newContainers) {
    const scope = `container "${name}"`;
    const old = oldContainers.get(name);
    if (!old) {
      if (before) changes.push({ scope, what: 'container', after: `added (${container.image ?? 'no image'})` });
      else change(scope, 'image', undefined, container.image);
      continue;
    }
    change(scope, 'image', old.image, container.image);
    change(scope, 'cpu', numberText(old.cpu), numberText(container.cpu));
    change(scope, 'memory', numberText(old.memory), numberText(container.memory));
    change(scope, 'memoryReservation', numberText(old.memoryReservation), numberText(container.memoryReservation));
    change(scope, 'ports', portsText(old.portMappings), portsText(container.portMappings));
    change(scope, 'command', commandText(old.command), commandText(container.command));
    changes.push(
      ...environmentChanges(scope, old, container, options.showEnvValues ?? false),
      ...secretChanges(scope, old, container),
    );
    const others = otherChangedFields(old, container);
    if (others.length) changes.push({ scope, what: 'other settings', after: `${others.join(', ')} changed` });
  }
  for (const [name] of oldContainers) {
    if (!newContainers.has(name))
      changes.push({ scope: `container "${name}"`, what: 'container', before: 'present', after: 'removed' });
  }
  return changes;
}

function environmentChanges(
  scope: string,
  old: ContainerDefinition,
  now: ContainerDefinition,
  showValues: boolean,
): TaskDefinitionChange[] {
  const before = new Map((old.environment ?? []).map((v) => [v.name ?? '', v.value ?? '']));
  const after = new Map((now.environment ?? []).map((v) => [v.name ?? '', v.value ?? '']));
  const changes: TaskDefinitionChange[] = [];
  for (const name of sortedUnion(before, after)) {
    const [from, to] = [before.get(name), after.get(name)];
    if (from === to) continue;
    const shown = (value: string | undefined) =>
      value === undefined ? undefined : shownEnvValue(name, value, showValues);
    const what = `env ${name}`;
    if (from === undefined) changes.push({ scope, what, after: `added = ${shown(to)}` });
    else if (to === undefined) changes.push({ scope, what, before: shown(from), after: 'removed' });
    else changes.push({ scope, what, before: shown(from), after: shown(to) });
  }
  return changes;
}

/** Where a secret comes from (a Secrets Manager or SSM reference) is shown: it is not the secret. */
function secretChanges(scope: string, old: ContainerDefinition, now: ContainerDefinition): TaskDefinitionChange[] {
  const before = new Map((old.secrets ?? []).map((s) => [s.name ?? '', s.valueFrom ?? '']));
  const after = new Map((now.secrets ?? []).map((s) => [s.name ?? '', s.valueFrom ?? '']));
  const changes: TaskDefinitionChange[] = [];
  for (const name of sortedUnion(before, after)) {
    const [from, to] = [before.get(name), after.get(name)];
    if (from === to) continue;
    const what = `secret ${name}`;
    if (from === undefined) changes.push({ scope, what, after: `added from ${to}` });
    else if (to === undefined) changes.push({ scope, what, before: from, after: 'removed' });
    else changes.push({ scope, what, before: from, after: to });
  }
  return changes;
}

function otherChangedFields(old: ContainerDefinition, now: ContainerDefinition): string[] {
  const keys = new Set([...Object.keys(old), ...Object.keys(now)]);
  return [...keys]
    .filter((key) => !COMPARED_FIELDS.has(key))
    .filter((key) => stable(old[key as keyof ContainerDefinition]) !== stable(now[key as keyof ContainerDefinition]))
    .sort();
}

function stable(value: unknown): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return '';
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${k}:${stable(v)}`).join(',')}}`;
}

function sortedUnion(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort();
}

function numberText(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

function portsText(mappings: PortMapping[] | undefined): string | undefined {
  if (!mappings?.length) return undefined;
  return mappings
    .map(
      (m) =>
        `${m.hostPort !== undefined && m.hostPort !== m.containerPort ? `${m.hostPort}:` : ''}${m.containerPort}/${m.protocol ?? 'tcp'}`,
    )
    .join(', ');
}

function commandText(command: string[] | undefined): string | undefined {
  return command?.length ? hiddenValue(JSON.stringify(command), 'command') : undefined;
}

/** One log line per change: `container "web": image repo:v1 → repo:v2`. */
export function formatChangeLines(changes: TaskDefinitionChange[]): string[] {
  if (changes.length === 0) return ['no changes to images, environment, secrets, cpu/memory, ports or command'];
  return changes.map(({ scope, what, before, after }) => {
    const transition = before === undefined ? (after ?? '') : `${before} → ${after ?? '(none)'}`;
    return `${scope}: ${what}: ${transition}`;
  });
}

/** The same changes as a markdown table (for the job summary). */
export function changesTable(changes: TaskDefinitionChange[]): { header: string[]; rows: string[][] } {
  return {
    header: ['Where', 'What', 'Before', 'After'],
    rows: changes.map(({ scope, what, before, after }) => [scope, what, code(before), code(after)]),
  };
}

function code(text: string | undefined): string {
  if (text === undefined) return '–';
  return `\`${text.replace(/`/g, "'")}\``;
}
