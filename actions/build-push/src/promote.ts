import { ConfigError, DeploymentFailure, describeError } from '@shipyard/platform/errors';
import { isAwsError, type EcrApi } from './ecr';
import type { ImageSource } from './registry';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/**
 * Every manifest type we can re-tag. Without the index types ECR answers a multi-platform image with one
 * platform's manifest, and re-tagging that would silently drop the other platforms.
 */
export const ACCEPTED_MEDIA_TYPES = Object.values(MEDIA_TYPES);

export interface Manifest {
  repository: string;
  digest: string;
  /** The exact bytes ECR stored: re-putting them unchanged keeps the digest. */
  text: string;
  mediaType: string;
}

export interface EcrTarget {
  registryId?: string;
  repository: string;
}

/** BatchGetImage for one tag or digest, with clear errors for a missing repository or image. */
export async function fetchManifest(
  api: EcrApi,
  registryId: string | undefined,
  source: ImageSource,
): Promise<Manifest> {
  const imageId = source.digest ? { imageDigest: source.digest } : { imageTag: source.tag };
  const what = `${source.repository}${source.digest ? `@${source.digest}` : `:${source.tag}`}`;
  let response;
  try {
    response = await api.batchGetImage({
      registryId,
      repositoryName: source.repository,
      imageIds: [imageId],
      acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
    });
  } catch (error) {
    if (isAwsError(error, 'RepositoryNotFoundException')) {
      throw new ConfigError(`Image ${what} cannot be read: repository "${source.repository}" does not exist.`);
    }
    throw error;
  }
  const image = response.images?.[0];
  if (!image?.imageManifest || !image.imageId?.imageDigest) {
    const failure = response.failures?.[0];
    const reason = failure ? `${failure.failureCode}: ${failure.failureReason}` : 'no image returned';
    throw new ConfigError(`Image ${what} was not found (${reason}).`);
  }
  return {
    repository: source.repository,
    digest: image.imageId.imageDigest,
    text: image.imageManifest,
    mediaType: image.imageManifestMediaType ?? mediaTypeOf(image.imageManifest),
  };
}

function mediaTypeOf(text: string): string {
  try {
    const mediaType = (JSON.parse(text) as { mediaType?: unknown }).mediaType;
    return typeof mediaType === 'string' ? mediaType : MEDIA_TYPES.dockerManifest;
  } catch {
    return MEDIA_TYPES.dockerManifest;
  }
}

export function isIndex(manifest: Manifest): boolean {
  return manifest.mediaType === MEDIA_TYPES.ociIndex || manifest.mediaType === MEDIA_TYPES.dockerManifestList;
}

/** The platform manifests of an index, without buildx's attestation entries (`unknown/unknown`). */
export function platformDigests(manifest: Manifest): string[] {
  if (!isIndex(manifest)) return [manifest.digest];
  const children =
    (
      JSON.parse(manifest.text) as {
        manifests?: { digest?: string; platform?: { os?: string }; annotations?: Record<string, string> }[];
      }
    ).manifests ?? [];
  return children
    .filter((c) => c.platform?.os !== 'unknown' && !c.annotations?.['vnd.docker.reference.type'])
    .map((c) => c.digest)
    .filter((digest): digest is string => typeof digest === 'string');
}

export type TagOutcome = 'added' | 'already there';

/**
 * Points each tag at the manifest with PutImage, in `target`. Idempotent: ImageAlreadyExists (the tag already
 * names this manifest) counts as success. An immutable tag naming another image, or layers missing from the target
 * repository, stop with an explanation.
 */
export async function putTags(
  api: EcrApi,
  target: EcrTarget,
  manifest: Manifest,
  tags: string[],
): Promise<Record<string, TagOutcome>> {
  const outcomes: Record<string, TagOutcome> = {};
  for (const tag of tags) {
    try {
      await api.putImage({
        registryId: target.registryId,
        repositoryName: target.repository,
        imageManifest: manifest.text,
        imageManifestMediaType: manifest.mediaType,
        imageDigest: manifest.digest,
        imageTag: tag,
      });
      outcomes[tag] = 'added';
    } catch (error) {
      if (isAwsError(error, 'ImageAlreadyExistsException')) outcomes[tag] = 'already there';
      else throw await explainPutImageError(api, target, manifest, tag, error, Object.keys(outcomes));
    }
  }
  return outcomes;
}

async function explainPutImageError(
  api: EcrApi,
  target: EcrTarget,
  manifest: Manifest,
  tag: string,
  error: unknown,
  tagsDone: string[],
): Promise<unknown> {
  if (isAwsError(error, 'ImageTagAlreadyExistsException')) {
    const current = await currentDigest(api, target, tag);
    return new DeploymentFailure(
      `Tag "${tag}" is immutable in repository "${target.repository}" and already points to ` +
        `${current ?? 'another image'}, not ${manifest.digest}.`,
      'Immutable tags cannot be moved. Use a tag that names the content (e.g. <env>-<sha>), or exempt moving tags ' +
        'with tag-mutability IMMUTABLE_WITH_EXCLUSION.',
    );
  }
  if (isAwsError(error, 'LayersNotFoundException') || isAwsError(error, 'ReferencedImagesNotFoundException')) {
    const crossRepository = manifest.repository !== target.repository;
    return new DeploymentFailure(
      `The layers of ${manifest.repository}@${manifest.digest} are not in repository "${target.repository}", so ` +
        `ECR cannot tag it there (${(error as Error).name}).`,
      (crossRepository
        ? 'PutImage only re-tags: it never copies layers between repositories. '
        : 'The repository lacks some layers or platform manifests this image references. ') +
        'Promote within one repository (e.g. staging-<sha> → production-<sha> in the same repository), or copy the ' +
        'image first: ECR replication rules, or `docker buildx imagetools create --tag <target> <source>`.',
    );
  }
  // Whatever the cause, say which tag is missing and that re-running is safe: PutImage of the same digest is idempotent.
  return new DeploymentFailure(
    `Tag "${tag}" was not written to repository "${target.repository}" (${describeError(error)})` +
      (tagsDone.length ? `; already tagged: ${tagsDone.join(', ')}.` : '; no tag was changed.'),
    'Re-run the job to retry: promoting the same digest again only adds what is missing.',
  );
}

async function currentDigest(api: EcrApi, target: EcrTarget, tag: string): Promise<string | undefined> {
  try {
    const response = await api.describeImages({
      registryId: target.registryId,
      repositoryName: target.repository,
      imageIds: [{ imageTag: tag }],
    });
    return response.imageDetails?.[0]?.imageDigest;
  } catch {
    return undefined; // only used to word the error better
  }
}
