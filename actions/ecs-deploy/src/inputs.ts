import * as core from '@shipyard/platform/core';
import { formatDuration } from '@shipyard/platform/duration';
import { parseCluster, parseEcsName, parseServiceList } from '@shipyard/ecs/names';
import { isSensitiveName } from '@shipyard/platform/redact';
import { ConfigError } from '@shipyard/platform/errors';
import { ENVIRONMENT_NAME_MAX_LENGTH } from '@shipyard/platform/github';
import {
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readMap,
  readRegion,
  readString,
  readText,
  readStructuredSource,
  quote,
  WAIT_BOUNDS,
} from '@shipyard/platform/inputs';
import { parseUrls } from '@shipyard/ecs/verify';
import { readVerifyInputs, type VerifyInputs as SharedVerifyInputs } from '@shipyard/ecs/verify-inputs';
import { Input } from './constants';
import { checkDocumentAgainstModel, checkInputsAgainstModel } from './model-check';
import {
  checkTags,
  mergeTags,
  parseCommand,
  parseContainerOverrides,
  parseCpu,
  parseImages,
  parseMemory,
  parseMode,
  parseStrategy,
  parseTaskDefinitionReference,
  taskDefinitionDocument,
  type ContainerOverride,
  type Mode,
  type Strategy,
  type TaskDefinitionSource,
} from './parse';

export interface VerifyInputs extends SharedVerifyInputs {
  /** Test-listener URLs (blue/green): checked while the test listener serves the new revision. */
  testUrls: string[];
}

export interface Inputs {
  mode: Mode;
  cluster: string;
  services: string[];
  taskDefinition: TaskDefinitionSource;
  /** The container that unprefixed env/secrets and command apply to; undefined: the only container. */
  container?: string;
  images: Record<string, string>;
  env: ContainerOverride[];
  secrets: ContainerOverride[];
  cpu?: string;
  memory?: string;
  command?: string[];
  tags: Record<string, string>;
  strategy: Strategy;
  bakeTimeMs?: number;
  timeoutMs: number;
  verify: VerifyInputs;
  addTestPauseHook: boolean;
  autoRollback: boolean;
  rollbackOnCancel: boolean;
  wait: boolean;
  waitForInFlight: boolean;
  desiredCount?: number;
  forceNewDeployment: boolean;
  keepRevisions: number;
  /** Print environment values in the diff instead of fingerprints (credential shapes are still redacted). */
  showEnvValues: boolean;
  github: { token?: string; environment?: string; environmentUrl?: string };
  region?: string;
}

const MINUTE_MS = 60_000;
const MAX_BAKE_MINUTES = 1440;

/** Reads and checks every input once, before any AWS call. Throws ConfigError on the first problem. */
export function readInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const services = parseServiceList(Input.Service, readList(Input.Service));
  const strategy = parseStrategy(Input.Strategy, core.getInput(Input.Strategy));
  const bakeTime = core.getInput(Input.BakeTime).trim();
  const inputs: Inputs = {
    mode: parseMode(Input.Mode, core.getInput(Input.Mode)),
    cluster: parseCluster(Input.Cluster, readString(Input.Cluster, { default: 'default' })),
    services,
    taskDefinition: readTaskDefinitionSource(),
    container: readOptionalContainer(),
    images: parseImages(Input.Images, readMap(Input.Images)),
    env: parseContainerOverrides(Input.Env, readMap(Input.Env)),
    secrets: parseContainerOverrides(Input.Secrets, readMap(Input.Secrets)),
    cpu: parseCpu(Input.Cpu, core.getInput(Input.Cpu)),
    memory: parseMemory(Input.Memory, core.getInput(Input.Memory)),
    command: parseCommand(Input.Command, core.getInput(Input.Command)),
    tags: mergeTags(readMap(Input.Tags), env),
    strategy,
    bakeTimeMs: bakeTime === '' ? undefined : readDuration(Input.BakeTime, 0),
    timeoutMs: readDuration(Input.Timeout, 30 * MINUTE_MS, WAIT_BOUNDS),
    verify: { ...readVerifyInputs(Input), testUrls: parseUrls(Input.VerifyTestUrl, readList(Input.VerifyTestUrl)) },
    addTestPauseHook: readBoolean(Input.AddTestPauseHook, false),
    autoRollback: readBoolean(Input.AutoRollback, true),
    rollbackOnCancel: readBoolean(Input.RollbackOnCancel, true),
    wait: readBoolean(Input.Wait, true),
    waitForInFlight: readBoolean(Input.WaitForInFlight, false),
    desiredCount: core.getInput(Input.DesiredCount).trim() ? readInteger(Input.DesiredCount, { min: 0 }) : undefined,
    forceNewDeployment: readBoolean(Input.ForceNewDeployment, false),
    keepRevisions: readInteger(Input.KeepRevisions, { min: 0, max: 1000, default: 0 }),
    showEnvValues: readBoolean(Input.ShowEnvValues, false),
    github: {
      token: readString(Input.GithubToken) || undefined,
      environment: readText(Input.Environment, ENVIRONMENT_NAME_MAX_LENGTH) || undefined,
      environmentUrl: parseUrls(Input.EnvironmentUrl, readList(Input.EnvironmentUrl))[0],
    },
    region: readRegion(Input.Region) || undefined,
  };
  checkTags(Input.Tags, inputs.tags);
  checkInputsAgainstModel(inputs);
  checkCombinations(inputs, core.getInput(Input.VerifyStatus).trim() !== '');
  if (inputs.github.token) core.setSecret(inputs.github.token);
  for (const variable of inputs.env)
    if (isSensitiveName(variable.name) && variable.value) core.setSecret(variable.value);
  return inputs;
}

function readOptionalContainer(): string | undefined {
  const container = readString(Input.Container);
  return container ? parseEcsName(Input.Container, container, 'container') : undefined;
}

function readTaskDefinitionSource(): TaskDefinitionSource {
  const raw = core.getInput(Input.TaskDefinition);
  const reference = parseTaskDefinitionReference(raw);
  if (reference) return reference;
  const value = raw.trim();
  const inline = value.includes('\n') || value.startsWith('{');
  const origin = inline ? 'inline' : `file ${quote(value)}`;
  const read = readStructuredSource(Input.TaskDefinition);
  const { document, prefix } = taskDefinitionDocument(Input.TaskDefinition, read.value, origin);
  const text = { text: read.text, file: read.file, prefix };
  checkDocumentAgainstModel(document, origin, text);
  return { kind: 'document', document, origin, text };
}

/** Rules that involve several inputs; each message names all of them. */
function checkCombinations(inputs: Inputs, statusGiven: boolean): void {
  const { verify, strategy } = inputs;
  const anyUrl = verify.urls.length > 0 || verify.testUrls.length > 0;
  if (!anyUrl && (verify.expectation.body || statusGiven)) {
    const which = verify.expectation.body ? Input.VerifyBody : Input.VerifyStatus;
    throw new ConfigError(`Input "${which}" is set but neither "${Input.VerifyUrl}" nor "${Input.VerifyTestUrl}" is.`);
  }
  if (verify.testUrls.length > 0 && strategy === 'rolling') {
    throw new ConfigError(
      `Input "${Input.VerifyTestUrl}" needs a test listener, which only blue-green, linear and canary deployments ` +
        `have, but "${Input.Strategy}" is rolling.`,
    );
  }
  if (inputs.addTestPauseHook && verify.testUrls.length === 0) {
    throw new ConfigError(
      `Input "${Input.AddTestPauseHook}" pauses the deployment for the test-URL check, but "${Input.VerifyTestUrl}" is empty.`,
    );
  }
  if (!inputs.wait && anyUrl) {
    throw new ConfigError(`Inputs "${Input.VerifyUrl}"/"${Input.VerifyTestUrl}" need "${Input.Wait}: true".`);
  }
  if (inputs.bakeTimeMs !== undefined && strategy !== 'rolling' && strategy !== 'auto') {
    checkBakeMinutes(inputs.bakeTimeMs);
  }
  if (inputs.github.environmentUrl && !inputs.github.environment) {
    throw new ConfigError(`Input "${Input.EnvironmentUrl}" is set but "${Input.Environment}" is not.`);
  }
  if (inputs.taskDefinition.kind === 'existing') {
    const overrides = [
      [Input.Images, Object.keys(inputs.images).length > 0],
      [Input.Env, inputs.env.length > 0],
      [Input.Secrets, inputs.secrets.length > 0],
      [Input.Cpu, inputs.cpu !== undefined],
      [Input.Memory, inputs.memory !== undefined],
      [Input.Command, inputs.command !== undefined],
    ] as const;
    const given = overrides.filter(([, set]) => set).map(([name]) => `"${name}"`);
    if (given.length > 0) {
      throw new ConfigError(
        `Input "${Input.TaskDefinition}" names an existing revision, deployed as is, so ${given.join(', ')} ` +
          'cannot change it; use a task definition file or "current" to render a new revision.',
      );
    }
  }
}

/** ECS counts blue/green, linear and canary bake time in whole minutes (0 to 1440). */
export function checkBakeMinutes(bakeTimeMs: number): number {
  const minutes = bakeTimeMs / MINUTE_MS;
  if (!Number.isInteger(minutes) || minutes > MAX_BAKE_MINUTES) {
    throw new ConfigError(
      `Input "${Input.BakeTime}" must be whole minutes from 0m to 24h for blue-green, linear and canary ` +
        `deployments (ECS bakeTimeInMinutes), got ${formatDuration(bakeTimeMs)}.`,
    );
  }
  return minutes;
}
