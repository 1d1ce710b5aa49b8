import * as core from './core';
import { SHIPYARD_VERSION } from './constants';
import { describeError, isError } from './errors';
import { redactCredentials } from './redact';

// GitHub Deployments record what went where, shown on the repository's Environments page. They are a courtesy:
// every failure here is a warning, never a failed deploy. Calls go through @actions/github's Octokit (proxy-aware
// through @actions/http-client: HTTPS_PROXY, NO_PROXY) with the retry plugin (5xx, network errors) and the throttling
// plugin (429 and secondary rate limits, GitHub's pacing of writes). Both are loaded only when a token is given.

/** GitHub's limit for an environment name. */
export const ENVIRONMENT_NAME_MAX_LENGTH = 255;

export type DeploymentState = 'in_progress' | 'queued' | 'pending' | 'success' | 'failure' | 'error' | 'inactive';

export interface GithubDeploymentOptions {
  /** Without a token nothing is sent and a debug line says so. */
  token?: string;
  environment: string;
  /** The commit, branch or tag deployed, for a deployment Shipyard creates; default GITHUB_SHA. */
  ref?: string;
  description?: string;
  /** An environment that goes away (a preview). Default false. */
  transientEnvironment?: boolean;
  /** Default: true when the environment is called "production". */
  productionEnvironment?: boolean;
}

export interface GithubDeploymentStatusOptions {
  token?: string;
  /** What githubDeploymentForJob returned; undefined (no deployment was recorded) sends nothing. */
  deploymentId: number | undefined;
  state: DeploymentState;
  /** Where the deployed app answers. */
  environmentUrl?: string;
  /** Cut to GitHub's 140 characters. */
  description?: string;
}

/** Who creates the deployment of a job that names an `environment:`. */
export const JOB_DEPLOYMENT_CREATOR = 'github-actions[bot]';
/** How many of the commit's deployments in the environment are searched for this run's. */
const JOB_DEPLOYMENT_CANDIDATES = 10;
/** All retries of one call included, so a struggling API cannot hold up a deploy for long. */
const CALL_BUDGET_MS = 60_000;
const RETRIES = 2;
/** Answers a retry cannot change: the plugin's list, plus 409 (a conflict, e.g. failed required checks) and 429 (a
 * rate limit, which the throttling plugin waits out when GitHub says it lifts soon). */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];
/** A rate limit that lifts later than this is not waited for. */
const RATE_LIMIT_WAIT_LIMIT_S = 30;
const STATUS_DESCRIPTION_LIMIT = 140;

/**
 * The GitHub Deployment this job's statuses go to: the one GitHub created for the job's `environment:` when there
 * is one (a deployment of GITHUB_SHA in that environment, created by github-actions[bot], whose statuses link to
 * this workflow run), else a new one. Returns its id, or undefined when there is no token or GitHub refused.
 */
export async function githubDeploymentForJob(options: GithubDeploymentOptions): Promise<number | undefined> {
  const { token, environment } = options;
  if (!token) {
    core.debug(`No GitHub deployment recorded for "${environment}": no token given.`);
    return undefined;
  }
  try {
    const context = githubContext();
    const github = await githubClient(token, context);
    const found = await findJobDeployment(github, context, environment);
    if (found !== undefined) {
      core.info(`GitHub deployment ${found}, created by GitHub for this job's environment "${environment}", is used.`);
      return found;
    }
    const { data } = await github.rest.repos.createDeployment({
      ...context.repo,
      ref: options.ref || context.sha,
      environment,
      auto_merge: false,
      required_contexts: [],
      transient_environment: options.transientEnvironment ?? false,
      production_environment: options.productionEnvironment ?? environment.toLowerCase() === 'production',
      description: options.description && redactCredentials(options.description),
      request: { signal: AbortSignal.timeout(CALL_BUDGET_MS) },
    });
    // GitHub answers 202 with a message instead of a deployment when it merged the default branch in first.
    const id = (data as { id?: unknown }).id;
    if (typeof id !== 'number') throw new Error(`GitHub answered without a deployment id: ${JSON.stringify(data)}`);
    core.info(`GitHub deployment ${id} created for "${environment}".`);
    return id;
  } catch (error) {
    core.warning(`GitHub deployment not recorded: ${describeGithubError(error)}`);
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
    const context = githubContext();
    const github = await githubClient(token, context);
    await github.rest.repos.createDeploymentStatus({
      ...context.repo,
      deployment_id: deploymentId,
      state,
      environment_url: options.environmentUrl,
      log_url: runUrl(context),
      // Shown on the repository's Environments page: as public as the log.
      description: options.description && truncate(redactCredentials(options.description), STATUS_DESCRIPTION_LIMIT),
      request: { signal: AbortSignal.timeout(CALL_BUDGET_MS) },
    });
  } catch (error) {
    core.warning(`GitHub deployment status "${state}" not recorded: ${describeGithubError(error)}`);
  }
}

type GithubClient = Awaited<ReturnType<typeof githubClient>>;

/** Octokit at GITHUB_API_URL with retries on 5xx and network errors, and bounded waits on rate limits. */
async function githubClient(token: string, context: GithubContext) {
  const [{ getOctokit }, { retry }, { throttling }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ]);
  const waitFor =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _: unknown, retryCount: number) => {
      const retrying = retryCount < RETRIES && retryAfter <= RATE_LIMIT_WAIT_LIMIT_S;
      const next = retrying ? `retrying in ${retryAfter} s` : 'not retrying';
      core.info(`GitHub ${kind} on ${options.method} ${options.url}: ${next}.`);
      return retrying;
    };
  return getOctokit(
    token,
    {
      baseUrl: context.apiUrl.replace(/\/+$/, ''),
      userAgent: `shipyard/${SHIPYARD_VERSION}`,
      retry: { retries: RETRIES, doNotRetry: DO_NOT_RETRY },
      throttle: { onRateLimit: waitFor('rate limit'), onSecondaryRateLimit: waitFor('secondary rate limit') },
    },
    retry,
    throttling,
  );
}

async function findJobDeployment(github: GithubClient, context: GithubContext, environment: string) {
  const signal = AbortSignal.timeout(CALL_BUDGET_MS);
  const { data: deployments } = await github.rest.repos.listDeployments({
    ...context.repo,
    sha: context.sha,
    environment,
    per_page: JOB_DEPLOYMENT_CANDIDATES,
    request: { signal },
  });
  // The job's own links: …/actions/runs/<run id>, then /job/<id>, /attempts/<n> or the end.
  const thisRun = new RegExp(`/actions/runs/${context.runId}(?:[/?#]|$)`);
  for (const deployment of deployments) {
    if (deployment.creator?.login !== JOB_DEPLOYMENT_CREATOR) continue;
    const { data: statuses } = await github.rest.repos.listDeploymentStatuses({
      ...context.repo,
      deployment_id: deployment.id,
      request: { signal },
    });
    if (statuses.some((s) => thisRun.test(s.log_url ?? '') || thisRun.test(s.target_url ?? ''))) return deployment.id;
  }
  return undefined;
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

type GithubContext = Record<keyof typeof CONTEXT_VARIABLES, string> & { repo: { owner: string; repo: string } };

/** The runner's GITHUB_* variables this module needs; the missing ones are named in the error. */
function githubContext(): GithubContext {
  const missing = Object.values(CONTEXT_VARIABLES).filter((name) => !process.env[name]);
  if (missing.length) throw new Error(`${missing.join(', ')} not set (this runs inside GitHub Actions only)`);
  const values = Object.fromEntries(Object.entries(CONTEXT_VARIABLES).map(([key, name]) => [key, process.env[name]]));
  const [owner, repo] = String(values.repository).split('/');
  return { ...(values as Record<keyof typeof CONTEXT_VARIABLES, string>), repo: { owner, repo } };
}

function runUrl(context: GithubContext): string {
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`;
}

interface RequestErrorLike extends Error {
  status: number;
  request?: { method?: string; url?: string };
  response?: { data?: unknown };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return isError(error) && typeof (error as { status?: unknown }).status === 'number';
}

/** `POST /repos/o/r/deployments answered HTTP 403: <GitHub's message> (the token needs …)`, or why GitHub was not reached. */
function describeGithubError(error: unknown): string {
  if (!isRequestError(error) || !error.request?.url) return describeError(error);
  const url = new URL(error.request.url);
  const call = `${error.request.method ?? 'GET'} ${url.pathname}`;
  if (!error.response) return `${call} could not reach ${url.origin}: ${innermostCause(error).message}`;
  const hint = error.status === 403 || error.status === 404 ? ' (the token needs deployments: write)' : '';
  return `${call} answered HTTP ${error.status}: ${githubMessage(error.response.data)}${hint}`;
}

/** fetch says only "fetch failed"; the reason (refused, DNS, TLS) is its cause's cause. */
function innermostCause(error: Error): Error {
  let innermost = error;
  while (isError(innermost.cause)) innermost = innermost.cause;
  return innermost;
}

/** GitHub's error bodies are JSON with a `message`; anything else is shown cut short. */
function githubMessage(data: unknown): string {
  const message = (data as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  const text = typeof data === 'string' ? data : JSON.stringify(data ?? '');
  return truncate(text.trim().replace(/\s+/g, ' '), 200) || 'no message';
}
