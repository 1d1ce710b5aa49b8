import * as core from '@shipyard/platform/core';
import { readInputs } from '../src/inputs';

jest.mock('@shipyard/platform/core', () => ({
  ...jest.requireActual('@shipyard/platform/core'),
  setSecret: jest.fn(),
}));

function withInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

beforeEach(() => jest.mocked(core.setSecret).mockClear());

describe('readInputs', () => {
  test('defaults', () => {
    withInputs({ service: 'web' });
    expect(readInputs()).toEqual({
      cluster: 'default',
      services: ['web'],
      target: { kind: 'last-known-good' },
      dryRun: false,
      showEnvValues: false,
      wait: true,
      timeoutMs: 1_800_000,
      verify: {
        urls: [],
        expectation: { status: { codes: [200], classes: [] }, body: undefined },
        successes: 3,
        intervalMs: 5_000,
        timeoutMs: 120_000,
      },
      github: { token: undefined, environment: undefined, environmentUrl: undefined },
      region: undefined,
      maxAttempts: undefined,
    });
  });

  test('everything set, several services, the token masked', () => {
    withInputs({
      cluster: 'aiponge-cluster',
      service: 'api-gateway\nuser-service\n# music-service stays\nstorage-service',
      target: 'image:production-6dcb09b',
      'dry-run': 'true',
      wait: 'true',
      timeout: '10m',
      'verify-url': 'https://api.example.com/health, https://api.example.com/ready',
      'verify-status': '2xx',
      'verify-body': '$.version == 1.4.2',
      'verify-successes': '2',
      'verify-interval': '2s',
      'verify-timeout': '1m',
      'github-token': 'ghs_secret',
      environment: 'production',
      'environment-url': 'https://example.com',
      region: 'eu-north-1',
      'max-attempts': '5',
    });
    expect(readInputs()).toEqual({
      cluster: 'aiponge-cluster',
      services: ['api-gateway', 'user-service', 'storage-service'],
      target: { kind: 'image-tag', tag: 'production-6dcb09b' },
      dryRun: true,
      showEnvValues: false,
      wait: true,
      timeoutMs: 600_000,
      verify: {
        urls: ['https://api.example.com/health', 'https://api.example.com/ready'],
        expectation: {
          status: { codes: [], classes: [2] },
          body: { kind: 'json-path', path: '$.version', segments: ['version'], expected: '1.4.2' },
        },
        successes: 2,
        intervalMs: 2_000,
        timeoutMs: 60_000,
      },
      github: { token: 'ghs_secret', environment: 'production', environmentUrl: 'https://example.com' },
      region: 'eu-north-1',
      maxAttempts: 5,
    });
    expect(core.setSecret).toHaveBeenCalledWith('ghs_secret');
  });

  test.each([
    [{}, 'Input "service" is required but was empty or not set.'],
    [{ service: 'web,web' }, 'Input "service" lists "web" twice.'],
    [{ service: 'web', target: 'latest' }, 'Input "target" must be last-known-good, previous, a revision number (42)'],
    [{ service: 'web', 'dry-run': 'yes' }, 'Input "dry-run" must be a boolean'],
    [{ service: 'web', timeout: '5 minutes' }, 'Input "timeout" must be a duration such as 90s'],
    [{ service: 'web', timeout: '0' }, 'Input "timeout" must be a duration from 1s to 120h, got "0".'],
    [
      { service: 'web', 'verify-url': 'example.com/health' },
      'Input "verify-url" must list absolute http(s) URLs of at most 2048 printable characters, got "example.com/health".',
    ],
    [{ service: 'web', 'verify-body': 'ok' }, 'Input "verify-body" is set but "verify-url" is not.'],
    [{ service: 'web', 'verify-status': '204' }, 'Input "verify-status" is set but "verify-url" is not.'],
    [
      { service: 'web', 'verify-url': 'https://x.test/health', wait: 'false' },
      'Input "verify-url" needs "wait: true": a rollback not waited for cannot be verified.',
    ],
    [
      { service: 'web', 'verify-successes': '0' },
      'Input "verify-successes" must be a whole number from 1 to 100, got "0".',
    ],
    [
      { service: 'web', 'environment-url': 'https://x.test' },
      'Input "environment-url" is set but "environment" is not.',
    ],
    [{ service: 'web', 'max-attempts': '0' }, 'Input "max-attempts" must be a whole number from 1 to 20, got "0".'],
  ])('%j', (inputs, message) => {
    withInputs(inputs);
    expect(() => readInputs()).toThrow(message);
  });
});
