import * as core from '@shipyard/platform/core';
import {
  isTaskDefinitionReference,
  parseCluster,
  parseEcsName,
  parseSecurityGroupIds,
  parseSubnetIds,
  taskDefinitionFamily,
} from '@shipyard/ecs/names';
import { ConfigError } from '@shipyard/platform/errors';
import {
  parseBoolean,
  quote,
  readDuration,
  readInteger,
  readList,
  readMap,
  readRegion,
  readString,
  WAIT_BOUNDS,
} from '@shipyard/platform/inputs';
import { ECS_ONLY_INPUTS, Input, RUNNER_ONLY_INPUTS } from './constants';
import { assertOverridesFit, containerOverride } from './container-overrides';
import { readSqlInputs, type SqlInputs } from './sql-inputs';
import {
  DB_IDENTIFIER_MAX_LENGTH,
  SNAPSHOT_ID_MAX_LENGTH,
  SnapshotKind,
  generateSnapshotId,
  identifierProblem,
} from './snapshot-id';

export type Mode = 'ecs' | 'runner';
export type ConcurrencyPolicy = 'refuse' | 'wait';
export type LaunchType = (typeof LAUNCH_TYPES)[number];
export type Shell = (typeof SHELLS)[number];

// ECS Managed Instances are reached through a capacity provider strategy only (RunTask API reference).
const LAUNCH_TYPES = ['FARGATE', 'EC2', 'EXTERNAL'] as const;
const SHELLS = ['bash', 'sh'] as const;
const STARTED_BY_MAX_LENGTH = 36;
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_SNAPSHOT_TIMEOUT_MS = 60 * 60_000;

export interface CapacityProviderItem {
  capacityProvider: string;
  weight: number;
  base?: number;
}

export interface NetworkInput {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: 'ENABLED' | 'DISABLED';
}

export interface SnapshotRequest {
  kind: SnapshotKind;
  /** The DB instance or DB cluster identifier. */
  db: string;
  id: string;
  timeoutMs: number;
}

interface CommonInputs {
  region: string;
  environment: Record<string, string>;
  timeoutMs: number;
  logLines: number;
  snapshot?: SnapshotRequest;
}

export interface EcsInputs extends CommonInputs {
  mode: 'ecs';
  cluster: string;
  /** As given: an ARN, `family:revision` or `family` (its latest ACTIVE revision). */
  taskDefinition: string;
  family: string;
  container: string;
  /** Undefined keeps the container's command from the task definition. */
  command?: string[];
  network?: NetworkInput;
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderItem[];
  copyFromService?: string;
  startedBy: string;
  concurrencyPolicy: ConcurrencyPolicy;
}

export interface RunnerInputs extends CommonInputs {
  mode: 'runner';
  /** What is spawned: the user's argv, or the shell's argv around the user's script. */
  argv: string[];
  workingDirectory?: string;
  sql?: undefined;
}

/** Mode runner with `sql-directory`: the action runs the files with psql itself. */
export interface SqlRunnerInputs extends CommonInputs {
  mode: 'runner';
  sql: SqlInputs;
}

export type ActionInputs = EcsInputs | RunnerInputs | SqlRunnerInputs;

/** Why an input of the other mode does not apply, where the bare rule would leave the reader guessing. */
const WRONG_MODE_REASONS: Partial<Record<string, string>> = {
  [Input.SqlDirectory]:
    "in mode ecs the migration runs in the task's image, which would need psql and the SQL files: use mode " +
    'runner (with a database the runner can reach), or a migration tool in the image as `command`',
};

/** What the run knows about itself (GITHUB_SHA, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, GITHUB_REPOSITORY). */
export interface RunContext {
  sha?: string;
  runId?: string;
  runAttempt?: string;
  repository?: string;
}

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  return {
    sha: env.GITHUB_SHA,
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    repository: env.GITHUB_REPOSITORY,
  };
}

export function parseMode(raw: string): Mode {
  return parseChoice(Input.Mode, raw, ['ecs', 'runner'], 'ecs');
}

export function parseConcurrencyPolicy(raw: string): ConcurrencyPolicy {
  return parseChoice(Input.ConcurrencyPolicy, raw, ['refuse', 'wait'], 'refuse');
}

export function parseLaunchType(raw: string): LaunchType | undefined {
  return raw.trim() === '' ? undefined : parseChoice(Input.LaunchType, raw, LAUNCH_TYPES);
}

export function parseShell(raw: string): Shell | undefined {
  return raw.trim() === '' ? undefined : parseChoice(Input.Shell, raw, SHELLS);
}

function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[], fallback?: T): T {
  const value = raw.trim();
  if (value === '' && fallback) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`Input "${name}" must be one of ${choices.join(', ')}, got ${quote(raw)}.`);
}

/** A JSON array of strings, e.g. `["npm","run","db:push"]`: the argv, never split by a shell. */
export function parseCommand(name: string, raw: string): string[] {
  const example = 'such as ["npm","run","db:push"]';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value)) {
    throw new ConfigError(`Input "${name}" must be a JSON array of strings ${example}, got ${quote(raw)}.`);
  }
  if (value.length === 0) throw new ConfigError(`Input "${name}" must name a program to run, got an empty array.`);
  value.forEach((item, index) => {
    if (typeof item !== 'string') {
      throw new ConfigError(
        `Input "${name}" must be a JSON array of strings ${example}; item ${index + 1} is ${quote(JSON.stringify(item))}.`,
      );
    }
  });
  if (value[0] === '') throw new ConfigError(`Input "${name}" must name a program to run; its first item is empty.`);
  return value as string[];
}

/** The argv that runs `script` with `shell`, stopping at the first failing command as GitHub's own steps do. */
export function shellArgv(shell: Shell, script: string): string[] {
  return shell === 'bash'
    ? ['bash', '--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script]
    : ['sh', '-e', '-c', script];
}

/** `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`, `<family>:<revision>` or `<family>`. */
export function parseTaskDefinition(name: string, raw: string): { taskDefinition: string; family: string } {
  const value = raw.trim();
  if (!isTaskDefinitionReference(value)) {
    throw new ConfigError(
      `Input "${name}" must be a task definition ARN, family:revision or family ` +
        `(letters, digits, hyphens and underscores; revisions from 1), got ${quote(raw)}.`,
    );
  }
  return { taskDefinition: value, family: taskDefinitionFamily(value) ?? value };
}

/** ECS allows up to 36 letters, digits, hyphens, underscores and slashes in `startedBy`. */
export function parseStartedBy(name: string, raw: string): string {
  const value = raw.trim();
  if (value.length === 0 || value.length > STARTED_BY_MAX_LENGTH || !/^[A-Za-z0-9_/-]+$/.test(value)) {
    throw new ConfigError(
      `Input "${name}" must be 1 to ${STARTED_BY_MAX_LENGTH} letters, digits, hyphens, underscores or slashes ` +
        `(the ECS startedBy rules), got ${quote(raw)}.`,
    );
  }
  return value;
}

/** The group a migration belongs to when none is given: one per task definition family. */
export function defaultStartedBy(family: string): string {
  return `migrate-${family}`.slice(0, STARTED_BY_MAX_LENGTH).replace(/[-_/]+$/, '');
}

/** Items `provider:weight[:base]`, e.g. `FARGATE:1:1, FARGATE_SPOT:4`. */
export function parseCapacityProviderStrategy(name: string, items: string[]): CapacityProviderItem[] | undefined {
  if (items.length === 0) return undefined;
  const strategy = items.map((item) => {
    const match = /^([A-Za-z0-9_-]{1,255}):(\d{1,4})(?::(\d{1,6}))?$/.exec(item);
    const weight = Number(match?.[2]);
    const base = match?.[3] === undefined ? undefined : Number(match[3]);
    if (!match || weight > 1000 || (base !== undefined && base > 100_000)) {
      throw new ConfigError(
        `Input "${name}" items must be provider:weight or provider:weight:base (weight 0–1000, base 0–100000), ` +
          `e.g. FARGATE:1:1, FARGATE_SPOT:4; got ${quote(item)}.`,
      );
    }
    return base === undefined ? { capacityProvider: match[1], weight } : { capacityProvider: match[1], weight, base };
  });
  if (strategy.filter((item) => (item.base ?? 0) > 0).length > 1) {
    throw new ConfigError(`Input "${name}" may give a base to one capacity provider only.`);
  }
  return strategy;
}

export function parseDbIdentifier(name: string, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const problem = identifierProblem(value, DB_IDENTIFIER_MAX_LENGTH);
  if (problem) throw new ConfigError(`Input "${name}" is not a valid RDS identifier: ${problem}; got ${quote(raw)}.`);
  return value;
}

export function parseSnapshotId(name: string, raw: string, kind: SnapshotKind): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  const problem = identifierProblem(value, SNAPSHOT_ID_MAX_LENGTH[kind]);
  if (problem) {
    const what = kind === 'cluster' ? 'DB cluster snapshot identifier' : 'DB snapshot identifier';
    throw new ConfigError(`Input "${name}" is not a valid ${what}: ${problem}; got ${quote(raw)}.`);
  }
  return value;
}

/** Reads and checks every input once, before any AWS call; cross-input mistakes name both inputs. */
export function readInputs(context: RunContext = runContext()): ActionInputs {
  const mode = parseMode(core.getInput(Input.Mode));
  const [wrongInputs, otherMode] = mode === 'ecs' ? [RUNNER_ONLY_INPUTS, 'runner'] : [ECS_ONLY_INPUTS, 'ecs'];
  for (const name of wrongInputs) {
    if (isSet(name)) {
      const reason = WRONG_MODE_REASONS[name] ?? 'remove it';
      throw new ConfigError(`Input "${name}" only applies to mode ${otherMode}, but mode is ${mode}: ${reason}.`);
    }
  }
  const common: CommonInputs = {
    region: readRegion(Input.Region),
    environment: readMap(Input.EnvironmentVariables),
    timeoutMs: readDuration(Input.Timeout, DEFAULT_TIMEOUT_MS, WAIT_BOUNDS),
    logLines: readInteger(Input.LogLines, { min: 1, max: 500, default: 30 }),
    snapshot: readSnapshot(context),
  };
  return mode === 'ecs' ? readEcsInputs(common) : readRunnerInputs(common);
}

function readEcsInputs(common: CommonInputs): EcsInputs {
  const cluster = parseCluster(Input.Cluster, readString(Input.Cluster, { required: true }));
  const { taskDefinition, family } = parseTaskDefinition(
    Input.TaskDefinition,
    readString(Input.TaskDefinition, { required: true }),
  );
  const container = parseEcsName(Input.Container, readString(Input.Container, { required: true }), 'container');
  const rawCommand = readString(Input.Command);
  const command = rawCommand ? parseCommand(Input.Command, rawCommand) : undefined;
  const launchType = parseLaunchType(core.getInput(Input.LaunchType));
  const capacityProviderStrategy = parseCapacityProviderStrategy(
    Input.CapacityProviderStrategy,
    readList(Input.CapacityProviderStrategy),
  );
  if (launchType && capacityProviderStrategy) {
    throw new ConfigError(
      `Inputs "${Input.LaunchType}" and "${Input.CapacityProviderStrategy}" cannot both be set: ECS takes one or the other.`,
    );
  }
  const startedByRaw = readString(Input.StartedBy);
  const inputs: EcsInputs = {
    ...common,
    mode: 'ecs',
    cluster,
    taskDefinition,
    family,
    container,
    command,
    network: readNetwork(),
    launchType,
    capacityProviderStrategy,
    copyFromService: readCopyFromService(),
    startedBy: startedByRaw ? parseStartedBy(Input.StartedBy, startedByRaw) : defaultStartedBy(family),
    concurrencyPolicy: parseConcurrencyPolicy(core.getInput(Input.ConcurrencyPolicy)),
  };
  assertOverridesFit(containerOverride(container, command, common.environment));
  return inputs;
}

function readNetwork(): NetworkInput | undefined {
  const subnets = parseSubnetIds(Input.Subnets, readList(Input.Subnets));
  const securityGroups = parseSecurityGroupIds(Input.SecurityGroups, readList(Input.SecurityGroups));
  const assignPublicIp = parseBoolean(Input.AssignPublicIp, core.getInput(Input.AssignPublicIp), false);
  if (subnets.length === 0) {
    for (const name of [Input.SecurityGroups, Input.AssignPublicIp]) {
      if (isSet(name)) {
        throw new ConfigError(
          `Input "${name}" needs "${Input.Subnets}": give the subnets too, or remove it and use ` +
            `"${Input.CopyFromService}" to copy the whole network configuration from a service.`,
        );
      }
    }
    return undefined;
  }
  return { subnets, securityGroups, assignPublicIp: assignPublicIp ? 'ENABLED' : 'DISABLED' };
}

function readCopyFromService(): string | undefined {
  const service = readString(Input.CopyFromService);
  return service ? parseEcsName(Input.CopyFromService, service, 'service') : undefined;
}

function readRunnerInputs(common: CommonInputs): RunnerInputs | SqlRunnerInputs {
  for (const name of [Input.Command, Input.Shell, Input.WorkingDirectory]) {
    if (isSet(Input.SqlDirectory) && isSet(name)) {
      throw new ConfigError(
        `Inputs "${name}" and "${Input.SqlDirectory}" cannot both be set: with "${Input.SqlDirectory}" the ` +
          'action runs the files with psql itself (the folder is relative to the checkout).',
      );
    }
  }
  const sql = readSqlInputs();
  if (sql) return { ...common, mode: 'runner', sql };
  const shell = parseShell(core.getInput(Input.Shell));
  const commandText = shell
    ? core.getInput(Input.Command, { required: false, trimWhitespace: false }).trim()
    : readString(Input.Command);
  if (!commandText) {
    throw new ConfigError(
      `Input "${Input.Command}" is required in mode runner (unless "${Input.SqlDirectory}" is set) but was empty ` +
        'or not set.',
    );
  }
  const argv = shell ? shellArgv(shell, commandText) : parseCommand(Input.Command, commandText);
  return {
    ...common,
    mode: 'runner',
    argv,
    workingDirectory: readString(Input.WorkingDirectory) || undefined,
  };
}

function readSnapshot(context: RunContext): SnapshotRequest | undefined {
  const instance = parseDbIdentifier(Input.SnapshotDbInstance, core.getInput(Input.SnapshotDbInstance));
  const cluster = parseDbIdentifier(Input.SnapshotDbCluster, core.getInput(Input.SnapshotDbCluster));
  if (instance && cluster) {
    throw new ConfigError(
      `Inputs "${Input.SnapshotDbInstance}" and "${Input.SnapshotDbCluster}" cannot both be set: ` +
        'snapshot the DB instance, or the Aurora / Multi-AZ DB cluster it belongs to.',
    );
  }
  if (!instance && !cluster) {
    for (const name of [Input.SnapshotId, Input.SnapshotTimeout]) {
      if (isSet(name)) {
        throw new ConfigError(
          `Input "${name}" needs "${Input.SnapshotDbInstance}" or "${Input.SnapshotDbCluster}" to say what to snapshot.`,
        );
      }
    }
    return undefined;
  }
  const kind: SnapshotKind = instance ? 'instance' : 'cluster';
  const db = (instance ?? cluster) as string;
  const id = parseSnapshotId(Input.SnapshotId, core.getInput(Input.SnapshotId), kind);
  return {
    kind,
    db,
    id: id ?? generateSnapshotId(db, kind, context),
    timeoutMs: readDuration(Input.SnapshotTimeout, DEFAULT_SNAPSHOT_TIMEOUT_MS, WAIT_BOUNDS),
  };
}

function isSet(name: string): boolean {
  return core.getInput(name).trim() !== '';
}
