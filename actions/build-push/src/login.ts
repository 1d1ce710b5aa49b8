import * as core from '@shipyard/platform/core';
import type { AuthorizationData } from '@aws-sdk/client-ecr';
import { DeploymentFailure, runAction } from '@shipyard/platform/errors';
import { ACTION, State } from './constants';
import { runDocker, type DockerResult } from './docker';
import type { EcrApi } from './ecr';

export interface Credentials {
  registry: string;
  username: string;
  password: string;
}

export type Docker = (args: string[], options?: { input?: string; silent?: boolean }) => Promise<DockerResult>;

/** `base64("AWS:<password>")` → username and password; the password is masked before anything else happens. */
export function decodeAuthorizationToken(token: string): { username: string; password: string } {
  core.setSecret(token);
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new DeploymentFailure('ECR returned an authorization token that is not "<user>:<password>" in base64.');
  }
  const password = decoded.slice(colon + 1);
  core.setSecret(password);
  return { username: decoded.slice(0, colon), password };
}

function toCredentials(data: AuthorizationData): Credentials {
  if (!data.authorizationToken || !data.proxyEndpoint) {
    throw new DeploymentFailure('ECR returned authorization data without a token or an endpoint.');
  }
  return {
    registry: data.proxyEndpoint.replace(/^https?:\/\//, ''),
    ...decodeAuthorizationToken(data.authorizationToken),
  };
}

/**
 * Credentials for the target registry (first) and every extra registry id. With a known target account one call
 * covers all; with the default registry a call without ids names it, then one call covers the extra ids.
 */
export async function ecrCredentials(
  api: EcrApi,
  accountId: string | undefined,
  registryIds: string[],
): Promise<Credentials[]> {
  const ask = async (ids: string[] | undefined) => {
    const response = await api.getAuthorizationToken(ids ? { registryIds: ids } : {});
    const data = response.authorizationData ?? [];
    if (data.length === 0) throw new DeploymentFailure('ECR returned no authorization data.');
    return data.map(toCredentials);
  };
  if (accountId) return ask([...new Set([accountId, ...registryIds])]);
  const own = await ask(undefined);
  const others = registryIds.length ? await ask(registryIds) : [];
  return dedupe([own[0], ...others]);
}

function dedupe(credentials: Credentials[]): Credentials[] {
  const seen = new Set<string>();
  return credentials.filter((c) => !seen.has(c.registry) && seen.add(c.registry));
}

/**
 * `docker login --username … --password-stdin <registry>`: the password goes through stdin only, never argv, where
 * any process on the runner could read it. Each success is saved at once so the post step logs out even if a
 * later login fails.
 */
export async function dockerLogin(credentials: Credentials, docker: Docker = runDocker): Promise<void> {
  core.setSecret(credentials.password);
  const result = await docker(['login', '--username', credentials.username, '--password-stdin', credentials.registry], {
    input: credentials.password,
    silent: true,
  });
  if (result.exitCode !== 0) {
    throw new DeploymentFailure(
      `docker login to ${credentials.registry} failed (exit code ${result.exitCode})`,
      result.tail.join('\n'),
    );
  }
  core.info(`Logged in to ${credentials.registry} as ${credentials.username}.`);
  rememberLogin(credentials.registry);
}

// State written by main is only readable in post (as STATE_*), so main keeps its own list.
const loggedInThisStep: string[] = [];

function rememberLogin(registry: string): void {
  if (!loggedInThisStep.includes(registry)) loggedInThisStep.push(registry);
  core.saveState(State.LoggedIn, JSON.stringify(loggedInThisStep));
}

/** What main saved, as the post step reads it. */
export function loggedInRegistries(): string[] {
  const saved = core.getState(State.LoggedIn);
  if (!saved) return [];
  try {
    const parsed: unknown = JSON.parse(saved);
    return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** The post step: log out of every registry main logged in to; a failed logout is a warning, not a failure. */
export async function logoutAll(docker: Docker = runDocker): Promise<void> {
  for (const registry of loggedInRegistries()) {
    const result = await docker(['logout', registry], { silent: true });
    if (result.exitCode === 0) core.info(`Logged out of ${registry}.`);
    else core.warning(`docker logout ${registry} failed (exit code ${result.exitCode}): ${result.tail.join(' ')}`);
  }
}

/** The post step's entry point. */
export function runPost(): Promise<void> {
  return runAction(`${ACTION} (post)`, () => logoutAll());
}
