import * as core from '@shipyard/platform/core';
import { parseCluster, parseServiceList } from '@shipyard/ecs/names';
import { parseRollbackTarget, type RollbackTarget } from '@shipyard/ecs/rollback/target';
import { ConfigError } from '@shipyard/platform/errors';
import { ENVIRONMENT_NAME_MAX_LENGTH } from '@shipyard/platform/github';
import {
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readRegion,
  readString,
  readText,
  WAIT_BOUNDS,
} from '@shipyard/platform/inputs';
import { parseUrls } from '@shipyard/ecs/verify';
import { readVerifyInputs, type VerifyInputs } from '@shipyard/ecs/verify-inputs';
import { Input } from './constants';

export interface Inputs {
  cluster: string;
  services: string[];
  target: RollbackTarget;
  dryRun: boolean;
  /** Print environment values in the diff instead of fingerprints (credential shapes are still redacted). */
  showEnvValues: boolean;
  wait: boolean;
  timeoutMs: number;
  verify: VerifyInputs;
  github: { token?: string; environment?: string; environmentUrl?: string };
  region?: string;
  maxAttempts?: number;
}

const MINUTE_MS = 60_000;

/** Reads and checks every input once, before any AWS call. Throws ConfigError on the first problem. */
export function readInputs(): Inputs {
  const inputs: Inputs = {
    cluster: parseCluster(Input.Cluster, readString(Input.Cluster, { default: 'default' })),
    services: parseServiceList(Input.Service, readList(Input.Service)),
    target: parseRollbackTarget(Input.Target, core.getInput(Input.Target)),
    dryRun: readBoolean(Input.DryRun, false),
    showEnvValues: readBoolean(Input.ShowEnvValues, false),
    wait: readBoolean(Input.Wait, true),
    timeoutMs: readDuration(Input.Timeout, 30 * MINUTE_MS, WAIT_BOUNDS),
    verify: readVerifyInputs(Input),
    github: {
      token: readString(Input.GithubToken) || undefined,
      environment: readText(Input.Environment, ENVIRONMENT_NAME_MAX_LENGTH) || undefined,
      environmentUrl: parseUrls(Input.EnvironmentUrl, readList(Input.EnvironmentUrl))[0],
    },
    region: readRegion(Input.Region) || undefined,
    maxAttempts: core.getInput(Input.MaxAttempts).trim()
      ? readInteger(Input.MaxAttempts, { min: 1, max: 20 })
      : undefined,
  };
  if (inputs.github.token) core.setSecret(inputs.github.token);
  checkCombinations(inputs, core.getInput(Input.VerifyStatus).trim() !== '');
  return inputs;
}

/** Rules that involve several inputs; each message names all of them. */
function checkCombinations(inputs: Inputs, statusGiven: boolean): void {
  const { verify } = inputs;
  if (verify.urls.length === 0 && (verify.expectation.body || statusGiven)) {
    const which = verify.expectation.body ? Input.VerifyBody : Input.VerifyStatus;
    throw new ConfigError(`Input "${which}" is set but "${Input.VerifyUrl}" is not.`);
  }
  if (!inputs.wait && verify.urls.length > 0) {
    throw new ConfigError(
      `Input "${Input.VerifyUrl}" needs "${Input.Wait}: true": a rollback not waited for cannot be verified.`,
    );
  }
  if (inputs.github.environmentUrl && !inputs.github.environment) {
    throw new ConfigError(`Input "${Input.EnvironmentUrl}" is set but "${Input.Environment}" is not.`);
  }
}
