import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeImagesCommand, DescribeRepositoriesCommand, GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { pushImage } from '@shipyard/aws-sim/ecr-seed';
import { flagValues, REGISTRY, SHA, startE2e, type E2e } from '@shipyard/testkit/fixtures/build-push/e2e';
import { PUSH_CALLS } from '@shipyard/testkit/fixtures/build-push/registry-stand-in';

// Runs the bundled dist (npm run bundle build-push) against aws-sim, with a docker SHIM on PATH standing in for
// the Docker CLI: it records argv/stdin and pushes into aws-sim, but builds nothing (see the README's gaps).

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e.close());

const LIFECYCLE =
  '{"rules":[{"rulePriority":1,"description":"expire untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}';

describe('build and push to ECR', () => {
  let run: Awaited<ReturnType<E2e['run']>>;
  let operations: string[];
  beforeAll(async () => {
    e2e.reset();
    run = await e2e.run({
      repository: 'rideshare-api',
      context: 'app',
      platforms: 'linux/amd64',
      'build-args': 'NODE_ENV=production',
      secrets: 'npm_token=npm-s3cr3t-value',
      'tag-environment': 'production',
      'tag-latest': 'true',
      'create-repository': 'true',
      'tag-mutability': 'IMMUTABLE_WITH_EXCLUSION',
      'tag-mutability-exclusions': 'latest',
      encryption: 'KMS',
      'kms-key': 'alias/rideshare',
      'lifecycle-policy': LIFECYCLE,
    });
    operations = e2e.sim.control.requests().map((r) => r.operation);
  });

  test('succeeds, main and post', () => {
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(run.conclusion).toBe('success');
    expect(run.post?.conclusion).toBe('success');
  });

  test('logs in with the ECR password on stdin only, masked', () => {
    const login = e2e.dockerCalls().find((call) => call.argv[0] === 'login')!;
    expect(login.argv).toEqual(['login', '--username', 'AWS', '--password-stdin', REGISTRY]);
    expect(login.stdin.length).toBeGreaterThan(10);
    expect(run.masks).toContain(login.stdin);
    const printed = run.rawLog.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(printed.join('\n')).not.toContain(login.stdin);
    for (const call of e2e.dockerCalls()) expect(call.argv.join(' ')).not.toContain(login.stdin);
  });

  test('runs buildx with metadata and iid files, provenance off, GitHub cache, secret by env', () => {
    const build = e2e.dockerCalls().find((call) => call.argv[1] === 'build')!;
    const image = `${REGISTRY}/rideshare-api`;
    expect(build.argv.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(flagValues(build.argv, '--tag')).toEqual([
      `${image}:production-${SHA}`,
      `${image}:sha-6dcb09b`,
      `${image}:latest`,
    ]);
    expect(flagValues(build.argv, '--platform')).toEqual(['linux/amd64']);
    expect(flagValues(build.argv, '--build-arg')).toEqual(['NODE_ENV=production']);
    expect(flagValues(build.argv, '--secret')).toEqual(['id=npm_token,env=SHIPYARD_BUILD_SECRET_0']);
    expect(build.secretEnv).toEqual({ SHIPYARD_BUILD_SECRET_0: 'npm-s3cr3t-value' });
    expect(build.argv.join(' ')).not.toContain('npm-s3cr3t-value');
    expect(flagValues(build.argv, '--cache-from')).toEqual(['type=gha,scope=rideshare-api']);
    expect(flagValues(build.argv, '--cache-to')).toEqual(['type=gha,mode=max,scope=rideshare-api,ignore-error=true']);
    expect(build.argv).toContain('--provenance=false');
    expect(flagValues(build.argv, '--metadata-file')[0]).toMatch(/metadata\.json$/);
    expect(flagValues(build.argv, '--iidfile')[0]).toMatch(/iid\.txt$/);
    expect(flagValues(build.argv, '--label')).toEqual(
      expect.arrayContaining([
        'org.opencontainers.image.source=https://github.com/acme/rideshare',
        `org.opencontainers.image.revision=${SHA}`,
        'org.opencontainers.image.title=rideshare-api',
      ]),
    );
    expect(build.argv.slice(-2)).toEqual(['--push', 'app']);
  });

  test('a secret the build prints shows as *** in the log', () => {
    expect(run.log).toContain('#7 0.2 token is ***');
    expect(run.log).not.toContain('npm-s3cr3t-value');
  });

  test('sets the outputs from the pushed digest', async () => {
    const digest = run.outputs.digest;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    const images = await e2e.ecr.send(
      new DescribeImagesCommand({ repositoryName: 'rideshare-api', imageIds: [{ imageTag: 'latest' }] }),
    );
    expect(images.imageDetails?.[0].imageDigest).toBe(digest);
    expect(run.outputs).toEqual({
      registry: REGISTRY,
      image: `${REGISTRY}/rideshare-api:production-${SHA}`,
      'image-ref': `${REGISTRY}/rideshare-api@${digest}`,
      digest,
      tags: [`production-${SHA}`, 'sha-6dcb09b', 'latest'].map((t) => `${REGISTRY}/rideshare-api:${t}`).join('\n'),
      skipped: 'false',
      promoted: 'false',
    });
  });

  test('creates the repository with the requested settings', async () => {
    const { repositories } = await e2e.ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: ['rideshare-api'] }),
    );
    expect(repositories?.[0]).toMatchObject({
      imageScanningConfiguration: { scanOnPush: true },
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filter: 'latest', filterType: 'WILDCARD' }],
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'alias/rideshare' },
    });
    const policy = await e2e.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'rideshare-api' }));
    expect(JSON.parse(policy.lifecyclePolicyText!)).toEqual(JSON.parse(LIFECYCLE));
  });

  test('calls ECR in order: token, repository, image lookup, then the push through the registry API', () => {
    expect(operations).toEqual([
      'GetAuthorizationToken',
      'DescribeRepositories',
      'CreateRepository',
      'PutLifecyclePolicy',
      'DescribeImages',
      ...PUSH_CALLS,
    ]);
    const registryCalls = e2e.sim.control.requests({ userAgent: 'docker-shim/' });
    expect(registryCalls.map((r) => r.operation)).toEqual(operations.slice(5));
  });

  test('summarises the build and logs out in post', () => {
    expect(run.summary).toContain(`build-push: ${REGISTRY}/rideshare-api built`);
    expect(run.summary).toContain(`\`${REGISTRY}/rideshare-api@${run.outputs.digest}\``);
    expect(e2e.dockerCalls().at(-1)?.argv).toEqual(['logout', REGISTRY]);
  });
});

describe('skip what exists', () => {
  test('the first tag exists: no build, existing digest out, the release tags added by PutImage', async () => {
    const digest = pushImage(e2e.sim, { repository: 'wheelsup-web', tag: 'sha-6dcb09b' });
    e2e.reset();
    const run = await e2e.run({ repository: 'wheelsup-web', context: 'app' }, { GITHUB_REF: 'refs/tags/v1.4.0' });
    expect(run.conclusion).toBe('success');
    expect(run.outputs).toMatchObject({ skipped: 'true', digest, 'image-ref': `${REGISTRY}/wheelsup-web@${digest}` });
    expect(e2e.dockerCalls().map((c) => c.argv.slice(0, 2).join(' '))).toEqual([
      'buildx version',
      'login --username',
      `logout ${REGISTRY}`,
    ]);
    const puts = e2e.sim.control
      .requests({ operation: 'PutImage' })
      .map((r) => (r.params as { imageTag: string }).imageTag);
    expect(puts).toEqual(['1.4.0', '1.4', '1']);
    const images = await e2e.ecr.send(
      new DescribeImagesCommand({ repositoryName: 'wheelsup-web', imageIds: [{ imageTag: '1.4' }] }),
    );
    expect(images.imageDetails?.[0].imageDigest).toBe(digest);
    expect(run.summary).toContain('skipped');
  });

  test('force builds anyway', async () => {
    pushImage(e2e.sim, { repository: 'wheelsup-etl', tag: 'sha-6dcb09b' });
    e2e.reset();
    const run = await e2e.run({ repository: 'wheelsup-etl', context: 'app', force: 'true' });
    expect(run.conclusion).toBe('success');
    expect(run.outputs.skipped).toBe('false');
    expect(e2e.dockerCalls().map((c) => c.argv.slice(0, 2).join(' '))).toEqual([
      'buildx version',
      'login --username',
      'buildx build',
      'logout ' + REGISTRY,
    ]);
    expect(e2e.sim.control.requests({ operation: 'DescribeImages' })).toEqual([]);
  });
});

describe('a registry cache in ECR', () => {
  test('is read before the build and written after it; the next build pulls it', async () => {
    pushImage(e2e.sim, { repository: 'aiponge-api', tag: 'seed' });
    const inputs = { repository: 'aiponge-api', context: 'app', cache: 'registry', force: 'true' };
    const registryCalls = () =>
      e2e.sim.control.requests({ userAgent: 'docker-shim/' }).map((r) => [r.operation, r.status]);
    e2e.reset();
    expect((await e2e.run(inputs)).conclusion).toBe('success');
    // No cache yet: the manifest lookup finds nothing, the build is cold; then the image and the cache are pushed.
    const pushed = PUSH_CALLS.map((operation) => [operation, 200]);
    expect(registryCalls()).toEqual([['BatchGetImage', 200], ...pushed, ...pushed]);
    const cache = await e2e.ecr.send(
      new DescribeImagesCommand({ repositoryName: 'aiponge-api', imageIds: [{ imageTag: 'buildcache' }] }),
    );
    expect(cache.imageDetails).toHaveLength(1);
    e2e.reset();
    expect((await e2e.run(inputs)).conclusion).toBe('success');
    expect(registryCalls().slice(0, 2)).toEqual([
      ['BatchGetImage', 200],
      ['GetDownloadUrlForLayer', 200],
    ]);
  });
});

describe('a failing build', () => {
  test('shows the last 30 lines of the build, not just one', async () => {
    pushImage(e2e.sim, { repository: 'aiponge-music', tag: 'seed' });
    e2e.reset();
    const run = await e2e.run({ repository: 'aiponge-music', context: 'app' }, { DOCKER_SHIM_BUILD_FAIL: '1' });
    expect(run.conclusion).toBe('failure');
    const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.at(-1)).toBe('build-push: docker buildx build failed (exit code 1)');
    const tail = errors.find((m) => m.startsWith('docker buildx build failed (exit code 1). Last lines:'))!;
    expect(tail.split('\n')).toHaveLength(31);
    expect(tail).toContain('npm ERR! build line 12\n');
    expect(tail).not.toContain('build line 11\n');
    expect(tail).toContain(
      'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
    );
    expect(run.log).toContain('Last 30 lines of the build:');
    expect(run.summary).toContain('Last lines of the build');
    expect(run.outputs.digest).toBeUndefined();
  });

  test('a push into a repository that does not exist fails with the registry’s words', async () => {
    e2e.reset();
    const run = await e2e.run({ repository: 'no-such-repo', context: 'app', force: 'true' });
    expect(run.conclusion).toBe('failure');
    expect(run.log).toContain("name unknown: The repository with name 'no-such-repo' does not exist");
  });
});

describe('a runner without Docker', () => {
  test('no docker on PATH: the build stops before any AWS call, naming what is missing', async () => {
    const emptyBin = mkdtempSync(join(tmpdir(), 'no-docker-'));
    try {
      e2e.reset();
      const run = await e2e.run({ repository: 'rideshare-api', context: 'app' }, { PATH: emptyBin });
      expect(run.conclusion).toBe('failure');
      expect(run.annotations).toEqual([
        {
          level: 'error',
          message:
            'build-push: Building "app" (input "context") needs Docker, but no "docker" executable is on PATH. Run ' +
            "this step on a runner with Docker (GitHub's Ubuntu runners have it); to re-tag an image already in ECR, " +
            'set "promote-from" instead, which needs no Docker.',
          properties: {},
        },
      ]);
      expect(run.log).not.toContain('Unable to locate executable file');
      expect(e2e.sim.control.requests()).toEqual([]);
      expect(run.post?.conclusion).toBe('success');
    } finally {
      rmSync(emptyBin, { recursive: true, force: true });
    }
  });

  test('docker without buildx: the build stops before any login, saying to set buildx up', async () => {
    e2e.reset();
    const run = await e2e.run({ repository: 'rideshare-api', context: 'app' }, { DOCKER_SHIM_NO_BUILDX: '1' });
    expect(run.conclusion).toBe('failure');
    expect(run.annotations.at(-1)?.message).toBe(
      'build-push: Building "app" (input "context") needs docker buildx, but "docker buildx version" failed ' +
        '(exit code 1: docker: unknown command: docker buildx). Add docker/setup-buildx-action before this step.',
    );
    expect(e2e.dockerCalls().map((c) => c.argv)).toEqual([['buildx', 'version']]);
    expect(e2e.sim.control.requests()).toEqual([]);
  });
});
