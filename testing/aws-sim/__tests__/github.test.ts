import { ManualClock } from '../src/clock';
import { startSim, type Sim } from '../src/server';

let sim: Sim;
const AUTH = { authorization: 'Bearer ghs_test', 'content-type': 'application/json' };

beforeEach(async () => {
  sim = await startSim({ clock: new ManualClock(Date.UTC(2026, 0, 1)) });
});
afterEach(() => sim.close());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const response = await fetch(`${sim.env.GITHUB_API_URL}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

const deploy = (ref = 'main', environment = 'production') =>
  call('POST', '/repos/acme/shop/deployments', {
    ref,
    environment,
    auto_merge: false,
    required_contexts: [],
    transient_environment: false,
  });

test('create a deployment, post statuses, list both, newest first', async () => {
  const created = await deploy('v1.2.3', 'staging');
  expect(created.status).toBe(201);
  const id = created.body.id as number;
  expect(created.body).toMatchObject({
    id,
    ref: 'v1.2.3',
    environment: 'staging',
    task: 'deploy',
    production_environment: false,
    transient_environment: false,
    url: `${sim.endpoint}/repos/acme/shop/deployments/${id}`,
    statuses_url: `${sim.endpoint}/repos/acme/shop/deployments/${id}/statuses`,
    created_at: '2026-01-01T00:00:00Z',
  });
  expect(created.body.sha).toMatch(/^[0-9a-f]{40}$/);

  const statusPath = `/repos/acme/shop/deployments/${id}/statuses`;
  const inProgress = await call('POST', statusPath, {
    state: 'in_progress',
    log_url: 'https://ci/run/1',
    description: 'Deploying',
  });
  expect(inProgress.status).toBe(201);
  expect(inProgress.body).toMatchObject({
    state: 'in_progress',
    log_url: 'https://ci/run/1',
    target_url: 'https://ci/run/1',
    environment: 'staging',
  });
  await call('POST', statusPath, { state: 'success', environment_url: 'https://staging.example.com' });
  const statuses = await call('GET', statusPath);
  expect(statuses.body.map((s: { state: string }) => s.state)).toEqual(['success', 'in_progress']);
  expect(statuses.body[0].environment_url).toBe('https://staging.example.com');

  await deploy('v1.2.4', 'production');
  const all = await call('GET', '/repos/acme/shop/deployments');
  expect(all.body.map((d: { ref: string }) => d.ref)).toEqual(['v1.2.4', 'v1.2.3']);
  const filtered = await call('GET', '/repos/acme/shop/deployments?environment=staging');
  expect(filtered.body.map((d: { id: number }) => d.id)).toEqual([id]);
  expect((await call('GET', '/repos/acme/other/deployments')).body).toEqual([]);
  expect(sim.control.milestones('github-deployment').map((m) => [m.id, m.state])).toEqual([
    [String(id), 'in_progress'],
    [String(id), 'success'],
  ]);
});

test.each([
  ['no Authorization header', {}],
  ['a non-bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
])('%s is 401', async (_case, headers) => {
  const response = await call('GET', '/repos/acme/shop/deployments', undefined, headers);
  expect(response).toEqual({
    status: 401,
    body: { message: 'Requires authentication', documentation_url: expect.any(String) },
  });
});

test('token <t> is accepted as well as Bearer <t>', async () => {
  expect((await call('GET', '/repos/acme/shop/deployments', undefined, { authorization: 'token ghp_x' })).status).toBe(
    200,
  );
});

test.each([
  ['a description over 140 characters', { state: 'success', description: 'x'.repeat(141) }, 'description'],
  ['an unknown state', { state: 'done' }, 'state'],
])('a status with %s is 422', async (_case, body, field) => {
  const { body: deployment } = await deploy();
  const response = await call('POST', `/repos/acme/shop/deployments/${deployment.id}/statuses`, body);
  expect(response.status).toBe(422);
  expect(response.body.errors[0].field).toBe(field);
});

test('a 140-character description is accepted', async () => {
  const { body: deployment } = await deploy();
  const response = await call('POST', `/repos/acme/shop/deployments/${deployment.id}/statuses`, {
    state: 'success',
    description: 'x'.repeat(140),
  });
  expect(response.status).toBe(201);
});

test('a deployment needs a ref; unknown deployments are 404', async () => {
  const noRef = await call('POST', '/repos/acme/shop/deployments', { environment: 'production' });
  expect(noRef.status).toBe(422);
  expect((await call('POST', '/repos/acme/shop/deployments/999/statuses', { state: 'success' })).status).toBe(404);
  expect((await call('GET', '/repos/acme/shop/deployments/999/statuses')).body.message).toBe('Not Found');
});

test('calls are logged: creations are mutating, listings are not', async () => {
  await deploy();
  await call('GET', '/repos/acme/shop/deployments');
  expect(sim.control.requests({ service: 'github' }).map((r) => [r.operation, r.mutating, r.status])).toEqual([
    ['CreateDeployment', true, 201],
    ['ListDeployments', false, 200],
  ]);
});
