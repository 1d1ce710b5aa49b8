import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@shipyard/platform/core';
import { readInputs } from '../src/inputs';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

jest.mock('@shipyard/platform/core', () => ({
  ...jest.requireActual('@shipyard/platform/core'),
  setSecret: jest.fn(),
}));

const workspace = tempDir('ecs-deploy-inputs-');
writeFileSync(
  join(workspace, 'td.json'),
  JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'web', image: 'x' }] }),
);
writeFileSync(
  join(workspace, 'td.yaml'),
  'taskDefinition:\n  family: web\n  containerDefinitions:\n    - name: web\n      image: x\n',
);
writeFileSync(join(workspace, 'list.json'), '[{"family":"web"}]');
writeFileSync(join(workspace, 'broken.json'), '{"family": "web",');

function withInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

beforeEach(() => {
  process.env.GITHUB_WORKSPACE = workspace;
  jest.mocked(core.setSecret).mockClear();
});

describe('readInputs', () => {
  test('defaults', () => {
    withInputs({ service: 'web' });
    expect(readInputs({})).toEqual({
      mode: 'deploy',
      cluster: 'default',
      services: ['web'],
      taskDefinition: { kind: 'current' },
      container: undefined,
      images: {},
      env: [],
      secrets: [],
      cpu: undefined,
      memory: undefined,
      command: undefined,
      tags: {},
      strategy: 'auto',
      bakeTimeMs: undefined,
      timeoutMs: 1_800_000,
      verify: {
        urls: [],
        testUrls: [],
        expectation: { status: { codes: [200], classes: [] }, body: undefined },
        successes: 3,
        intervalMs: 5000,
        timeoutMs: 120_000,
      },
      addTestPauseHook: false,
      autoRollback: true,
      rollbackOnCancel: true,
      wait: true,
      waitForInFlight: false,
      desiredCount: undefined,
      forceNewDeployment: false,
      keepRevisions: 0,
      showEnvValues: false,
      github: { token: undefined, environment: undefined, environmentUrl: undefined },
      region: undefined,
    });
  });

  test('everything set', () => {
    withInputs({
      cluster: 'prod',
      service: 'web\napi',
      'task-definition': 'td.yaml',
      container: 'web',
      images: 'web=repo/web:v2',
      env: 'LOG_LEVEL=debug\nweb.URL=https://x/?a=b',
      secrets: 'DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
      cpu: '1 vCPU',
      memory: '2 GB',
      command: '["npm","start"]',
      tags: 'team=payments',
      strategy: 'blue-green',
      'bake-time': '10m',
      timeout: '45m',
      'verify-url': 'https://app.example.com/health',
      'verify-test-url': 'https://test.example.com/health',
      'verify-status': '2xx',
      'verify-body': '$.version == v2',
      'verify-successes': '5',
      'verify-interval': '2s',
      'verify-timeout': '3m',
      'add-test-pause-hook': 'true',
      'auto-rollback': 'false',
      'rollback-on-cancel': 'false',
      'wait-for-in-flight': 'true',
      'desired-count': '4',
      'force-new-deployment': 'true',
      'keep-revisions': '10',
      'show-env-values': 'true',
      'github-token': 'ghs_secret',
      environment: 'production',
      'environment-url': 'https://app.example.com',
      region: 'eu-west-1',
    });
    const inputs = readInputs({ GITHUB_SHA: 'abc' });
    expect(inputs).toMatchObject({
      cluster: 'prod',
      services: ['web', 'api'],
      taskDefinition: { kind: 'document', origin: 'file "td.yaml"', document: { family: 'web' } },
      env: [
        { container: undefined, name: 'LOG_LEVEL', value: 'debug' },
        { container: 'web', name: 'URL', value: 'https://x/?a=b' },
      ],
      cpu: '1024',
      memory: '2048',
      command: ['npm', 'start'],
      tags: { 'git-sha': 'abc', team: 'payments' },
      strategy: 'blue-green',
      bakeTimeMs: 600_000,
      timeoutMs: 2_700_000,
      verify: { successes: 5, intervalMs: 2000, timeoutMs: 180_000 },
      desiredCount: 4,
      keepRevisions: 10,
      showEnvValues: true,
      github: { token: 'ghs_secret', environment: 'production', environmentUrl: 'https://app.example.com' },
    });
    expect(core.setSecret).toHaveBeenCalledWith('ghs_secret');
    // A reference names where a secret lives: it stays readable in the log.
    expect(core.setSecret).not.toHaveBeenCalledWith('arn:aws:secretsmanager:us-east-1:123456789012:secret:db');
  });

  test.each([
    [{}, 'Input "service" is required but was empty or not set.'],
    [{ service: 'web\nweb' }, 'Input "service" lists "web" twice.'],
    [
      { service: 'web app' },
      'Input "service" lists "web app", which is not a service name (up to 255 letters, digits, _ and -) or service ARN.',
    ],
    [
      { service: 'web', 'task-definition': 'list.json' },
      'Input "task-definition" (file "list.json") must hold one task definition object, got a list.',
    ],
    [
      { service: 'web', 'task-definition': 'broken.json' },
      'Input "task-definition" names file "broken.json", which is not valid JSON or YAML',
    ],
    [
      { service: 'web', 'task-definition': 'missing.json' },
      'Input "task-definition" must be a JSON or YAML object or list, inline or in a file named by its path, got "missing.json"',
    ],
    [{ service: 'web', timeout: '10 minutes' }, 'Input "timeout" must be a duration such as 90s, 10m, 1h30m or 500ms'],
    [
      { service: 'web', 'verify-body': 'ok' },
      'Input "verify-body" is set but neither "verify-url" nor "verify-test-url" is.',
    ],
    [
      { service: 'web', 'verify-status': '204' },
      'Input "verify-status" is set but neither "verify-url" nor "verify-test-url" is.',
    ],
    [
      { service: 'web', strategy: 'rolling', 'verify-test-url': 'https://t/' },
      'Input "verify-test-url" needs a test listener, which only blue-green, linear and canary deployments have, but "strategy" is rolling.',
    ],
    [
      { service: 'web', 'add-test-pause-hook': 'true' },
      'Input "add-test-pause-hook" pauses the deployment for the test-URL check, but "verify-test-url" is empty.',
    ],
    [
      { service: 'web', wait: 'false', 'verify-url': 'https://a/' },
      'Inputs "verify-url"/"verify-test-url" need "wait: true".',
    ],
    [
      { service: 'web', strategy: 'canary', 'bake-time': '90s' },
      'Input "bake-time" must be whole minutes from 0m to 24h for blue-green, linear and canary deployments (ECS bakeTimeInMinutes), got 1m30s.',
    ],
    [{ service: 'web', 'environment-url': 'https://a/' }, 'Input "environment-url" is set but "environment" is not.'],
    [
      { service: 'web', 'task-definition': 'web:3', images: 'web=repo:v2', cpu: '512' },
      'Input "task-definition" names an existing revision, deployed as is, so "images", "cpu" cannot change it; use a task definition file or "current" to render a new revision.',
    ],
    [
      { service: 'web', 'desired-count': '-1' },
      'Input "desired-count" must be a whole number of at least 0, got "-1".',
    ],
    [
      { service: 'web', 'verify-successes': '0' },
      'Input "verify-successes" must be a whole number from 1 to 100, got "0".',
    ],
  ])('rejects %j', (inputs, message) => {
    withInputs(inputs);
    expect(() => readInputs({})).toThrow(message);
  });

  test('an inline document is accepted', () => {
    withInputs({ service: 'web', 'task-definition': '{"family":"web","containerDefinitions":[]}' });
    expect(readInputs({}).taskDefinition).toEqual({
      kind: 'document',
      origin: 'inline',
      document: { family: 'web', containerDefinitions: [] },
      text: { text: '{"family":"web","containerDefinitions":[]}', prefix: [] },
    });
  });
});
