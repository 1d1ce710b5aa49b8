import * as core from '@shipyard/platform/core';
import { ConfigError, DeploymentFailure } from '@shipyard/platform/errors';
import type { DockerResult } from '../src/docker';
import type { RepositorySettings } from '../src/inputs';
import {
  createRepositoryRequest,
  ensureRepository,
  findEcrImage,
  findRemoteDigest,
  retagRemote,
} from '../src/repository';
import { awsError, fakeEcr } from './fixtures/fake-ecr';

// A plain object copy of the module, so jest.spyOn can replace its functions.
jest.mock('@shipyard/platform/core', () => ({ __esModule: true, ...jest.requireActual('@shipyard/platform/core') }));

const SETTINGS: RepositorySettings = {
  scanOnPush: true,
  tagMutability: 'IMMUTABLE_WITH_EXCLUSION',
  exclusions: ['latest', 'buildcache'],
  encryption: 'KMS',
  kmsKey: 'alias/ecr',
  lifecyclePolicy: '{"rules":[]}',
};
const TARGET = { registryId: '123456789012', repository: 'aiponge/api-gateway' };
const D = `sha256:${'d'.repeat(64)}`;

beforeEach(() => jest.spyOn(core, 'info').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

describe('createRepositoryRequest', () => {
  test.each<[string, RepositorySettings, object]>([
    [
      'every setting',
      SETTINGS,
      {
        registryId: '123456789012',
        repositoryName: 'aiponge/api-gateway',
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [
          { filter: 'latest', filterType: 'WILDCARD' },
          { filter: 'buildcache', filterType: 'WILDCARD' },
        ],
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/ecr' },
      },
    ],
    [
      'AES256, mutable, no scan',
      { ...SETTINGS, scanOnPush: false, tagMutability: 'MUTABLE', exclusions: [], encryption: 'AES256', kmsKey: '' },
      {
        registryId: '123456789012',
        repositoryName: 'aiponge/api-gateway',
        imageScanningConfiguration: { scanOnPush: false },
        imageTagMutability: 'MUTABLE',
        imageTagMutabilityExclusionFilters: undefined,
        encryptionConfiguration: { encryptionType: 'AES256', kmsKey: undefined },
      },
    ],
  ])('%s', (_name, settings, expected) => {
    expect(createRepositoryRequest(TARGET, settings)).toEqual(expected);
  });
});

describe('ensureRepository', () => {
  test('creates a missing repository, then its lifecycle policy', async () => {
    const ecr = fakeEcr({
      describeRepositories: async () => Promise.reject(awsError('RepositoryNotFoundException')),
      createRepository: async () => ({}),
      putLifecyclePolicy: async () => ({}),
    });
    expect(await ensureRepository(ecr, TARGET, SETTINGS)).toBe('created');
    expect(ecr.createRepository).toHaveBeenCalledWith(createRepositoryRequest(TARGET, SETTINGS));
    expect(ecr.putLifecyclePolicy).toHaveBeenCalledWith({
      registryId: '123456789012',
      repositoryName: 'aiponge/api-gateway',
      lifecyclePolicyText: '{"rules":[]}',
    });
  });

  test('leaves an existing repository alone', async () => {
    const ecr = fakeEcr({ describeRepositories: async () => ({ repositories: [{ repositoryName: 'x' }] }) });
    expect(await ensureRepository(ecr, TARGET, SETTINGS)).toBe('exists');
    expect(ecr.createRepository).not.toHaveBeenCalled();
  });

  test('a repository created meanwhile by another job is fine', async () => {
    const ecr = fakeEcr({
      describeRepositories: async () => Promise.reject(awsError('RepositoryNotFoundException')),
      createRepository: async () => Promise.reject(awsError('RepositoryAlreadyExistsException')),
    });
    expect(await ensureRepository(ecr, TARGET, SETTINGS)).toBe('exists');
    expect(ecr.putLifecyclePolicy).not.toHaveBeenCalled();
  });
});

describe('findEcrImage', () => {
  test('found', async () => {
    const ecr = fakeEcr({
      describeImages: async () => ({ imageDetails: [{ imageDigest: D, imageTags: ['sha-abc', 'latest'] }] }),
    });
    expect(await findEcrImage(ecr, TARGET, 'sha-abc')).toBe(D);
    expect(ecr.describeImages).toHaveBeenCalledWith({
      registryId: '123456789012',
      repositoryName: 'aiponge/api-gateway',
      imageIds: [{ imageTag: 'sha-abc' }],
    });
  });

  test('not found', async () => {
    const ecr = fakeEcr({ describeImages: async () => Promise.reject(awsError('ImageNotFoundException')) });
    expect(await findEcrImage(ecr, TARGET, 'sha-abc')).toBeUndefined();
  });

  test('no repository: say how to fix it', async () => {
    const ecr = fakeEcr({ describeImages: async () => Promise.reject(awsError('RepositoryNotFoundException')) });
    const error = await findEcrImage(ecr, TARGET, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'Repository "aiponge/api-gateway" does not exist in the ECR registry of account 123456789012: create it, or set create-repository: true.',
    );
  });
});

const result = (exitCode: number, stdout = '', stderr = ''): DockerResult => ({
  exitCode,
  stdout,
  stderr,
  tail: stderr.split('\n'),
});

describe('findRemoteDigest', () => {
  test('reads the manifest descriptor digest', async () => {
    const docker = jest.fn(async () => result(0, JSON.stringify({ mediaType: 'x', digest: D, size: 1 })));
    expect(await findRemoteDigest(docker, 'ghcr.io/a/b:sha-abc')).toBe(D);
    expect(docker).toHaveBeenCalledWith(
      ['buildx', 'imagetools', 'inspect', 'ghcr.io/a/b:sha-abc', '--format', '{{json .Manifest}}'],
      {
        silent: true,
      },
    );
  });

  test('not found means build', async () => {
    const docker = jest.fn(async () => result(1, '', 'ERROR: ghcr.io/a/b:sha-abc: not found'));
    expect(await findRemoteDigest(docker, 'ghcr.io/a/b:sha-abc')).toBeUndefined();
  });

  test('any other failure stops the run', async () => {
    const docker = jest.fn(async () => result(1, '', 'ERROR: unauthorized: authentication required'));
    await expect(findRemoteDigest(docker, 'ghcr.io/a/b:x')).rejects.toThrow(DeploymentFailure);
  });
});

test('retagRemote adds every tag in one imagetools create', async () => {
  const docker = jest.fn(async () => result(0));
  await retagRemote(docker, `ghcr.io/a/b@${D}`, ['ghcr.io/a/b:1.2.3', 'ghcr.io/a/b:1.2']);
  expect(docker).toHaveBeenCalledWith([
    'buildx',
    'imagetools',
    'create',
    '--tag',
    'ghcr.io/a/b:1.2.3',
    '--tag',
    'ghcr.io/a/b:1.2',
    `ghcr.io/a/b@${D}`,
  ]);
});
