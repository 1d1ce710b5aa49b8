import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { pushImage } from '@shipyard/aws-sim/ecr-seed';
import { REGISTRY, SHA, startE2e, type E2e } from '@shipyard/testkit/fixtures/build-push/e2e';

// Promotion by digest (BatchGetImage + PutImage), inputs rejected before any call, and a non-ECR registry (GHCR),
// all through the bundled dist against aws-sim, with the docker SHIM on PATH.

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e.close());

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

describe('promotion', () => {
  test('re-tags a multi-platform image in the same repository by digest, idempotently', async () => {
    const digest = pushImage(e2e.sim, {
      repository: 'rideshare-web',
      tag: `staging-${SHA}`,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    e2e.reset();
    const inputs = {
      repository: 'rideshare-web',
      'promote-from': `staging-${SHA}`,
      'tag-environment': 'production',
      'tag-sha': 'false',
    };
    const run = await e2e.run(inputs);
    expect(run.conclusion).toBe('success');
    expect(run.outputs).toMatchObject({
      promoted: 'true',
      skipped: 'false',
      digest,
      'image-ref': `${REGISTRY}/rideshare-web@${digest}`,
    });
    expect(e2e.dockerCalls()).toEqual([]);
    const [get] = e2e.sim.control.requests({ operation: 'BatchGetImage' });
    expect((get.params as { acceptedMediaTypes: string[] }).acceptedMediaTypes).toEqual(
      expect.arrayContaining([OCI_INDEX, 'application/vnd.docker.distribution.manifest.list.v2+json']),
    );
    const [put] = e2e.sim.control.requests({ operation: 'PutImage' });
    expect(put.params).toMatchObject({
      imageTag: `production-${SHA}`,
      imageManifestMediaType: OCI_INDEX,
      imageDigest: digest,
    });
    const { imageDetails } = await e2e.ecr.send(
      new DescribeImagesCommand({ repositoryName: 'rideshare-web', imageIds: [{ imageTag: `production-${SHA}` }] }),
    );
    expect(imageDetails?.[0]).toMatchObject({ imageDigest: digest, imageManifestMediaType: OCI_INDEX });

    e2e.reset();
    const again = await e2e.run(inputs);
    expect(again.conclusion).toBe('success');
    expect(e2e.sim.control.requests({ operation: 'PutImage' })[0].errorCode).toBe('ImageAlreadyExistsException');
    expect(again.summary).toContain(`\`production-${SHA}\` (already there)`);
  });

  test('needs no Docker: with no docker on PATH, two ECR calls re-tag the image', async () => {
    const digest = pushImage(e2e.sim, { repository: 'wheelsup-api', tag: 'staging-9' });
    const emptyBin = mkdtempSync(join(tmpdir(), 'no-docker-'));
    try {
      e2e.reset();
      const run = await e2e.run(
        {
          registry: REGISTRY,
          repository: 'wheelsup-api',
          'promote-from': 'staging-9',
          tags: 'production-9',
          'tag-sha': 'false',
        },
        { PATH: emptyBin },
      );
      expect(run.conclusion).toBe('success');
      expect(run.post?.conclusion).toBe('success');
      expect(run.outputs).toMatchObject({ registry: REGISTRY, promoted: 'true', digest });
      expect(e2e.sim.control.requests().map((r) => r.operation)).toEqual(['BatchGetImage', 'PutImage']);
      expect(run.log).toContain(`Promoting within ${REGISTRY} through the ECR API: no docker login needed.`);
      expect(run.log).not.toContain('Unable to locate executable file');
    } finally {
      rmSync(emptyBin, { recursive: true, force: true });
    }
  });

  test('an immutable tag that already names another image is a clear error', async () => {
    e2e.sim.control.seed({ ecr: { repositories: [{ name: 'immutable-api', imageTagMutability: 'IMMUTABLE' }] } });
    const staged = pushImage(e2e.sim, { repository: 'immutable-api', tag: 'staging-2' });
    const live = pushImage(e2e.sim, { repository: 'immutable-api', tag: 'production' });
    e2e.reset();
    const run = await e2e.run({
      repository: 'immutable-api',
      'promote-from': 'staging-2',
      tags: 'production',
      'tag-sha': 'false',
    });
    expect(run.conclusion).toBe('failure');
    expect(run.annotations.at(-1)?.message).toBe(
      `build-push: Tag "production" is immutable in repository "immutable-api" and already points to ${live}, not ${staged}.`,
    );
    expect(run.log).toContain('IMMUTABLE_WITH_EXCLUSION');
  });

  test('promoting across repositories without the layers explains replication', async () => {
    pushImage(e2e.sim, { repository: 'staging/web', tag: 'v7' });
    e2e.sim.control.seed({ ecr: { repositories: [{ name: 'prod/web' }] } });
    e2e.reset();
    const run = await e2e.run({
      repository: 'prod/web',
      'promote-from': 'staging/web:v7',
      tags: 'v7',
      'tag-sha': 'false',
    });
    expect(run.conclusion).toBe('failure');
    expect(run.annotations.at(-1)?.message).toMatch(
      /^build-push: The layers of staging\/web@sha256:[a-f0-9]{64} are not in repository "prod\/web", so ECR cannot tag it there \(LayersNotFoundException\)\.$/,
    );
    expect(run.log).toContain('PutImage only re-tags: it never copies layers between repositories.');
    expect(run.log).toContain('ECR replication rules');
  });

  test('a source that does not exist is named', async () => {
    e2e.reset();
    const run = await e2e.run({ repository: 'rideshare-web', 'promote-from': 'staging-missing' });
    expect(run.annotations.at(-1)?.message).toBe(
      'build-push: Image rideshare-web:staging-missing was not found (ImageNotFound: Requested image not found).',
    );
    expect(e2e.sim.control.mutatingRequests()).toEqual([]);
  });
});

describe('bad inputs: a clear error, no AWS call, no docker call', () => {
  test.each<[string, Record<string, string>, string]>([
    [
      'bad repository name',
      { repository: 'Rideshare_API' },
      'build-push: Input "repository" must be lower-case (registries reject upper-case repository names), got "Rideshare_API"; did you mean "rideshare_api"?',
    ],
    [
      'unknown severity',
      { repository: 'web', 'scan-severity-threshold': 'SEVERE' },
      'build-push: Input "scan-severity-threshold" must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNDEFINED, got "SEVERE".',
    ],
    [
      'promote-from with build inputs',
      { repository: 'web', 'promote-from': 'staging-1', context: 'app' },
      'build-push: Inputs "promote-from" and "context" cannot be used together: promotion re-tags an image that exists, it builds nothing.',
    ],
    [
      'promote-from with registry-ids',
      { repository: 'web', 'promote-from': 'staging-1', 'registry-ids': '210987654321' },
      'build-push: Inputs "promote-from" and "registry-ids" cannot be used together: promotion re-tags an image that exists, it builds nothing.',
    ],
    [
      'repository settings without create-repository',
      { repository: 'web', encryption: 'KMS' },
      'build-push: Input "encryption" only applies when "create-repository" is true (an existing repository is never changed).',
    ],
    [
      'missing Dockerfile',
      { repository: 'web', context: 'services/api' },
      'build-push: Input "context" names "services/api", which is not a directory in the workspace.',
    ],
  ])('%s', async (_name, inputs, message) => {
    e2e.reset();
    const run = await e2e.run(inputs);
    expect(run.conclusion).toBe('failure');
    expect(run.annotations).toEqual([{ level: 'error', message, properties: {} }]);
    expect(e2e.sim.control.mutatingRequests()).toEqual([]);
    expect(e2e.sim.control.requests()).toEqual([]);
    expect(e2e.dockerCalls()).toEqual([]);
    expect(run.summary).toContain(`| Failure | ${message.slice('build-push: '.length).replace(/\|/g, '\\|')} |`);
  });
});

describe('GHCR (Aviation Weather)', () => {
  const inputs = {
    registry: 'ghcr.io',
    repository: 'acme/aviation-weather-frontend',
    username: 'octocat',
    password: 'ghp_T0kenValue',
    context: 'app',
    'tag-branch': 'true',
    cache: 'registry',
  };
  const image = 'ghcr.io/acme/aviation-weather-frontend';

  test('logs in with the token on stdin, builds with a registry cache, makes no AWS call', async () => {
    e2e.reset();
    const run = await e2e.run(inputs);
    expect(run.conclusion).toBe('success');
    const [version, login, inspect, build, logout] = e2e.dockerCalls();
    expect(version.argv).toEqual(['buildx', 'version']);
    expect(login).toMatchObject({
      argv: ['login', '--username', 'octocat', '--password-stdin', 'ghcr.io'],
      stdin: 'ghp_T0kenValue',
    });
    expect(run.masks).toContain('ghp_T0kenValue');
    expect(inspect.argv).toEqual([
      'buildx',
      'imagetools',
      'inspect',
      `${image}:sha-6dcb09b`,
      '--format',
      '{{json .Manifest}}',
    ]);
    expect(build.argv).toEqual(expect.arrayContaining(['--tag', `${image}:sha-6dcb09b`, '--tag', `${image}:main`]));
    expect(build.argv).toEqual(
      expect.arrayContaining([
        '--cache-to',
        `type=registry,ref=${image}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true`,
      ]),
    );
    expect(logout.argv).toEqual(['logout', 'ghcr.io']);
    expect(run.outputs).toMatchObject({ registry: 'ghcr.io', image: `${image}:sha-6dcb09b`, skipped: 'false' });
    expect(e2e.sim.control.requests()).toEqual([]);
  });

  test('a second run on another branch skips the build and adds the branch tag', async () => {
    e2e.reset();
    const run = await e2e.run(inputs, { GITHUB_REF: 'refs/heads/release' });
    expect(run.conclusion).toBe('success');
    expect(run.outputs.skipped).toBe('true');
    const digest = e2e.standIn.generic.get(`${image}:sha-6dcb09b`);
    expect(run.outputs.digest).toBe(digest);
    expect(e2e.dockerCalls()[3].argv).toEqual([
      'buildx',
      'imagetools',
      'create',
      '--tag',
      `${image}:release`,
      `${image}@${digest}`,
    ]);
    expect(e2e.standIn.generic.get(`${image}:release`)).toBe(digest);
  });
});
