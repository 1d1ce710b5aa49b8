import { ConfigError, DeploymentFailure } from '@shipyard/platform/errors';
import {
  ACCEPTED_MEDIA_TYPES,
  fetchManifest,
  MEDIA_TYPES,
  platformDigests,
  putTags,
  type Manifest,
} from '../src/promote';
import { awsError, fakeEcr } from './fixtures/fake-ecr';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.dockerManifest, config: {}, layers: [] });

describe('fetchManifest', () => {
  test('asks for every manifest type, index types included, and keeps the exact bytes', async () => {
    const ecr = fakeEcr({
      batchGetImage: async () => ({
        images: [
          {
            imageId: { imageDigest: D('a') },
            imageManifest: MANIFEST,
            imageManifestMediaType: MEDIA_TYPES.dockerManifest,
          },
        ],
      }),
    });
    const manifest = await fetchManifest(ecr, '123456789012', { repository: 'web', tag: 'staging-abc' });
    expect(ecr.batchGetImage).toHaveBeenCalledWith({
      registryId: '123456789012',
      repositoryName: 'web',
      imageIds: [{ imageTag: 'staging-abc' }],
      acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
    });
    expect(ACCEPTED_MEDIA_TYPES).toEqual(
      expect.arrayContaining([
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ]),
    );
    expect(manifest).toEqual({
      repository: 'web',
      digest: D('a'),
      text: MANIFEST,
      mediaType: MEDIA_TYPES.dockerManifest,
    });
  });

  test('the media type falls back to the manifest own field', async () => {
    const index = JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] });
    const ecr = fakeEcr({
      batchGetImage: async () => ({ images: [{ imageId: { imageDigest: D('b') }, imageManifest: index }] }),
    });
    expect((await fetchManifest(ecr, undefined, { repository: 'web', digest: D('b') })).mediaType).toBe(
      MEDIA_TYPES.ociIndex,
    );
  });

  test('a missing image is a clear error naming it', async () => {
    const ecr = fakeEcr({
      batchGetImage: async () => ({
        images: [],
        failures: [
          { imageId: { imageTag: 'nope' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
        ],
      }),
    });
    const error = await fetchManifest(ecr, undefined, { repository: 'web', tag: 'nope' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('Image web:nope was not found (ImageNotFound: Requested image not found).');
  });

  test('a missing repository is a clear error', async () => {
    const ecr = fakeEcr({ batchGetImage: async () => Promise.reject(awsError('RepositoryNotFoundException')) });
    await expect(fetchManifest(ecr, undefined, { repository: 'web', tag: 'x' })).rejects.toThrow(
      'Image web:x cannot be read: repository "web" does not exist.',
    );
  });
});

const manifest = (repository = 'web'): Manifest => ({
  repository,
  digest: D('a'),
  text: MANIFEST,
  mediaType: MEDIA_TYPES.dockerManifest,
});

describe('putTags', () => {
  test('puts each tag with the manifest bytes, media type and digest; ImageAlreadyExists counts as success', async () => {
    const ecr = fakeEcr({
      putImage: async (input) => {
        if (input.imageTag === 'sha-abc') throw awsError('ImageAlreadyExistsException');
        return {};
      },
    });
    const outcomes = await putTags(ecr, { registryId: '123456789012', repository: 'web' }, manifest(), [
      'sha-abc',
      'production-abc',
    ]);
    expect(outcomes).toEqual({ 'sha-abc': 'already there', 'production-abc': 'added' });
    expect(ecr.putImage).toHaveBeenLastCalledWith({
      registryId: '123456789012',
      repositoryName: 'web',
      imageManifest: MANIFEST,
      imageManifestMediaType: MEDIA_TYPES.dockerManifest,
      imageDigest: D('a'),
      imageTag: 'production-abc',
    });
  });

  test('an immutable tag already elsewhere names both digests', async () => {
    const ecr = fakeEcr({
      putImage: async () => Promise.reject(awsError('ImageTagAlreadyExistsException')),
      describeImages: async () => ({ imageDetails: [{ imageDigest: D('c') }] }),
    });
    const error = (await putTags(ecr, { repository: 'web' }, manifest(), ['production']).catch(
      (e: unknown) => e,
    )) as DeploymentFailure;
    expect(error).toBeInstanceOf(DeploymentFailure);
    expect(error.message).toBe(
      `Tag "production" is immutable in repository "web" and already points to ${D('c')}, not ${D('a')}.`,
    );
    expect(error.details).toContain('IMMUTABLE_WITH_EXCLUSION');
  });

  test('missing layers across repositories explain replication', async () => {
    const ecr = fakeEcr({ putImage: async () => Promise.reject(awsError('LayersNotFoundException')) });
    const error = (await putTags(ecr, { repository: 'prod/web' }, manifest('staging/web'), ['v1']).catch(
      (e: unknown) => e,
    )) as DeploymentFailure;
    expect(error.message).toBe(
      `The layers of staging/web@${D('a')} are not in repository "prod/web", so ECR cannot tag it there (LayersNotFoundException).`,
    );
    expect(error.details).toContain('PutImage only re-tags: it never copies layers between repositories.');
    expect(error.details).toContain('replication');
  });

  test('any other error names the tag not written and the tags already written', async () => {
    const denied = awsError('AccessDeniedException');
    const ecr = fakeEcr({
      putImage: async (input) => (input.imageTag === 'v2' ? Promise.reject(denied) : {}),
    });
    await expect(putTags(ecr, { repository: 'web' }, manifest(), ['v1', 'v2'])).rejects.toThrow(
      /^Tag "v2" was not written to repository "web" \(.*AccessDeniedException.*\); already tagged: v1\.$/,
    );
  });
});

describe('platformDigests', () => {
  test('a single manifest is its own platform', () => {
    expect(platformDigests(manifest())).toEqual([D('a')]);
  });

  test('an index lists its platforms, not the attestation entries', () => {
    const text = JSON.stringify({
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [
        { digest: D('1'), platform: { os: 'linux', architecture: 'amd64' } },
        { digest: D('2'), platform: { os: 'linux', architecture: 'arm64' } },
        {
          digest: D('3'),
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    });
    expect(platformDigests({ repository: 'web', digest: D('9'), text, mediaType: MEDIA_TYPES.ociIndex })).toEqual([
      D('1'),
      D('2'),
    ]);
  });
});
