import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as core from '../src/core';
import { SHIPYARD_VERSION } from '../src/constants';
import { createGithubDeployment, setGithubDeploymentStatus } from '../src/github';

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
let respond: (res: ServerResponse, request: Recorded) => void;
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
      respond(res, request);
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

describe('createGithubDeployment', () => {
  test('POSTs the deployment with the GitHub API headers and returns its id', async () => {
    respond = json(201, { id: 42, environment: 'production' });
    const id = await createGithubDeployment({ token: 'ghs_token', environment: 'production', description: 'web v7' });
    expect(id).toBe(42);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/repos/acme/shop/deployments');
    expect(request.headers).toMatchObject({
      accept: 'application/vnd.github+json',
      authorization: 'Bearer ghs_token',
      'x-github-api-version': '2022-11-28',
      'content-type': 'application/json',
      'user-agent': `shipyard/${SHIPYARD_VERSION}`,
    });
    expect(request.body).toEqual({
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

  test.each([
    [{ environment: 'staging' }, { ref: 'a1b2c3d4e5f6', transient_environment: false, production_environment: false }],
    [
      { environment: 'pr-12', ref: 'refs/pull/12/head', transientEnvironment: true },
      { ref: 'refs/pull/12/head', transient_environment: true, production_environment: false },
    ],
    [{ environment: 'live', productionEnvironment: true }, { production_environment: true }],
    [{ environment: 'Production', productionEnvironment: false }, { production_environment: false }],
  ])('options %j → body includes %j', async (options, expected) => {
    respond = json(201, { id: 1 });
    await createGithubDeployment({ token: 't', ...options });
    expect(requests[0].body).toMatchObject(expected);
  });

  test('without a token nothing is sent and a debug line says why', async () => {
    expect(await createGithubDeployment({ token: '', environment: 'production' })).toBeUndefined();
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
      'a non-JSON 502',
      (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>\n  Bad gateway\n</html>'),
      'GitHub deployment not recorded: POST /repos/acme/shop/deployments answered HTTP 502: <html> Bad gateway </html>',
    ],
    [
      'a 2xx without an id',
      json(202, { message: 'Auto-merged main into topic on deployment.' }),
      'GitHub deployment not recorded: GitHub answered without a deployment id: ' +
        '{"message":"Auto-merged main into topic on deployment."}',
    ],
  ])('%s becomes a warning and no id', async (_, response, warning) => {
    respond = response;
    expect(await createGithubDeployment({ token: 't', environment: 'production' })).toBeUndefined();
    expect(mockedCore.warning).toHaveBeenCalledWith(warning);
  });

  test('an unreachable API becomes a warning naming the reason', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.GITHUB_API_URL = `http://127.0.0.1:${port}`;
    expect(await createGithubDeployment({ token: 't', environment: 'production' })).toBeUndefined();
    expect(mockedCore.warning).toHaveBeenCalledWith(
      `GitHub deployment not recorded: POST /repos/acme/shop/deployments could not reach http://127.0.0.1:${port}: ` +
        `connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  test('missing runner variables are named in the warning', async () => {
    delete process.env.GITHUB_REPOSITORY;
    delete process.env.GITHUB_RUN_ID;
    expect(await createGithubDeployment({ token: 't', environment: 'production' })).toBeUndefined();
    expect(requests).toHaveLength(0);
    expect(mockedCore.warning).toHaveBeenCalledWith(
      'GitHub deployment not recorded: GITHUB_REPOSITORY, GITHUB_RUN_ID not set (this runs inside GitHub Actions only)',
    );
  });
});

describe('setGithubDeploymentStatus', () => {
  test('POSTs the status with the environment URL and a link to this run', async () => {
    respond = json(201, { id: 7, state: 'success' });
    await setGithubDeploymentStatus({
      token: 'ghs_token',
      deploymentId: 42,
      state: 'success',
      environmentUrl: 'https://shop.example.com',
      description: 'Deployed web:7',
    });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.url).toBe('/repos/acme/shop/deployments/42/statuses');
    expect(request.headers).toMatchObject({ authorization: 'Bearer ghs_token', 'x-github-api-version': '2022-11-28' });
    expect(request.body).toEqual({
      state: 'success',
      environment_url: 'https://shop.example.com',
      log_url: 'https://github.com/acme/shop/actions/runs/987654',
      description: 'Deployed web:7',
    });
    expect(mockedCore.warning).not.toHaveBeenCalled();
  });

  test.each([
    ['140 characters is sent whole', 'x'.repeat(140), 'x'.repeat(140)],
    ['141 characters is cut to 140', 'x'.repeat(141), `${'x'.repeat(139)}…`],
  ])('a description of %s', async (_, description, sent) => {
    respond = json(201, {});
    await setGithubDeploymentStatus({ token: 't', deploymentId: 1, state: 'failure', description });
    expect(requests[0].body).toEqual({
      state: 'failure',
      log_url: 'https://github.com/acme/shop/actions/runs/987654',
      description: sent,
    });
    expect((requests[0].body as { description: string }).description).toHaveLength(140);
  });

  test('a description is published on the Environments page: credential shapes are redacted', async () => {
    respond = json(201, {});
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
    respond = json(404, { message: 'Not Found' });
    await expect(setGithubDeploymentStatus({ token: 't', deploymentId: 9, state: 'failure' })).resolves.toBeUndefined();
    expect(mockedCore.warning).toHaveBeenCalledWith(
      'GitHub deployment status "failure" not recorded: POST /repos/acme/shop/deployments/9/statuses answered ' +
        'HTTP 404: Not Found (the token needs deployments: write)',
    );
  });
});
