import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  type CreateRepositoryCommandInput,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageAlreadyExistsException,
  ImageDigestDoesNotMatchException,
  ImageTagAlreadyExistsException,
  InvalidParameterException,
  LayersNotFoundException,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  ReferencedImagesNotFoundException,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import { ManualClock } from '../src/clock';
import { pushImage } from '../src/ecr-seed';
import { expectModelConformance } from '../src/conformance';
import { startSim, type Sim } from '../src/server';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

let sim: Sim;
let ecr: ECRClient;

beforeEach(async () => {
  sim = await startSim({ clock: new ManualClock() });
  ecr = new ECRClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
});
afterEach(async () => {
  ecr.destroy();
  await sim.close();
  expectModelConformance(sim.control.requests());
});

async function manifestOf(repositoryName: string, imageTag: string, acceptedMediaTypes?: string[]) {
  const out = await ecr.send(
    new BatchGetImageCommand({ repositoryName, imageIds: [{ imageTag }], acceptedMediaTypes }),
  );
  return out.images![0];
}

describe('repositories', () => {
  test('CreateRepository returns the repository as AWS describes it', async () => {
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'team/web',
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
        encryptionConfiguration: { encryptionType: 'KMS' },
      }),
    );
    expect(repository).toMatchObject({
      repositoryName: 'team/web',
      repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/team/web',
      repositoryUri: `${REGISTRY}/team/web`,
      registryId: '123456789012',
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:123456789012:alias/aws/ecr' },
    });
    expect(repository!.createdAt).toEqual(new Date(Date.UTC(2026, 0, 1)));
  });

  test.each([
    ['Upper', 'repositoryName'],
    ['a', 'repositoryName'],
    ['web-', 'repositoryName'],
    ['-web', 'repositoryName'],
    ['web//api', 'repositoryName'],
  ])('CreateRepository rejects the name %p', async (repositoryName, field) => {
    const error = await ecr.send(new CreateRepositoryCommand({ repositoryName })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain(field);
  });

  test.each([
    [
      'filters without an exclusion mode',
      {
        imageTagMutability: 'IMMUTABLE',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'x' }],
      },
    ],
    ['an exclusion mode without filters', { imageTagMutability: 'MUTABLE_WITH_EXCLUSION' }],
    [
      'six filters',
      {
        imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: Array.from({ length: 6 }, () => ({ filterType: 'WILDCARD', filter: 'x' })),
      },
    ],
    [
      'a filter with a space',
      {
        imageTagMutability: 'MUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'a b' }],
      },
    ],
    ['an unknown mutability', { imageTagMutability: 'SOMETIMES' }],
    ['a KMS key with AES256', { encryptionConfiguration: { encryptionType: 'AES256', kmsKey: 'k' } }],
  ])('CreateRepository rejects %s', async (_case, settings) => {
    // Deliberately invalid values, past the SDK's types.
    const input = { repositoryName: 'web', ...settings } as unknown as CreateRepositoryCommandInput;
    const error = await ecr.send(new CreateRepositoryCommand(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  test('a second CreateRepository fails; DescribeRepositories finds, pages and misses', async () => {
    for (const name of ['a1', 'a2', 'a3']) await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    await expect(ecr.send(new CreateRepositoryCommand({ repositoryName: 'a1' }))).rejects.toBeInstanceOf(
      RepositoryAlreadyExistsException,
    );
    const first = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2 }));
    const second = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect([...first.repositories!, ...second.repositories!].map((r) => r.repositoryName)).toEqual(['a1', 'a2', 'a3']);
    expect(second.nextToken).toBeUndefined();
    const error = await ecr
      .send(new DescribeRepositoriesCommand({ repositoryNames: ['nope'] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryNotFoundException);
    expect((error as Error).message).toBe(
      "The repository with name 'nope' does not exist in the registry with id '123456789012'",
    );
  });

  test('PutLifecyclePolicy accepts a valid policy and rejects broken ones', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'web' }));
    const rule = {
      rulePriority: 1,
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
      action: { type: 'expire' },
    };
    const text = JSON.stringify({ rules: [rule] });
    const out = await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'web', lifecyclePolicyText: text }));
    expect(out.lifecyclePolicyText).toBe(text);
    const broken = [
      `${'{'.repeat(1)} not json ${' '.repeat(100)}`,
      JSON.stringify({ rules: [{ ...rule, selection: { ...rule.selection, tagStatus: 'tagged' } }] }),
      JSON.stringify({ rules: [rule, { ...rule, description: 'same priority' }] }),
      JSON.stringify({
        rules: [{ ...rule, selection: { ...rule.selection, countUnit: undefined } }],
        padding: 'x'.repeat(60),
      }),
    ];
    for (const lifecyclePolicyText of broken) {
      await expect(
        ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'web', lifecyclePolicyText })),
      ).rejects.toBeInstanceOf(InvalidParameterException);
    }
  });

  test('GetAuthorizationToken answers AWS:<password>, valid 12 hours, for the regional registry', async () => {
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const [data] = authorizationData!;
    const [user, password] = Buffer.from(data.authorizationToken!, 'base64').toString().split(':');
    expect(user).toBe('AWS');
    expect(password.length).toBeGreaterThan(20);
    expect(data.expiresAt).toEqual(new Date(Date.UTC(2026, 0, 1, 12)));
    expect(data.proxyEndpoint).toBe(`https://${REGISTRY}`);
  });
});

describe('images', () => {
  test('pushImage seeds a Docker v2 image whose digest is the sha256 of its manifest', async () => {
    const digest = pushImage(sim, { repository: 'web', tag: 'v1' });
    const image = await manifestOf('web', 'v1');
    expect(image.imageId).toEqual({ imageDigest: digest, imageTag: 'v1' });
    expect(image.imageManifestMediaType).toBe(DOCKER_MANIFEST);
    expect(digest).toBe(`sha256:${createHash('sha256').update(image.imageManifest!).digest('hex')}`);
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }));
    expect(imageDetails).toEqual([
      expect.objectContaining({
        imageDigest: digest,
        imageTags: ['v1'],
        imageManifestMediaType: DOCKER_MANIFEST,
        imagePushedAt: new Date(Date.UTC(2026, 0, 1)),
      }),
    ]);
    expect(imageDetails![0].imageSizeInBytes).toBeGreaterThan(0);
  });

  test('promotion by retagging: same tag same manifest is ImageAlreadyExists, a new tag is added', async () => {
    pushImage(sim, { repository: 'web', tag: 'sha-abc' });
    const source = await manifestOf('web', 'sha-abc');
    const put = {
      repositoryName: 'web',
      imageManifest: source.imageManifest,
      imageManifestMediaType: source.imageManifestMediaType,
    };
    await expect(ecr.send(new PutImageCommand({ ...put, imageTag: 'sha-abc' }))).rejects.toBeInstanceOf(
      ImageAlreadyExistsException,
    );
    const out = await ecr.send(
      new PutImageCommand({ ...put, imageTag: 'prod', imageDigest: source.imageId!.imageDigest }),
    );
    expect(out.image!.imageId).toEqual({ imageDigest: source.imageId!.imageDigest, imageTag: 'prod' });
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }));
    expect(imageDetails![0].imageTags).toEqual(['sha-abc', 'prod']);
  });

  test('an immutable tag cannot move; an excluded tag can', async () => {
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'web',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }],
      }),
    );
    pushImage(sim, { repository: 'web', tag: 'v1' });
    pushImage(sim, { repository: 'web', tag: 'latest' });
    const other = await manifestOf('web', pushImage(sim, { repository: 'web', tag: 'v2' }) && 'v2');
    const put = {
      repositoryName: 'web',
      imageManifest: other.imageManifest,
      imageManifestMediaType: other.imageManifestMediaType,
    };
    const error = await ecr.send(new PutImageCommand({ ...put, imageTag: 'v1' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTagAlreadyExistsException);
    expect((error as ImageTagAlreadyExistsException).$metadata.httpStatusCode).toBe(400);
    await ecr.send(new PutImageCommand({ ...put, imageTag: 'latest' }));
    expect((await manifestOf('web', 'latest')).imageId!.imageDigest).toBe(other.imageId!.imageDigest);
  });

  test('a manifest whose layers are not in the repository is LayersNotFound; a wrong digest is rejected', async () => {
    pushImage(sim, { repository: 'build', tag: 'v1' });
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod' }));
    const source = await manifestOf('build', 'v1');
    const put = {
      repositoryName: 'prod',
      imageManifest: source.imageManifest,
      imageManifestMediaType: source.imageManifestMediaType,
      imageTag: 'v1',
    };
    const error = await ecr.send(new PutImageCommand(put)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LayersNotFoundException);
    expect((error as Error).message).toMatch(/^Layers with digests '\[sha256:[0-9a-f]{64}, /);
    const wrongDigest = { ...put, repositoryName: 'build', imageTag: 'v2', imageDigest: `sha256:${'0'.repeat(64)}` };
    await expect(ecr.send(new PutImageCommand(wrongDigest))).rejects.toBeInstanceOf(ImageDigestDoesNotMatchException);
    const notJson = { ...put, repositoryName: 'build', imageManifest: '{not json' };
    await expect(ecr.send(new PutImageCommand(notJson))).rejects.toBeInstanceOf(InvalidParameterException);
  });

  test('a multi-platform image is an OCI index, served only when the index type is accepted', async () => {
    const digest = pushImage(sim, { repository: 'web', tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'] });
    const index = await manifestOf('web', 'v1', [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST]);
    expect(index.imageId!.imageDigest).toBe(digest);
    expect(index.imageManifestMediaType).toBe(OCI_INDEX);
    const children = (
      JSON.parse(index.imageManifest!) as { manifests: { digest: string; platform: { architecture: string } }[] }
    ).manifests;
    expect(children.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    const single = await manifestOf('web', 'v1', [OCI_MANIFEST]);
    expect(single.imageId!.imageDigest).toBe(children[0].digest);
    expect(single.imageManifestMediaType).toBe(OCI_MANIFEST);

    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod' }));
    const error = await ecr
      .send(
        new PutImageCommand({
          repositoryName: 'prod',
          imageManifest: index.imageManifest,
          imageManifestMediaType: OCI_INDEX,
          imageTag: 'v1',
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReferencedImagesNotFoundException);
    const untagged = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'web', filter: { tagStatus: 'UNTAGGED' } }),
    );
    expect(untagged.imageDetails!.map((d) => d.imageDigest).sort()).toEqual(children.map((m) => m.digest).sort());
  });

  test('BatchGetImage reports failures per image id', async () => {
    const digest = pushImage(sim, { repository: 'web', tag: 'v1' });
    const out = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'web',
        imageIds: [
          { imageTag: 'v1' },
          { imageTag: 'missing' },
          { imageDigest: 'not-a-digest' },
          { imageTag: 'v1', imageDigest: `sha256:${'1'.repeat(64)}` },
          {},
        ],
      }),
    );
    expect(out.images!.map((i) => i.imageId)).toEqual([{ imageDigest: digest, imageTag: 'v1' }]);
    expect(out.failures!.map((f) => f.failureCode)).toEqual([
      'ImageNotFound',
      'InvalidImageDigest',
      'ImageTagDoesNotMatchDigest',
      'MissingDigestAndTag',
    ]);
  });

  test('BatchDeleteImage removes a tag, then the image with its last tag', async () => {
    const digest = pushImage(sim, { repository: 'web', tag: 'v1' });
    expect(pushImage(sim, { repository: 'web', tag: 'v1' })).toBe(digest);
    const source = await manifestOf('web', 'v1');
    await ecr.send(
      new PutImageCommand({ repositoryName: 'web', imageManifest: source.imageManifest, imageTag: 'stable' }),
    );
    await ecr.send(new BatchDeleteImageCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'v1' }] }));
    expect(
      (await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }))).imageDetails!.map((d) => d.imageTags),
    ).toEqual([['stable']]);
    const out = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'stable' }, { imageTag: 'gone' }] }),
    );
    expect(out.imageIds).toEqual([{ imageDigest: digest, imageTag: 'stable' }]);
    expect(out.failures!.map((f) => f.failureCode)).toEqual(['ImageNotFound']);
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'web' }))).imageDetails).toEqual([]);
  });

  test('a platform image of an index cannot be deleted while the index references it', async () => {
    pushImage(sim, { repository: 'web', tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'] });
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'web', filter: { tagStatus: 'UNTAGGED' } }),
    );
    const out = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName: 'web', imageIds: [{ imageDigest: imageDetails![0].imageDigest }] }),
    );
    expect(out.failures!.map((f) => f.failureCode)).toEqual(['ImageReferencedByManifestList']);
  });
});

test('the seed document creates repositories and images', async () => {
  sim.control.seed({
    ecr: {
      repositories: [
        { name: 'seeded', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } },
      ],
      images: [
        { repository: 'seeded', tag: 'v1' },
        { repository: 'other', tag: 'v1', region: 'eu-west-1' },
      ],
    },
  });
  const { repositories } = await ecr.send(new DescribeRepositoriesCommand({}));
  expect(repositories!.map((r) => [r.repositoryName, r.imageTagMutability])).toEqual([['seeded', 'IMMUTABLE']]);
  const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: 'seeded' }));
  expect(imageDetails![0]).toMatchObject({ imageTags: ['v1'], imageScanStatus: { status: 'IN_PROGRESS' } });
});
