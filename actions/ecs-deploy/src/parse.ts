import { ECS_NAME, isFamilyRevision, isTaskDefinitionArn } from '@shipyard/ecs/names';
import { ConfigError } from '@shipyard/platform/errors';
import { IMAGE_REFERENCE_FORM, parseImageReference } from '@shipyard/platform/image-reference';
import { quote } from '@shipyard/platform/inputs';
import { ProvenanceTag } from './constants';
import type { DocumentText } from './problems';

// Pure parsers for the inputs that are particular to ecs-deploy. Each error names the input, quotes what it got and
// says what it accepts.

/** deploy: the whole run; register: register the revision(s) only (e.g. for a migration first); plan: render,
 * validate and diff against what runs, changing nothing. */
export type Mode = 'deploy' | 'register' | 'plan';
export const MODES: readonly Mode[] = ['deploy', 'register', 'plan'];

export type Strategy = 'auto' | 'rolling' | 'blue-green' | 'linear' | 'canary';
export const STRATEGIES: readonly Strategy[] = ['auto', 'rolling', 'blue-green', 'linear', 'canary'];

/** Where the task definition to deploy comes from. */
export type TaskDefinitionSource =
  | { kind: 'current' }
  /** An existing revision, deployed as is (promotion between environments): an ARN or `family:revision`. */
  | { kind: 'existing'; reference: string }
  /** A task definition document, from a file (JSON or YAML) or inline, with its text to point at lines in. */
  | { kind: 'document'; document: Record<string, unknown>; origin: string; text?: DocumentText };

/** An environment variable or secret for one container; `container` undefined means the default container. */
export interface ContainerOverride {
  container?: string;
  name: string;
  value: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** ECS: up to 255 characters for an image. */
const IMAGE_LIMIT = 255;
const VCPU = /^(\d*\.?\d+)\s*vcpu$/i;
const GIGABYTES = /^(\d*\.?\d+)\s*gb$/i;

/**
 * `current` (the service's own task definition), an existing revision (ARN or `family:revision`), or undefined:
 * the value is a file path or an inline document, read by readStructured.
 */
export function parseTaskDefinitionReference(
  raw: string,
): { kind: 'current' } | { kind: 'existing'; reference: string } | undefined {
  const value = raw.trim();
  if (value === '' || value === 'current') return { kind: 'current' };
  if (isTaskDefinitionArn(value) || isFamilyRevision(value)) return { kind: 'existing', reference: value };
  if (value.startsWith('arn:')) {
    throw new ConfigError(
      `Input "task-definition" looks like an ARN but not a task definition revision ARN ` +
        `(arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>), got ${quote(value)}.`,
    );
  }
  return undefined;
}

/**
 * The task definition held by a file or inline input, and its path in the value. The output of
 * `aws ecs describe-task-definition` (`{"taskDefinition": {…}, "tags": […]}`) is accepted as is.
 */
export function taskDefinitionDocument(
  name: string,
  value: unknown,
  origin: string,
): { document: Record<string, unknown>; prefix: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`Input "${name}" (${origin}) must hold one task definition object, got a list.`);
  }
  const record = value as Record<string, unknown>;
  const wrapped = record.taskDefinition;
  if (typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped) && !('family' in record)) {
    return { document: wrapped as Record<string, unknown>, prefix: ['taskDefinition'] };
  }
  return { document: record, prefix: [] };
}

/** `container=image` lines (already split by readMap): container names and image references checked. */
export function parseImages(name: string, map: Record<string, string>): Record<string, string> {
  for (const [container, image] of Object.entries(map)) {
    checkContainerName(name, container);
    if (image === '') throw new ConfigError(`Input "${name}" gives container ${quote(container)} an empty image.`);
    const problem = imageProblem(image);
    if (problem) {
      throw new ConfigError(
        `Input "${name}" gives container ${quote(container)} the image ${quote(image)}: ${problem}; ` +
          `accepted: ${IMAGE_REFERENCE_FORM}, at most ${IMAGE_LIMIT} characters.`,
      );
    }
  }
  return map;
}

/** What is wrong with an image an ECS container would pull, or undefined. */
export function imageProblem(image: string): string | undefined {
  if (image.length > IMAGE_LIMIT) return `it is longer than ${IMAGE_LIMIT} characters`;
  const reference = parseImageReference(image);
  return typeof reference === 'string' ? reference : undefined;
}

/** `KEY=value` or `container.KEY=value` lines (already split by readMap) for env or secrets. */
export function parseContainerOverrides(name: string, map: Record<string, string>): ContainerOverride[] {
  return Object.entries(map).map(([key, value]) => {
    const dot = key.indexOf('.');
    const container = dot === -1 ? undefined : key.slice(0, dot);
    const variable = dot === -1 ? key : key.slice(dot + 1);
    if (container !== undefined) checkContainerName(name, container);
    if (!VARIABLE_NAME.test(variable)) {
      throw new ConfigError(
        `Input "${name}" has the key ${quote(key)}: write KEY=value or container.KEY=value, where KEY starts ` +
          'with a letter or _ and holds only letters, digits and _.',
      );
    }
    return { container, name: variable, value };
  });
}

function checkContainerName(input: string, container: string): void {
  if (!ECS_NAME.test(container)) {
    throw new ConfigError(
      `Input "${input}" names the container ${quote(container)}: container names have up to 255 letters, ` +
        'digits, _ and -.',
    );
  }
}

/** A JSON array of strings such as `["npm","start"]`. Empty → undefined. */
export function parseCommand(name: string, raw: string): string[] | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((item) => typeof item === 'string')) {
    throw new ConfigError(
      `Input "${name}" must be a non-empty JSON array of strings such as ["npm","start"], got ${quote(raw)}.`,
    );
  }
  return parsed;
}

/** Task CPU as ECS stores it (CPU units): `512`, or `0.5 vCPU` → "512". Empty → undefined. */
export function parseCpu(name: string, raw: string): string | undefined {
  return parseUnits(name, raw, cpuUnits, 'CPU units such as 512, or vCPUs such as "0.5 vCPU"');
}

/** Task memory as ECS stores it (MiB): `2048`, or `2 GB` → "2048". Empty → undefined. */
export function parseMemory(name: string, raw: string): string | undefined {
  return parseUnits(name, raw, memoryMiB, 'MiB such as 2048, or GB such as "2 GB"');
}

/** CPU units of `512`, `"512"` or `"0.5 vCPU"` (how task definitions may write it); undefined if it is none. */
export function cpuUnits(value: unknown): number | undefined {
  return units(value, VCPU);
}

/** MiB of `2048`, `"2048"` or `"2 GB"`; undefined if it is none. */
export function memoryMiB(value: unknown): number | undefined {
  return units(value, GIGABYTES);
}

function units(value: unknown, scaled: RegExp): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = scaled.exec(text);
  const result = /^\d+$/.test(text) ? Number(text) : match ? Number(match[1]) * 1024 : undefined;
  return result !== undefined && Number.isInteger(result) && result > 0 ? result : undefined;
}

function parseUnits(
  name: string,
  raw: string,
  convert: (value: string) => number | undefined,
  accepted: string,
): string | undefined {
  if (raw.trim() === '') return undefined;
  const result = convert(raw);
  if (result === undefined) throw new ConfigError(`Input "${name}" must be ${accepted}, got ${quote(raw)}.`);
  return String(result);
}

export function parseMode(name: string, raw: string): Mode {
  const value = raw.trim().toLowerCase() || 'deploy';
  if (!(MODES as readonly string[]).includes(value)) {
    throw new ConfigError(`Input "${name}" must be one of ${MODES.join(', ')}, got ${quote(raw)}.`);
  }
  return value as Mode;
}

export function parseStrategy(name: string, raw: string): Strategy {
  const value = raw.trim().toLowerCase() || 'auto';
  if (!(STRATEGIES as readonly string[]).includes(value)) {
    throw new ConfigError(`Input "${name}" must be one of ${STRATEGIES.join(', ')}, got ${quote(raw)}.`);
  }
  return value as Strategy;
}

/** The git provenance tags from the runner's environment, with the user's tags on top. */
export function mergeTags(userTags: Record<string, string>, env: NodeJS.ProcessEnv): Record<string, string> {
  const provenance: Record<string, string> = {};
  if (env.GITHUB_SHA) provenance[ProvenanceTag.GitSha] = env.GITHUB_SHA;
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    provenance[ProvenanceTag.RunUrl] =
      `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  const actor = env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR;
  if (actor) provenance[ProvenanceTag.DeployedBy] = actor;
  return { ...provenance, ...userTags };
}

const TAG_KEY_LIMIT = 128;
const TAG_VALUE_LIMIT = 256;
const TAG_COUNT_LIMIT = 50;

/** ECS tag rules: at most 50, keys ≤ 128 and values ≤ 256 characters, no `aws:` prefix. */
export function checkTags(name: string, tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > TAG_COUNT_LIMIT) {
    throw new ConfigError(`Input "${name}" adds up to ${entries.length} tags; ECS allows ${TAG_COUNT_LIMIT}.`);
  }
  for (const [key, value] of entries) {
    if (key.toLowerCase().startsWith('aws:')) {
      throw new ConfigError(`Input "${name}" uses the reserved tag prefix aws: in ${quote(key)}.`);
    }
    if (key.length > TAG_KEY_LIMIT || value.length > TAG_VALUE_LIMIT) {
      throw new ConfigError(
        `Input "${name}" tag ${quote(key)} is too long: keys hold up to ${TAG_KEY_LIMIT} characters, values ` +
          `up to ${TAG_VALUE_LIMIT}.`,
      );
    }
  }
}
