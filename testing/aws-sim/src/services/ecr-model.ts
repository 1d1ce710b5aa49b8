import { createHash } from 'node:crypto';
import { AwsError } from '../errors';
import type { World } from '../world';

export const MEDIA_TYPES = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

const INDEX_TYPES: string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList];
const IMAGE_TYPES: string[] = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest];

export const isIndexType = (mediaType: string) => INDEX_TYPES.includes(mediaType);
export const isSupportedManifestType = (mediaType: string) => isIndexType(mediaType) || IMAGE_TYPES.includes(mediaType);

export type TagMutability = 'MUTABLE' | 'IMMUTABLE' | 'IMMUTABLE_WITH_EXCLUSION' | 'MUTABLE_WITH_EXCLUSION';
export interface ExclusionFilter {
  filterType: 'WILDCARD';
  filter: string;
}

export interface ImageScan {
  status: 'IN_PROGRESS' | 'COMPLETE';
  startedAt: number;
  completedAt?: number;
  findings: { name: string; severity: string }[];
}

export interface StoredImage {
  digest: string;
  manifest: string;
  mediaType: string;
  /** Digests this manifest references: blobs (config + layers) for an image, child manifests for an index. */
  references: string[];
  sizeInBytes: number;
  pushedAt: number;
  scan?: ImageScan;
}

export interface EcrRepository {
  name: string;
  region: string;
  createdAt: number;
  imageTagMutability: TagMutability;
  exclusionFilters: ExclusionFilter[];
  scanOnPush: boolean;
  encryption: { encryptionType: string; kmsKey?: string };
  tags: { Key: string; Value: string }[];
  lifecyclePolicyText?: string;
  /** Blobs (layers and configs) uploaded to this repository, digest → size. */
  blobs: Map<string, number>;
  images: Map<string, StoredImage>;
  /** Image tag → manifest digest. */
  imageTags: Map<string, string>;
}

export function ecrRepositories(world: World, region: string): Map<string, EcrRepository> {
  const regions = world.store('ecr', () => new Map<string, Map<string, EcrRepository>>());
  let repositories = regions.get(region);
  if (!repositories) regions.set(region, (repositories = new Map()));
  return repositories;
}

export const registryHost = (accountId: string, region: string) => `${accountId}.dkr.ecr.${region}.amazonaws.com`;

export function getRepository(world: World, region: string, name: unknown): EcrRepository {
  if (typeof name !== 'string' || !name) throw new AwsError('InvalidParameterException', 'repositoryName is required');
  const repository = ecrRepositories(world, region).get(name);
  if (!repository) {
    throw new AwsError(
      'RepositoryNotFoundException',
      `The repository with name '${name}' does not exist in the registry with id '${world.accountId}'`,
    );
  }
  return repository;
}

export function sha256Digest(content: string | Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

export const DIGEST_PATTERN = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Tags of an image, in the order they were attached. */
export function tagsOf(repository: EcrRepository, digest: string): string[] {
  return [...repository.imageTags].filter(([, d]) => d === digest).map(([tag]) => tag);
}

function wildcardMatches(filter: string, tag: string): boolean {
  const pattern = filter.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${pattern}$`).test(tag);
}

/** Whether a tag may not be moved to another image, given the repository's mutability and exclusion filters. */
export function isTagImmutable(repository: EcrRepository, tag: string): boolean {
  const excluded = repository.exclusionFilters.some((f) => wildcardMatches(f.filter, tag));
  switch (repository.imageTagMutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded;
    default:
      return false;
  }
}

export interface ImageIdentifier {
  imageDigest?: string;
  imageTag?: string;
}

export function describeImageId(id: ImageIdentifier): string {
  const parts = [id.imageDigest && `imageDigest=${id.imageDigest}`, id.imageTag && `imageTag=${id.imageTag}`];
  return `{${parts.filter(Boolean).join(', ')}}`;
}

/** Resolves an image by digest and/or tag; undefined when there is no such image (or tag and digest disagree). */
export function findImage(repository: EcrRepository, id: ImageIdentifier): StoredImage | undefined {
  const digest = id.imageTag !== undefined ? repository.imageTags.get(id.imageTag) : id.imageDigest;
  if (!digest || (id.imageDigest !== undefined && id.imageDigest !== digest)) return undefined;
  return repository.images.get(digest);
}

export function requireImage(world: World, repository: EcrRepository, id: ImageIdentifier | undefined): StoredImage {
  const image = id && findImage(repository, id);
  if (!image) {
    throw new AwsError(
      'ImageNotFoundException',
      `The image with imageId ${describeImageId(id ?? {})} does not exist within the repository with name '${repository.name}' in the registry with id '${world.accountId}'`,
    );
  }
  return image;
}

/** Offset-based paging shared by the Describe operations (`nextToken` is opaque to clients). */
export function paginate<T>(
  items: T[],
  maxResults: unknown,
  nextToken: unknown,
  limit = 1000,
): { page: T[]; nextToken?: string } {
  const size = maxResults === undefined ? limit : Number(maxResults);
  if (!Number.isInteger(size) || size < 1 || size > limit) {
    throw new AwsError('InvalidParameterException', `maxResults must be between 1 and ${limit}`);
  }
  const start = nextToken === undefined ? 0 : Number(Buffer.from(String(nextToken), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidParameterException', 'Invalid NextToken');
  const end = start + size;
  return {
    page: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}
