import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as core from '../src/core';
import { SHIPYARD_VERSION } from '../src/constants';
import { githubDeploymentForJob, JOB_DEPLOYMENT_CREATOR, setGithubDeploymentStatus } from '../src/github';

jest.mock('../src/core');
const mockedCore = jest.mocked(core);

interface Recorded {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

let server: Server;
let requests: Recorded[];
/** Answers each request in turn; the last answer repeats. */
let answers: ((res: ServerResponse, request: Recorded) => void)[];
let apiUrl: string;

const json = (status: number, body: unknown) => (res: ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const request = { method: req.method, url: req.url, headers: req.headers, body: JSON.parse(text || 'null') };
      requests.push(request);
      (answers.length > 1 ? answers.shift()! : answers[0])(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  jest.resetAllMocks();
  requests = [];
  Object.assign(process.env, {
    GITHUB_API_URL: `${apiUrl}/`,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_SHA: 'a1b2c3d4e5f6',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '987654',
  });
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('GITHUB_')) delete process.env[key];
});

const RUN_URL = 'https://github.com/acme/shop/actions/runs/987654';
const noJobDeployment = json(200, []);
const calls = () => requests.map((r) => `${r.method} ${r.url}`);

describe('githubDeploymentForJob', () => {
  test('without a deployment GitHub made for this job, creates one (Octokit, token, Shipyard user agent)', async () => {
    answers = [noJobDeployment, json(201, { id: 42, environment: 'production' })];
    const id = await githubDeploymentForJob({ token: 'ghs_token', environment: 'production', description: 'web v7' });
    expect(id).toBe(42);
    expect(calls()).toEqual([
      'GET /repos/acme/shop/deployments?sha=a1b2c3d4e5f6&environment=production&per_page=10',
      'POST /repos/acme/shop/deployments',
    ]);
    expect(requests[1].headers).toMatchObject({ authorization: 'token ghs_token' });
    expect(requests[1].headers['user-agent']).toMatch(new RegExp(`^shipyard/${SHIPYARD_VERSION} `));
    expect(requests[1].body).toEqual({
      ref: 'a1b2c3d4e5f6',
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: true,
      description: 'web v7',
    });
    expect(mockedCore.warning).not.toHaveBeenCalled();
  });

  test("uses the deployment GitHub created for this job's environment, not one of another run or creator", async () => {
    const deployment = (id: number, login: string) => ({ id, environment: 'production', creator: { login } });
    answers = [
      json(200, [
        deployment(9, 'octocat'),
        deployment(8, JOB_DEPLOYMENT_CREATOR),
        deployment(7, JOB_DEPLOYMENT_CREATOR),
      ]),
      // 8: a job of another run (a re-deploy of the same commit)
      json(200, [{ state: 'in_progress', log_url: 'https://github.com/acme/shop/actions/runs/9876541/job/5' }]),
      // 7: this run's job
      json(200, [
        { state: 'in_progress', log_url: '', target_url: `${RUN_URL}/job/31` },
        { state: 'queued', log_url: `${RUN_URL}/job/31` },
      ]),
    ];
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBe(7);
    expect(calls()).toEqual([
      'GET /repos/acme/shop/deployments?sha=a1b2c3d4e5f6&environment=production&per_page=10',
      'GET /repos/acme/shop/deployments/8/statuses',
      'GET /repos/acme/shop/deployments/7/statuses',
    ]);
    expect(mockedCore.info).toHaveBeenCalledWith(
      'GitHub deployment 7, created by GitHub for this job\'s environment "production", is used.',
    );
  });

  test.each([
    [{ environment: 'staging' }, { ref: 'a1b2c3d4e5f6', transient_environment: false, production_environment: false }],
    [
      { environment: 'pr-12', ref: 'refs/pull/12/head', transientEnvironment: true },
      { ref: 'refs/pull/12/head', transient_environment: true, production_environment: false },
    ],
    [{ environment: 'live', productionEnvironment: true }, { production_environment: true }],
    [{ environment: 'Production', productionEnvironment: false }, { production_environment: false }],
  ])('options %j → body includes %j', async (options, expected) => {
    answers = [noJobDeployment, json(201, { id: 1 })];
    await githubDeploymentForJob({ token: 't', ...options });
    expect(requests[1].body).toMatchObject(expected);
  });

  test('without a token nothing is sent and a debug line says why', async () => {
    expect(await githubDeploymentForJob({ token: '', environment: 'production' })).toBeUndefined();
    expect(requests).toHaveLength(0);
    expect(mockedCore.debug).toHaveBeenCalledWith('No GitHub deployment recorded for "production": no token given.');
  });

  test.each<[string, (res: ServerResponse) => void, string]>([
    [
      'a 403',
      json(403, { message: 'Resource not accessible by integration' }),
      'GitHub deployment not recorded: POST /repos/acme/shop/deployments answered HTTP 403: ' +
        'Resource not accessible by integration (the token needs deployments: write)',
    ],
    [
      'a 409 conflict',
      json(409, { message: 'Conflict: Commit status checks failed for main.' }),
      'GitHub deployment not recorded: POST /repos/acme/shop/deployments answered HTTP 409: ' +
        'Conflict: Commit status checks failed for main.',
    ],
    [
      'a 2xx without an id',
      json(202, { message: 'Auto-merged main into topic on deployment.' }),
      'GitHub deployment not recorded: GitHub answered without a deployment id: ' +
        '{"message":"Auto-merged main into topic on deployment."}',
    ],
  ])('%s becomes a warning and no id', async (_, response, warning) => {
    answers = [noJobDeployment, response];
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBeUndefined();
    expect(mockedCore.warning).toHaveBeenCalledWith(warning);
  });

  test('a 5xx is retried, then the deployment is created', async () => {
    const badGateway = (res: ServerResponse) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>\n  Bad gateway\n</html>');
    answers = [noJobDeployment, badGateway, json(201, { id: 5 })];
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBe(5);
    expect(calls().filter((c) => c.startsWith('POST'))).toHaveLength(2);
    expect(mockedCore.warning).not.toHaveBeenCalled();
  });

  test('a 5xx that lasts becomes a warning quoting the answer, after the retries', async () => {
    answers = [noJobDeployment, (res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('  Unavailable \n')];
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBeUndefined();
    expect(calls().filter((c) => c.startsWith('POST'))).toHaveLength(3);
    expect(mockedCore.warning).toHaveBeenCalledWith(
      'GitHub deployment not recorded: POST /repos/acme/shop/deployments answered HTTP 503: Unavailable',
    );
  });

  test('a secondary rate limit is waited out (retry-after) and the call retried', async () => {
    const limited = (res: ServerResponse) =>
      res
        .writeHead(403, { 'content-type': 'application/json', 'retry-after': '1' })
        .end(JSON.stringify({ message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' }));
    answers = [noJobDeployment, limited, json(201, { id: 6 })];
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBe(6);
    expect(mockedCore.info).toHaveBeenCalledWith(
      expect.stringMatching(/^GitHub secondary rate limit on POST .*deployments: retrying in 1 s\.$/),
    );
  });

  test('a rate limit that lifts only later is not waited for: a warning', async () => {
    const exhausted = (res: ServerResponse) =>
      res
        .writeHead(429, {
          'content-type': 'application/json',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        })
        .end(JSON.stringify({ message: 'API rate limit exceeded' }));
    answers = [exhausted];
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(mockedCore.warning).toHaveBeenCalledWith(
      expect.stringMatching(
        /^GitHub deployment not recorded: GET \/repos\/acme\/shop\/deployments answered HTTP 429: API rate limit exceeded$/,
      ),
    );
  });

  test('an unreachable API becomes a warning naming the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.GITHUB_API_URL = `http://127.0.0.1:${port}`;
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBeUndefined();
    expect(mockedCore.warning).toHaveBeenCalledWith(
      `GitHub deployment not recorded: GET /repos/acme/shop/deployments could not reach http://127.0.0.1:${port}: ` +
        `connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  test('missing runner variables are named in the warning', async () => {
    delete process.env.GITHUB_REPOSITORY;
    delete process.env.GITHUB_RUN_ID;
    expect(await githubDeploymentForJob({ token: 't', environment: 'production' })).toBeUndefined();
    expect(requests).toHaveLength(0);
    expect(mockedCore.warning).toHaveBeenCalledWith(
      'GitHub deployment not recorded: GITHUB_REPOSITORY, GITHUB_RUN_ID not set (this runs inside GitHub Actions only)',
    );
  });
});

describe('setGithubDeploymentStatus', () => {
  test('POSTs the status with the environment URL and a link to this run', async () => {
    answers = [json(201, { id: 7, state: 'success' })];
    await setGithubDeploymentStatus({
      token: 'ghs_token',
      deploymentId: 42,
      state: 'success',
      environmentUrl: 'https://shop.example.com',
      description: 'Deployed web:7',
    });
    expect(calls()).toEqual(['POST /repos/acme/shop/deployments/42/statuses']);
    expect(requests[0].headers).toMatchObject({ authorization: 'token ghs_token' });
    expect(requests[0].body).toEqual({
      state: 'success',
      environment_url: 'https://shop.example.com',
      log_url: RUN_URL,
      description: 'Deployed web:7',
    });
    expect(mockedCore.warning).not.toHaveBeenCalled();
  });

  test.each([
    ['140 characters is sent whole', 'x'.repeat(140), 'x'.repeat(140)],
    ['141 characters is cut to 140', 'x'.repeat(141), `${'x'.repeat(139)}…`],
  ])('a description of %s', async (_, description, sent) => {
    answers = [json(201, {})];
    await setGithubDeploymentStatus({ token: 't', deploymentId: 1, state: 'failure', description });
    expect(requests[0].body).toEqual({ state: 'failure', log_url: RUN_URL, description: sent });
    expect((requests[0].body as { description: string }).description).toHaveLength(140);
  });

  test('a description is published on the Environments page: credential shapes are redacted', async () => {
    answers = [json(201, {})];
    const description = 'web: verify failed for https://admin:Pg7-k2Rz9xQwLm4@shop.example.com/health';
    await setGithubDeploymentStatus({ token: 't', deploymentId: 1, state: 'failure', description });
    expect((requests[0].body as { description: string }).description).toBe(
      'web: verify failed for https://[redacted]@shop.example.com/health',
    );
  });

  test.each<[string | undefined, number | undefined, string]>([
    [undefined, 42, 'No GitHub deployment status "in_progress" recorded: no token given.'],
    ['t', undefined, 'No GitHub deployment status "in_progress" recorded: there is no GitHub deployment.'],
  ])('token %j, deployment %j → nothing sent, debug line', async (token, deploymentId, debug) => {
    await setGithubDeploymentStatus({ token, deploymentId, state: 'in_progress' });
    expect(requests).toHaveLength(0);
    expect(mockedCore.debug).toHaveBeenCalledWith(debug);
  });

  test('a refused status becomes a warning', async () => {
    answers = [json(404, { message: 'Not Found' })];
    await expect(setGithubDeploymentStatus({ token: 't', deploymentId: 9, state: 'failure' })).resolves.toBeUndefined();
    expect(mockedCore.warning).toHaveBeenCalledWith(
      'GitHub deployment status "failure" not recorded: POST /repos/acme/shop/deployments/9/statuses answered ' +
        'HTTP 404: Not Found (the token needs deployments: write)',
    );
  });
});
