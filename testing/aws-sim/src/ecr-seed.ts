import type { Sim } from './sim';
import { putImage } from './services/ecr-images';
import { ecrRepositories, MEDIA_TYPES, sha256Digest, type EcrRepository } from './services/ecr-model';
import { createRepository } from './services/ecr-repositories';
import type { World } from './world';

export interface SeedImageOptions {
  repository: string;
  tag: string;
  /** Default us-east-1. */
  region?: string;
  /** `os/arch[/variant]` each; more than one makes an OCI image index over per-platform manifests. Default linux/amd64. */
  platforms?: string[];
  /** Manifest format of a single-platform image (default `docker`: Docker image manifest v2 schema 2). */
  format?: 'docker' | 'oci';
  /** Number of layers per platform (default 3). */
  layers?: number;
}

interface Descriptor {
  mediaType: string;
  size: number;
  digest: string;
}

/** Uploads a blob to the repository as `docker push` would before the manifest. */
function uploadBlob(repository: EcrRepository, mediaType: string, content: string): Descriptor {
  const digest = sha256Digest(content);
  const size = Buffer.byteLength(content) * 1000;
  repository.blobs.set(digest, size);
  return { mediaType, size, digest };
}

/** Puts a manifest unless the repository already has it (with that tag): pushing the same image twice is a no-op. */
function putManifest(
  world: World,
  repository: EcrRepository,
  manifest: string,
  mediaType: string,
  tag?: string,
): string {
  const digest = sha256Digest(manifest);
  const alreadyThere = repository.images.has(digest) && (tag === undefined || repository.imageTags.get(tag) === digest);
  if (!alreadyThere)
    putImage(world, repository, { imageManifest: manifest, imageManifestMediaType: mediaType, imageTag: tag });
  return digest;
}

function pushPlatformManifest(
  world: World,
  repository: EcrRepository,
  options: SeedImageOptions,
  platform: string,
  oci: boolean,
  tag?: string,
): Descriptor {
  const [os = 'linux', architecture = 'amd64', variant] = platform.split('/');
  const source = `${repository.name}:${options.tag} ${platform}`;
  const config = uploadBlob(
    repository,
    oci ? MEDIA_TYPES.ociConfig : MEDIA_TYPES.dockerConfig,
    JSON.stringify({
      architecture,
      os,
      variant,
      config: { Labels: { 'aws-sim.source': source } },
      rootfs: { type: 'layers' },
    }),
  );
  const layers = Array.from({ length: options.layers ?? 3 }, (_, i) =>
    uploadBlob(repository, oci ? MEDIA_TYPES.ociLayer : MEDIA_TYPES.dockerLayer, `aws-sim layer ${i} of ${source}`),
  );
  const mediaType = oci ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest;
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType, config, layers });
  return {
    mediaType,
    size: Buffer.byteLength(manifest),
    digest: putManifest(world, repository, manifest, mediaType, tag),
  };
}

/**
 * Pushes an image as a build would: layer and config blobs, then the manifest (Docker v2 or OCI), or for several
 * platforms the per-platform OCI manifests and an OCI index over them, tagged `tag`. Creates the repository with
 * default settings if it does not exist. Returns the digest of the tagged manifest.
 */
export function seedImage(world: World, options: SeedImageOptions): string {
  const region = options.region ?? 'us-east-1';
  const repository =
    ecrRepositories(world, region).get(options.repository) ??
    createRepository(world, region, { repositoryName: options.repository });
  const platforms = options.platforms?.length ? options.platforms : ['linux/amd64'];
  if (platforms.length === 1) {
    return pushPlatformManifest(world, repository, options, platforms[0], options.format === 'oci', options.tag).digest;
  }
  const manifests = platforms.map((platform) => {
    const [os, architecture, variant] = platform.split('/');
    return {
      ...pushPlatformManifest(world, repository, options, platform, true),
      platform: { architecture, os, variant },
    };
  });
  const index = JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests });
  return putManifest(world, repository, index, MEDIA_TYPES.ociIndex, options.tag);
}

/** Test/demo control: seeds an image into a running sim (see `seedImage`). */
export function pushImage(sim: Pick<Sim, 'control'>, options: SeedImageOptions): string {
  return seedImage(sim.control.world, options);
}
