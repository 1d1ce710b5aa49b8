import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@shipyard/platform/core';
import { ConfigError } from '@shipyard/platform/errors';
import { readInputs } from '../src/inputs';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

// A plain object copy of the module, so jest.spyOn can replace its functions.
jest.mock('@shipyard/platform/core', () => ({ __esModule: true, ...jest.requireActual('@shipyard/platform/core') }));

const ECR_HOST = '123456789012.dkr.ecr.eu-north-1.amazonaws.com';

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

function read(inputs: Record<string, string>) {
  setInputs(inputs);
  return readInputs();
}

let setSecret: jest.SpyInstance;
beforeEach(() => {
  setSecret = jest.spyOn(core, 'setSecret').mockImplementation(() => undefined);
});
afterEach(() => {
  setInputs({});
  jest.restoreAllMocks();
});

describe('readInputs', () => {
  test('defaults: own ECR registry, build with GitHub cache, sha tag, no provenance, no scan', () => {
    expect(read({ repository: 'rideshare-api' })).toEqual({
      registry: { kind: 'ecr' },
      repository: 'rideshare-api',
      region: '',
      registryIds: [],
      credentials: undefined,
      createRepository: undefined,
      tags: { explicit: [], sha: true, shaLength: 7, environment: '', branch: false, semver: true, latest: false },
      labels: {},
      build: {
        context: '.',
        file: '',
        target: '',
        platforms: [],
        buildArgs: {},
        secrets: {},
        secretFiles: {},
        cache: { type: 'gha', scope: 'rideshare-api', mode: 'max' },
        provenance: 'false',
        sbom: '',
        builder: '',
        push: true,
      },
      promoteFrom: undefined,
      force: false,
      scan: undefined,
    });
  });

  test('the region comes from the ECR host', () => {
    expect(read({ registry: ECR_HOST, repository: 'web' }).region).toBe('eu-north-1');
  });

  test('repository settings when creating', () => {
    const inputs = read({
      repository: 'aiponge/api-gateway',
      'create-repository': 'true',
      'tag-mutability': 'immutable_with_exclusion',
      'tag-mutability-exclusions': 'latest\nbuildcache',
      encryption: 'KMS',
      'kms-key': 'alias/ecr',
      'lifecycle-policy':
        '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}',
    });
    expect(inputs.createRepository).toEqual({
      scanOnPush: true,
      tagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      exclusions: ['latest', 'buildcache'],
      encryption: 'KMS',
      kmsKey: 'alias/ecr',
      lifecyclePolicy: expect.stringContaining('"tagStatus":"untagged"'),
    });
  });

  test('a lifecycle policy file is read from the workspace', () => {
    const dir = tempDir('inputs-');
    writeFileSync(join(dir, 'lifecycle.json'), JSON.stringify({ rules: [{ rulePriority: 1 }] }));
    process.env.GITHUB_WORKSPACE = dir;
    try {
      const inputs = read({ repository: 'web', 'create-repository': 'true', 'lifecycle-policy': 'lifecycle.json' });
      expect(inputs.createRepository?.lifecyclePolicy).toBe('{"rules":[{"rulePriority":1}]}');
    } finally {
      delete process.env.GITHUB_WORKSPACE;
    }
  });

  test('promotion reads the source and no build', () => {
    const inputs = read({ repository: 'web', 'promote-from': 'staging-abc', 'tag-environment': 'production' });
    expect(inputs.build).toBeUndefined();
    expect(inputs.promoteFrom).toEqual({ repository: 'web', tag: 'staging-abc' });
    expect(inputs.tags.environment).toBe('production');
  });

  test('GHCR with a username and a masked password', () => {
    const inputs = read({
      registry: 'ghcr.io',
      repository: 'acme/weather-frontend',
      username: 'bot',
      password: 'ghp_x',
    });
    expect(inputs.credentials).toEqual({ username: 'bot', password: 'ghp_x' });
    expect(setSecret).toHaveBeenCalledWith('ghp_x');
  });

  test('build secrets are masked and kept out of other fields', () => {
    const inputs = read({ repository: 'web', secrets: 'npm_token=abc123\nsentry=def456' });
    expect(inputs.build?.secrets).toEqual({ npm_token: 'abc123', sentry: 'def456' });
    expect(setSecret).toHaveBeenCalledWith('abc123');
    expect(setSecret).toHaveBeenCalledWith('def456');
  });

  test('scan gate with threshold, ignore list and timeout', () => {
    expect(
      read({
        repository: 'web',
        'scan-severity-threshold': 'high',
        'scan-ignore': 'CVE-2024-3094, GHSA-xxxx-yyyy-zzzz',
        'scan-timeout': '5m',
      }).scan,
    ).toEqual({ threshold: 'HIGH', timeoutMs: 300_000, ignore: ['CVE-2024-3094', 'GHSA-xxxx-yyyy-zzzz'] });
  });

  test('registry cache defaults to the buildcache tag', () => {
    expect(read({ repository: 'web', cache: 'registry' }).build?.cache).toEqual({
      type: 'registry',
      ref: 'buildcache',
      mode: 'max',
    });
  });

  test.each<[string, Record<string, string>, string]>([
    ['bad repository name', { repository: 'Web_App' }, 'Input "repository" must be lower-case'],
    [
      'unknown severity',
      { repository: 'web', 'scan-severity-threshold': 'SEVERE' },
      'Input "scan-severity-threshold" must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED, got "SEVERE".',
    ],
    [
      'promote-from with a build input',
      { repository: 'web', 'promote-from': 'staging-abc', context: 'app' },
      'Inputs "promote-from" and "context" cannot be used together: promotion re-tags an image that exists, it builds nothing.',
    ],
    [
      'promote-from with force',
      { repository: 'web', 'promote-from': 'x', force: 'true' },
      'Inputs "promote-from" and "force"',
    ],
    [
      'repository settings without create-repository',
      { repository: 'web', 'tag-mutability': 'IMMUTABLE' },
      'Input "tag-mutability" only applies when "create-repository" is true',
    ],
    [
      'unknown mutability',
      { repository: 'web', 'create-repository': 'true', 'tag-mutability': 'FROZEN' },
      'Input "tag-mutability" must be one of MUTABLE, IMMUTABLE',
    ],
    [
      'exclusions without *_WITH_EXCLUSION',
      { repository: 'web', 'create-repository': 'true', 'tag-mutability-exclusions': 'latest' },
      'needs "tag-mutability" MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION, got MUTABLE',
    ],
    [
      '*_WITH_EXCLUSION without exclusions',
      { repository: 'web', 'create-repository': 'true', 'tag-mutability': 'IMMUTABLE_WITH_EXCLUSION' },
      'needs "tag-mutability-exclusions"',
    ],
    [
      'more than five exclusions',
      {
        repository: 'web',
        'create-repository': 'true',
        'tag-mutability': 'IMMUTABLE_WITH_EXCLUSION',
        'tag-mutability-exclusions': 'a,b,c,d,e,f',
      },
      'takes at most 5 filters',
    ],
    [
      'kms key with AES256',
      { repository: 'web', 'create-repository': 'true', 'kms-key': 'alias/x' },
      'Input "kms-key" needs "encryption" KMS or KMS_DSSE, got AES256.',
    ],
    [
      'lifecycle policy without rules',
      { repository: 'web', 'create-repository': 'true', 'lifecycle-policy': '{"rule": []}' },
      'must be an ECR lifecycle policy',
    ],
    ['credentials for ECR', { repository: 'web', username: 'AWS' }, 'Input "username" is for other registries'],
    [
      'ECR-only input for GHCR',
      { registry: 'ghcr.io', repository: 'a/b', 'scan-severity-threshold': 'HIGH' },
      'Input "scan-severity-threshold" needs an Amazon ECR registry, but "registry" is "ghcr.io".',
    ],
    [
      'username without password',
      { registry: 'ghcr.io', repository: 'a/b', username: 'bot' },
      'Input "password" is required when "username" is set.',
    ],
    [
      'bad registry id',
      { repository: 'web', 'registry-ids': '1234' },
      'must list 12-digit AWS account ids, got "1234"',
    ],
    [
      'region disagrees with the host',
      { registry: ECR_HOST, repository: 'web', region: 'us-east-1' },
      'Input "region" is "us-east-1" but registry',
    ],
    [
      'bad platform',
      { repository: 'web', platforms: 'amd64' },
      'Input "platforms" must list platforms such as linux/amd64',
    ],
    [
      'bad provenance',
      { repository: 'web', provenance: 'yes please' },
      'Input "provenance" must be true, false or an attestation spec',
    ],
    [
      'unknown cache',
      { repository: 'web', cache: 's3' },
      'Input "cache" must be one of gha, registry, none, got "s3".',
    ],
    [
      'cache-ref with cache none',
      { repository: 'web', cache: 'none', 'cache-ref': 'x' },
      'Inputs "cache" and "cache-ref" cannot be used together',
    ],
    [
      'bad registry cache tag',
      { repository: 'web', cache: 'registry', 'cache-ref': '-x' },
      'Input "cache-ref" has an invalid tag',
    ],
    ['bad explicit tag', { repository: 'web', tags: 'ok, not ok' }, 'Input "tags" has an invalid tag "not ok"'],
    [
      'push false with a scan gate',
      { repository: 'web', push: 'false', 'scan-severity-threshold': 'HIGH' },
      'Inputs "push" and "scan-severity-threshold" cannot be used together',
    ],
    [
      'scan-timeout without a scan',
      { repository: 'web', 'scan-timeout': '5m' },
      'Input "scan-timeout" needs "scan-severity-threshold" or "scan-wait"',
    ],
    [
      'bad ignore id',
      { repository: 'web', 'scan-wait': 'true', 'scan-ignore': 'CVE 1' },
      'must list finding ids such as CVE-2024-3094, got "CVE 1"',
    ],
    [
      'bad environment',
      { repository: 'web', 'tag-environment': 'prod env' },
      'Input "tag-environment" must be usable in a tag',
    ],
    [
      'bad duration',
      { repository: 'web', 'scan-wait': 'true', 'scan-timeout': 'soon' },
      'Input "scan-timeout" must be a duration',
    ],
  ])('%s', (_name, inputs, message) => {
    let error: unknown;
    try {
      read(inputs);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(message);
  });
});
