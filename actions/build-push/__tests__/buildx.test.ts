import { buildArgs, readBuildDigest, secretEnv, secretEnvName, type BuildPlan } from '../src/buildx';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/web';
const BASE: BuildPlan = {
  context: '.',
  file: '',
  target: '',
  platforms: [],
  buildArgs: {},
  secretIds: [],
  secretFiles: {},
  cache: { type: 'none' },
  provenance: 'false',
  sbom: '',
  builder: '',
  push: true,
  labels: {},
  tags: [`${IMAGE}:sha-abc1234`],
  metadataFile: '/tmp/b/metadata.json',
  iidFile: '/tmp/b/iid.txt',
};
const TAIL = [
  '--provenance=false',
  '--metadata-file',
  '/tmp/b/metadata.json',
  '--iidfile',
  '/tmp/b/iid.txt',
  '--push',
  '.',
];

describe('buildArgs', () => {
  test.each<[string, Partial<BuildPlan>, string[]]>([
    ['defaults: single manifest, no provenance, push', {}, ['--tag', `${IMAGE}:sha-abc1234`, ...TAIL]],
    [
      'context, file, target, builder',
      { context: 'services/api', file: 'services/api/Dockerfile.prod', target: 'runtime', builder: 'ci' },
      [
        '--builder',
        'ci',
        '--file',
        'services/api/Dockerfile.prod',
        '--target',
        'runtime',
        '--tag',
        `${IMAGE}:sha-abc1234`,
        ...TAIL.slice(0, -1),
        'services/api',
      ],
    ],
    [
      'platforms joined',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      ['--platform', 'linux/amd64,linux/arm64', '--tag', `${IMAGE}:sha-abc1234`, ...TAIL],
    ],
    [
      'build args and labels as KEY=value (values may hold =)',
      { buildArgs: { NODE_ENV: 'production', Q: 'a=b' }, labels: { 'org.opencontainers.image.revision': 'abc' } },
      [
        '--build-arg',
        'NODE_ENV=production',
        '--build-arg',
        'Q=a=b',
        '--label',
        'org.opencontainers.image.revision=abc',
        '--tag',
        `${IMAGE}:sha-abc1234`,
        ...TAIL,
      ],
    ],
    ['every tag', { tags: [`${IMAGE}:a`, `${IMAGE}:b`] }, ['--tag', `${IMAGE}:a`, '--tag', `${IMAGE}:b`, ...TAIL]],
    [
      'secrets by env name, secret files by path',
      { secretIds: ['npm_token', 'pip'], secretFiles: { netrc: '/home/runner/.netrc' } },
      [
        '--tag',
        `${IMAGE}:sha-abc1234`,
        '--secret',
        'id=npm_token,env=SHIPYARD_BUILD_SECRET_0',
        '--secret',
        'id=pip,env=SHIPYARD_BUILD_SECRET_1',
        '--secret',
        'id=netrc,src=/home/runner/.netrc',
        ...TAIL,
      ],
    ],
    [
      'GitHub cache with ignore-error',
      { cache: { type: 'gha', scope: 'web', mode: 'max' } },
      [
        '--tag',
        `${IMAGE}:sha-abc1234`,
        '--cache-from',
        'type=gha,scope=web',
        '--cache-to',
        'type=gha,mode=max,scope=web,ignore-error=true',
        ...TAIL,
      ],
    ],
    [
      'registry cache on ECR as an OCI image manifest',
      { cache: { type: 'registry', ref: `${IMAGE}:buildcache`, mode: 'min' } },
      [
        '--tag',
        `${IMAGE}:sha-abc1234`,
        '--cache-from',
        `type=registry,ref=${IMAGE}:buildcache`,
        '--cache-to',
        `type=registry,ref=${IMAGE}:buildcache,mode=min,image-manifest=true,oci-mediatypes=true,ignore-error=true`,
        ...TAIL,
      ],
    ],
    [
      'provenance and sbom when asked',
      { provenance: 'mode=max', sbom: 'true' },
      ['--tag', `${IMAGE}:sha-abc1234`, '--provenance=mode=max', '--sbom=true', ...TAIL.slice(1)],
    ],
    ['no push', { push: false }, ['--tag', `${IMAGE}:sha-abc1234`, ...TAIL.filter((a) => a !== '--push')]],
  ])('%s', (_name, overrides, expected) => {
    expect(buildArgs({ ...BASE, ...overrides })).toEqual(['buildx', 'build', ...expected]);
  });

  test('secret values never reach argv', () => {
    const values = { npm_token: 'npm_s3cr3t', pip: 'p1p-s3cr3t' };
    const args = buildArgs({ ...BASE, secretIds: Object.keys(values) });
    expect(args.join(' ')).not.toMatch(/s3cr3t/);
    expect(secretEnv(Object.keys(values), values)).toEqual({
      SHIPYARD_BUILD_SECRET_0: 'npm_s3cr3t',
      SHIPYARD_BUILD_SECRET_1: 'p1p-s3cr3t',
    });
  });

  test('secret env names cannot clash, whatever the ids', () => {
    expect(new Set([0, 1, 2].map(secretEnvName)).size).toBe(3);
  });
});

describe('readBuildDigest', () => {
  const digest = `sha256:${'b'.repeat(64)}`;
  test.each<[string | undefined, string | undefined]>([
    [JSON.stringify({ 'containerimage.digest': digest, 'image.name': `${IMAGE}:x` }), digest],
    [JSON.stringify({ 'containerimage.config.digest': digest }), undefined],
    [JSON.stringify({ 'containerimage.digest': 'sha256:short' }), undefined],
    ['{"containerimage.dig', undefined],
    [undefined, undefined],
  ])('%j → %j', (text, expected) => {
    expect(readBuildDigest(text)).toBe(expected);
  });
});
