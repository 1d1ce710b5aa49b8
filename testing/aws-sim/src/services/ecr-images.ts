import { AwsError } from '../errors';
import type { JsonHandler } from '../protocols/json';
import type { World } from '../world';
import {
  DIGEST_PATTERN,
  findImage,
  getRepository,
  isIndexType,
  isSupportedManifestType,
  isTagImmutable,
  paginate,
  requireImage,
  sha256Digest,
  tagsOf,
  type EcrRepository,
  type ImageIdentifier,
  type StoredImage,
} from './ecr-model';
import { scanStatus, scanSummary, startScan } from './ecr-scan';

export interface PutImageInput {
  imageManifest?: string;
  imageManifestMediaType?: string;
  imageTag?: string;
  imageDigest?: string;
}

interface ParsedManifest {
  mediaType?: string;
  config?: { digest?: string; size?: number };
  layers?: { digest?: string; size?: number }[];
  manifests?: { digest?: string; size?: number; platform?: { os?: string; architecture?: string } }[];
}

const invalidManifest = (reason: string) =>
  new AwsError(
    'InvalidParameterException',
    `Invalid parameter at 'ImageManifest' failed to satisfy constraint: '${reason}'`,
  );

function parseManifest(text: string): ParsedManifest {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ParsedManifest;
  } catch {
    // answered below, like any other malformed manifest
  }
  throw invalidManifest('Invalid JSON syntax');
}

function missingReferences(world: World, repository: EcrRepository, manifest: ParsedManifest, index: boolean): void {
  const where = `in the repository with name '${repository.name}' in the registry with id '${world.accountId}'`;
  if (index) {
    const missing = (manifest.manifests ?? []).map((m) => String(m.digest)).filter((d) => !repository.images.has(d));
    if (missing.length) {
      throw new AwsError(
        'ReferencedImagesNotFoundException',
        `Images with digests '[${missing.join(', ')}]' referenced by the manifest list do not exist ${where}`,
      );
    }
    return;
  }
  const blobs = [manifest.config?.digest, ...(manifest.layers ?? []).map((l) => l.digest)].map(String);
  const missing = blobs.filter((d) => !repository.blobs.has(d));
  if (missing.length) {
    throw new AwsError(
      'LayersNotFoundException',
      `Layers with digests '[${missing.join(', ')}]' required for pushing image into repository with name '${repository.name}' in the registry with id '${world.accountId}' do not exist`,
    );
  }
}

/** PutImage semantics: digest from the manifest bytes, references must exist in the repository, tag rules. */
export function putImage(world: World, repository: EcrRepository, input: PutImageInput): StoredImage {
  if (typeof input.imageManifest !== 'string' || !input.imageManifest) {
    throw new AwsError('InvalidParameterException', 'imageManifest is required');
  }
  const manifest = parseManifest(input.imageManifest);
  const mediaType = input.imageManifestMediaType ?? manifest.mediaType;
  if (!mediaType) throw invalidManifest('Invalid parameter at imageManifestMediaType: media type is required');
  if (manifest.mediaType && manifest.mediaType !== mediaType)
    throw invalidManifest('Manifest media type does not match imageManifestMediaType');
  if (!isSupportedManifestType(mediaType)) {
    throw new AwsError('UnsupportedImageTypeException', `The manifest media type '${mediaType}' is not supported.`);
  }
  const digest = sha256Digest(input.imageManifest);
  if (input.imageDigest !== undefined && input.imageDigest !== digest) {
    throw new AwsError(
      'ImageDigestDoesNotMatchException',
      `The specified image digest '${input.imageDigest}' does not match the digest '${digest}' of the manifest.`,
    );
  }
  const tag = input.imageTag;
  if (tag !== undefined && (tag.length < 1 || tag.length > 300)) {
    throw new AwsError(
      'InvalidParameterException',
      "Invalid parameter at 'imageTag' failed to satisfy constraint: 'Member must have length between 1 and 300'",
    );
  }
  const index = isIndexType(mediaType);
  missingReferences(world, repository, manifest, index);

  const existing = repository.images.get(digest);
  const currentDigest = tag === undefined ? undefined : repository.imageTags.get(tag);
  if (existing && (tag === undefined || currentDigest === digest)) {
    const tagPart = tag === undefined ? '' : ` and tag '${tag}'`;
    throw new AwsError(
      'ImageAlreadyExistsException',
      `Image with digest '${digest}'${tagPart} already exists in the repository with name '${repository.name}' in the registry with id '${world.accountId}'`,
    );
  }
  if (tag !== undefined && currentDigest !== undefined && isTagImmutable(repository, tag)) {
    throw new AwsError(
      'ImageTagAlreadyExistsException',
      `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the tag is immutable.`,
    );
  }
  const references = index
    ? (manifest.manifests ?? []).map((m) => String(m.digest))
    : [String(manifest.config?.digest), ...(manifest.layers ?? []).map((l) => String(l.digest))];
  const sizeInBytes = index
    ? references.reduce((sum, d) => sum + (repository.images.get(d)?.sizeInBytes ?? 0), 0)
    : references.reduce((sum, d) => sum + (repository.blobs.get(d) ?? 0), 0);
  const image = existing ?? {
    digest,
    manifest: input.imageManifest,
    mediaType,
    references,
    sizeInBytes,
    pushedAt: world.now(),
  };
  repository.images.set(digest, image);
  if (tag !== undefined) repository.imageTags.set(tag, digest);
  if (!existing && repository.scanOnPush && !index) startScan(world, repository, image);
  return image;
}

const putImageHandler: JsonHandler = (input, { world, region }) => {
  const repository = getRepository(world, region, input.repositoryName);
  const image = putImage(world, repository, input);
  return {
    image: {
      registryId: world.accountId,
      repositoryName: repository.name,
      imageId: { imageDigest: image.digest, imageTag: input.imageTag },
      imageManifest: image.manifest,
      imageManifestMediaType: image.mediaType,
    },
  };
};

type Failure = { imageId: ImageIdentifier; failureCode: string; failureReason: string };

/** Validates one BatchGet/BatchDelete image id; returns a failure entry or the image. */
function lookup(repository: EcrRepository, id: ImageIdentifier): StoredImage | Failure {
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    return {
      imageId: id,
      failureCode: 'MissingDigestAndTag',
      failureReason: 'Invalid request parameters: both tag and digest cannot be null',
    };
  }
  if (id.imageDigest !== undefined && !DIGEST_PATTERN.test(id.imageDigest)) {
    return {
      imageId: id,
      failureCode: 'InvalidImageDigest',
      failureReason: 'Invalid request parameters: image digest should satisfy the regex',
    };
  }
  const taggedDigest = id.imageTag === undefined ? undefined : repository.imageTags.get(id.imageTag);
  if (taggedDigest && id.imageDigest !== undefined && taggedDigest !== id.imageDigest) {
    return {
      imageId: id,
      failureCode: 'ImageTagDoesNotMatchDigest',
      failureReason: 'Invalid request parameters: given tag does not match the given digest',
    };
  }
  return (
    findImage(repository, id) ?? {
      imageId: id,
      failureCode: 'ImageNotFound',
      failureReason: 'Requested image not found',
    }
  );
}

/**
 * The manifest to hand back for the accepted media types: the stored one if accepted (all are when none are
 * given); for an index whose type is not accepted, the linux/amd64 (else first) platform's manifest, as ECR does.
 */
function negotiate(
  repository: EcrRepository,
  image: StoredImage,
  accepted: string[] | undefined,
): StoredImage | undefined {
  if (!accepted?.length || accepted.includes(image.mediaType)) return image;
  if (!isIndexType(image.mediaType)) return undefined;
  const children = (JSON.parse(image.manifest) as ParsedManifest).manifests ?? [];
  const preferred =
    children.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? children[0];
  const child = preferred && repository.images.get(String(preferred.digest));
  return child && accepted.includes(child.mediaType) ? child : undefined;
}

const batchGetImage: JsonHandler = (input, { world, region }) => {
  const repository = getRepository(world, region, input.repositoryName);
  const images: unknown[] = [];
  const failures: Failure[] = [];
  for (const id of (input.imageIds ?? []) as ImageIdentifier[]) {
    const found = lookup(repository, id);
    if ('failureCode' in found) {
      failures.push(found);
      continue;
    }
    const served = negotiate(repository, found, input.acceptedMediaTypes);
    if (!served) {
      failures.push({
        imageId: id,
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found in an accepted media type',
      });
      continue;
    }
    images.push({
      registryId: world.accountId,
      repositoryName: repository.name,
      imageId: { imageDigest: served.digest, imageTag: id.imageTag },
      imageManifest: served.manifest,
      imageManifestMediaType: served.mediaType,
    });
  }
  return { images, failures };
};

const describeImages: JsonHandler = (input, { world, region }) => {
  const repository = getRepository(world, region, input.repositoryName);
  const tagStatus: string = input.filter?.tagStatus ?? 'ANY';
  const selected: StoredImage[] = input.imageIds
    ? (input.imageIds as ImageIdentifier[]).map((id) => requireImage(world, repository, id))
    : [...repository.images.values()].filter((image) => {
        const tagged = tagsOf(repository, image.digest).length > 0;
        return tagStatus === 'ANY' || (tagStatus === 'TAGGED') === tagged;
      });
  const { page, nextToken } = paginate(selected, input.maxResults, input.nextToken);
  return {
    imageDetails: page.map((image) => {
      const tags = tagsOf(repository, image.digest);
      return {
        registryId: world.accountId,
        repositoryName: repository.name,
        imageDigest: image.digest,
        imageTags: tags.length ? tags : undefined,
        imageSizeInBytes: image.sizeInBytes,
        imagePushedAt: new Date(image.pushedAt),
        imageManifestMediaType: image.mediaType,
        artifactMediaType: isIndexType(image.mediaType)
          ? undefined
          : (JSON.parse(image.manifest) as { config?: { mediaType?: string } }).config?.mediaType,
        imageScanStatus: image.scan && scanStatus(image.scan),
        imageScanFindingsSummary: scanSummary(image.scan),
        imageStatus: 'ACTIVE',
      };
    }),
    nextToken,
  };
};

/** Deleting by tag removes the tag (and the image with its last tag); by digest removes the image. */
const batchDeleteImage: JsonHandler = (input, { world, region }) => {
  const repository = getRepository(world, region, input.repositoryName);
  const imageIds: ImageIdentifier[] = [];
  const failures: Failure[] = [];
  for (const id of (input.imageIds ?? []) as ImageIdentifier[]) {
    const found = lookup(repository, id);
    if ('failureCode' in found) {
      failures.push(found);
      continue;
    }
    const parent = [...repository.images.values()].find(
      (i) => isIndexType(i.mediaType) && i.references.includes(found.digest),
    );
    const removesImage = id.imageTag === undefined || tagsOf(repository, found.digest).length === 1;
    if (removesImage && parent) {
      failures.push({
        imageId: id,
        failureCode: 'ImageReferencedByManifestList',
        failureReason: `Requested image referenced by manifest list: [${parent.digest}]`,
      });
      continue;
    }
    if (id.imageTag !== undefined) repository.imageTags.delete(id.imageTag);
    if (removesImage) {
      for (const tag of tagsOf(repository, found.digest)) repository.imageTags.delete(tag);
      repository.images.delete(found.digest);
    }
    imageIds.push({ imageDigest: found.digest, imageTag: id.imageTag });
  }
  return { imageIds, failures };
};

export const imageHandlers = {
  PutImage: putImageHandler,
  BatchGetImage: batchGetImage,
  DescribeImages: describeImages,
  BatchDeleteImage: batchDeleteImage,
};
