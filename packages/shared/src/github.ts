import * as core from './core';
import { SHIPYARD_VERSION } from './constants';
import { describeError, isError } from './errors';
import { redactCredentials } from './redact';

// GitHub Deployments record what went where, shown on the repository's Environments page. They are a courtesy:
// every failure here is a warning, never a failed deploy.

/** GitHub's limit for an environment name. */
export const ENVIRONMENT_NAME_MAX_LENGTH = 255;

export type DeploymentState = 'in_progress' | 'queued' | 'pending' | 'success' | 'failure' | 'error' | 'inactive';

export interface GithubDeploymentOptions {
  /** Without a token nothing is sent and a debug line says so. */
  token?: string;
  environment: string;
  /** The commit, branch or tag deployed; default GITHUB_SHA. */
  ref?: string;
  description?: string;
  /** An environment that goes away (a preview). Default false. */
  transientEnvironment?: boolean;
  /** Default: true when the environment is called "production". */
  productionEnvironment?: boolean;
}

export interface GithubDeploymentStatusOptions {
  token?: string;
  /** What createGithubDeployment returned; undefined (no deployment was recorded) sends nothing. */
  deploymentId: number | undefined;
  state: DeploymentState;
  /** Where the deployed app answers. */
  environmentUrl?: string;
  /** Cut to GitHub's 140 characters. */
  description?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;
const STATUS_DESCRIPTION_LIMIT = 140;

/** Creates a GitHub Deployment and returns its id, or undefined when there is no token or GitHub refused. */
export async function createGithubDeployment(options: GithubDeploymentOptions): Promise<number | undefined> {
  const { token, environment } = options;
  if (!token) {
    core.debug(`No GitHub deployment recorded for "${environment}": no token given.`);
    return undefined;
  }
  try {
    const { repository, sha } = githubContext();
    const created = await post(token, `/repos/${repository}/deployments`, {
      ref: options.ref || sha,
      environment,
      auto_merge: false,
      required_contexts: [],
      transient_environment: options.transientEnvironment ?? false,
      production_environment: options.productionEnvironment ?? environment.toLowerCase() === 'production',
      description: options.description && redactCredentials(options.description),
    });
    const id = (created as { id?: unknown } | null)?.id;
    if (typeof id !== 'number') throw new Error(`GitHub answered without a deployment id: ${JSON.stringify(created)}`);
    core.info(`GitHub deployment ${id} created for "${environment}".`);
    return id;
  } catch (error) {
    core.warning(`GitHub deployment not recorded: ${describeError(error)}`);
    return undefined;
  }
}

/** Adds a status to a GitHub Deployment, with a link to this workflow run. Never throws. */
export async function setGithubDeploymentStatus(options: GithubDeploymentStatusOptions): Promise<void> {
  const { token, deploymentId, state } = options;
  if (!token || deploymentId === undefined) {
    const why = token ? 'there is no GitHub deployment' : 'no token given';
    core.debug(`No GitHub deployment status "${state}" recorded: ${why}.`);
    return;
  }
  try {
    const { repository, serverUrl, runId } = githubContext();
    await post(token, `/repos/${repository}/deployments/${deploymentId}/statuses`, {
      state,
      environment_url: options.environmentUrl,
      log_url: `${serverUrl}/${repository}/actions/runs/${runId}`,
      // Shown on the repository's Environments page: as public as the log.
      description: options.description && truncate(redactCredentials(options.description), STATUS_DESCRIPTION_LIMIT),
    });
  } catch (error) {
    core.warning(`GitHub deployment status "${state}" not recorded: ${describeError(error)}`);
  }
}

function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

const CONTEXT_VARIABLES = {
  apiUrl: 'GITHUB_API_URL',
  repository: 'GITHUB_REPOSITORY',
  sha: 'GITHUB_SHA',
  serverUrl: 'GITHUB_SERVER_URL',
  runId: 'GITHUB_RUN_ID',
} as const;

type GithubContext = Record<keyof typeof CONTEXT_VARIABLES, string>;

/** The runner's GITHUB_* variables this module needs; the missing ones are named in the error. */
function githubContext(): GithubContext {
  const missing = Object.values(CONTEXT_VARIABLES).filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`${missing.join(', ')} not set (this runs inside GitHub Actions only)`);
  return Object.fromEntries(
    Object.entries(CONTEXT_VARIABLES).map(([key, name]) => [key, process.env[name]]),
  ) as GithubContext;
}

async function post(token: string, path: string, body: Record<string, unknown>): Promise<unknown> {
  const base = githubContext().apiUrl.replace(/\/+$/, '');
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${token}`,
      'X-GitHub-Api-Version': '2022-11-28',
      'Content-Type': 'application/json',
      'User-Agent': `shipyard/${SHIPYARD_VERSION}`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  }).catch((error: unknown) => {
    // fetch says only "fetch failed"; the reason (refused, DNS, TLS) is its cause.
    const reason = isError(error) && error.cause !== undefined ? error.cause : error;
    throw new Error(`POST ${path} could not reach ${base}: ${describeError(reason)}`);
  });
  const text = await response.text();
  if (!response.ok) {
    const hint = response.status === 403 || response.status === 404 ? ' (the token needs deployments: write)' : '';
    throw new Error(`POST ${path} answered HTTP ${response.status}: ${githubMessage(text)}${hint}`);
  }
  return text ? JSON.parse(text) : undefined;
}

/** GitHub's error bodies are JSON with a `message`; anything else is shown cut short. */
function githubMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return truncate(text.trim().replace(/\s+/g, ' '), 200) || 'no message';
}
