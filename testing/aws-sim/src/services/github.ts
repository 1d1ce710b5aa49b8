import { createHash } from 'node:crypto';
import { AwsError } from '../errors';
import type { DecodedCall, RequestContext, ServiceModule, SimRequest, SimResponse } from '../service';
import type { World } from '../world';

const DOCS = 'https://docs.github.com/rest/deployments';
const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
const MAX_DESCRIPTION = 140;
const CREATOR = { login: 'aws-sim', id: 1, type: 'Bot' };

interface DeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

interface Deployment {
  id: number;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  statuses: DeploymentStatus[];
}

interface GithubState {
  nextId: number;
  deployments: Deployment[];
}

/** GitHub answers errors as `{message, documentation_url}`; AwsError carries the message and the HTTP status. */
class GithubError extends AwsError {
  constructor(
    status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(
      status === 401
        ? 'Unauthorized'
        : status === 404
          ? 'NotFound'
          : status === 429
            ? 'RateLimited'
            : 'ValidationFailed',
      message,
      status,
    );
  }
}

const state = (world: World) => world.store<GithubState>('github', () => ({ nextId: 1, deployments: [] }));
const baseUrl = (request: SimRequest) => `http://${request.headers.host ?? '127.0.0.1'}`;

function readJson(request: SimRequest): Record<string, unknown> {
  try {
    const parsed: unknown = request.body.length ? JSON.parse(request.body.toString('utf8')) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new GithubError(400, 'Problems parsing JSON');
}

function invalid(resource: string, field: string, message: string): GithubError {
  return new GithubError(422, 'Validation Failed', [{ resource, code: 'custom', field, message }]);
}

function json(status: number, body: unknown): SimResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function deploymentJson(base: string, d: Deployment) {
  const url = `${base}/repos/${d.repo}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: Buffer.from(`Deployment${d.id}`).toString('base64'),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: CREATOR,
    created_at: d.created_at,
    updated_at: d.statuses[0]?.created_at ?? d.created_at,
    statuses_url: `${url}/statuses`,
    repository_url: `${base}/repos/${d.repo}`,
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  };
}

function statusJson(base: string, d: Deployment, s: DeploymentStatus) {
  const deploymentUrl = `${base}/repos/${d.repo}/deployments/${d.id}`;
  return {
    url: `${deploymentUrl}/statuses/${s.id}`,
    id: s.id,
    node_id: Buffer.from(`DeploymentStatus${s.id}`).toString('base64'),
    state: s.state,
    creator: CREATOR,
    description: s.description,
    environment: s.environment,
    target_url: s.log_url,
    log_url: s.log_url,
    environment_url: s.environment_url,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: deploymentUrl,
    repository_url: `${base}/repos/${d.repo}`,
  };
}

/** `per_page` (≤ 100, default 30) and `page` (from 1), as GitHub pages lists. */
function paged<T>(items: T[], query: URLSearchParams): T[] {
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  return items.slice((page - 1) * perPage, page * perPage);
}

function findDeployment(world: World, repo: string, id: string): Deployment {
  const deployment = state(world).deployments.find((d) => d.repo === repo && String(d.id) === id);
  if (!deployment) throw new GithubError(404, 'Not Found');
  return deployment;
}

function createDeployment(world: World, repo: string, body: Record<string, unknown>): Deployment {
  if (typeof body.ref !== 'string' || !body.ref) throw invalid('Deployment', 'ref', '"ref" wasn\'t supplied.');
  const environment = typeof body.environment === 'string' ? body.environment : 'production';
  const store = state(world);
  const deployment: Deployment = {
    id: store.nextId++,
    repo,
    sha: /^[0-9a-f]{40}$/.test(body.ref) ? body.ref : createHash('sha1').update(`${repo}@${body.ref}`).digest('hex'),
    ref: body.ref,
    task: typeof body.task === 'string' ? body.task : 'deploy',
    payload: body.payload ?? {},
    environment,
    description: typeof body.description === 'string' ? body.description : null,
    transient_environment: body.transient_environment === true,
    production_environment:
      typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
    created_at: new Date(world.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    statuses: [],
  };
  store.deployments.unshift(deployment);
  return deployment;
}

function createStatus(world: World, deployment: Deployment, body: Record<string, unknown>): DeploymentStatus {
  if (typeof body.state !== 'string' || !STATES.includes(body.state)) {
    throw invalid('DeploymentStatus', 'state', `state is not included in the list (${STATES.join(', ')})`);
  }
  const description = typeof body.description === 'string' ? body.description : '';
  if (description.length > MAX_DESCRIPTION) {
    throw invalid(
      'DeploymentStatus',
      'description',
      `description is too long (maximum is ${MAX_DESCRIPTION} characters)`,
    );
  }
  const status: DeploymentStatus = {
    id: state(world).nextId++,
    state: body.state,
    description,
    environment: typeof body.environment === 'string' ? body.environment : deployment.environment,
    environment_url: typeof body.environment_url === 'string' ? body.environment_url : '',
    log_url:
      typeof body.log_url === 'string' ? body.log_url : typeof body.target_url === 'string' ? body.target_url : '',
    created_at: new Date(world.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  deployment.statuses.unshift(status);
  world.milestone('github-deployment', String(deployment.id), status.state);
  return status;
}

const ROUTE = /^\/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/deployments(?:\/(?<id>\d+)(?<statuses>\/statuses)?)?\/?$/;

function operationOf(method: string, id: string | undefined, statuses: string | undefined): string | undefined {
  if (!id) return method === 'POST' ? 'CreateDeployment' : method === 'GET' ? 'ListDeployments' : undefined;
  if (!statuses) return method === 'GET' ? 'GetDeployment' : undefined;
  return method === 'POST' ? 'CreateDeploymentStatus' : method === 'GET' ? 'ListDeploymentStatuses' : undefined;
}

/** The GitHub REST deployments subset, for `GITHUB_API_URL` pointing at the sim. */
export function githubService(): ServiceModule {
  return {
    name: 'github',
    throttlingCode: 'RateLimited',
    decode(request): DecodedCall | undefined {
      const match = ROUTE.exec(request.path);
      if (!match?.groups) return undefined;
      const { owner, repo, id, statuses } = match.groups;
      const operation = operationOf(request.method, id, statuses);
      if (!operation) return undefined;
      const repoKey = `${owner}/${repo}`;
      const body = request.method === 'POST' ? readJson(request) : undefined;
      return {
        operation,
        params: { repo: repoKey, deploymentId: id, ...Object.fromEntries(request.query), ...body },
        run({ world }: RequestContext): SimResponse {
          if (!/^(Bearer|token) \S+$/i.test(String(request.headers.authorization ?? '')))
            throw new GithubError(401, 'Requires authentication');
          const base = baseUrl(request);
          switch (operation) {
            case 'CreateDeployment':
              return json(201, deploymentJson(base, createDeployment(world, repoKey, body!)));
            case 'ListDeployments': {
              const q = request.query;
              const matches = state(world).deployments.filter(
                (d) =>
                  d.repo === repoKey &&
                  (!q.get('sha') || d.sha === q.get('sha')) &&
                  (!q.get('ref') || d.ref === q.get('ref')) &&
                  (!q.get('task') || d.task === q.get('task')) &&
                  (!q.get('environment') || d.environment === q.get('environment')),
              );
              return json(
                200,
                paged(matches, q).map((d) => deploymentJson(base, d)),
              );
            }
            case 'GetDeployment':
              return json(200, deploymentJson(base, findDeployment(world, repoKey, id!)));
            case 'CreateDeploymentStatus': {
              const deployment = findDeployment(world, repoKey, id!);
              return json(201, statusJson(base, deployment, createStatus(world, deployment, body!)));
            }
            default: {
              const deployment = findDeployment(world, repoKey, id!);
              return json(
                200,
                paged(deployment.statuses, request.query).map((s) => statusJson(base, deployment, s)),
              );
            }
          }
        },
      };
    },
    errorResponse(error) {
      const status = error.code === 'RateLimited' ? 429 : error.status;
      const errors = error instanceof GithubError ? error.errors : undefined;
      const message = error.code === 'RateLimited' ? 'API rate limit exceeded' : error.message;
      return json(status, { message, errors, documentation_url: DOCS });
    },
  };
}
