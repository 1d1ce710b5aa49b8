import { DIGEST } from './registry';

export type CacheMode = 'min' | 'max';

/** Where BuildKit keeps its layer cache between runs. */
export type Cache =
  | { type: 'gha'; scope: string; mode: CacheMode }
  | { type: 'registry'; ref: string; mode: CacheMode }
  | { type: 'none' };

/** Everything `docker buildx build` needs, resolved (full image references, file paths). */
export interface BuildPlan {
  context: string;
  /** Empty: the builder's default (`<context>/Dockerfile`). */
  file: string;
  target: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  /** Secret ids whose values travel in the environment (see secretEnv), never on the command line. */
  secretIds: string[];
  /** Secret id → file path: the path may be on the command line, the content is read by BuildKit. */
  secretFiles: Record<string, string>;
  cache: Cache;
  /** `false`, `true` or an attestation spec such as `mode=max`. */
  provenance: string;
  /** Empty: no SBOM attestation. */
  sbom: string;
  builder: string;
  push: boolean;
  labels: Record<string, string>;
  /** Full references: `host/repository:tag`. */
  tags: string[];
  metadataFile: string;
  iidFile: string;
}

/** The environment variable that carries secret number `index` to BuildKit (index-based, so ids never clash). */
export function secretEnvName(index: number): string {
  return `SHIPYARD_BUILD_SECRET_${index}`;
}

/** The variables to add to buildx's environment for `secretIds`, in the same order. */
export function secretEnv(secretIds: string[], values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(secretIds.map((id, index) => [secretEnvName(index), values[id]]));
}

/**
 * The `docker buildx build` argv. Provenance is off unless asked: buildx's default attestation turns a single-arch
 * push into an index with an `unknown/unknown` entry, which ECR lists as a second image and Lambda refuses.
 * `buildArgValue` turns a build arg's value into what the argv holds: a fingerprint for the printed command line.
 */
export function buildArgs(plan: BuildPlan, buildArgValue = (value: string) => value): string[] {
  const args = ['buildx', 'build'];
  if (plan.builder) args.push('--builder', plan.builder);
  if (plan.file) args.push('--file', plan.file);
  if (plan.target) args.push('--target', plan.target);
  if (plan.platforms.length) args.push('--platform', plan.platforms.join(','));
  for (const [key, value] of Object.entries(plan.buildArgs)) args.push('--build-arg', `${key}=${buildArgValue(value)}`);
  for (const [key, value] of Object.entries(plan.labels)) args.push('--label', `${key}=${value}`);
  for (const tag of plan.tags) args.push('--tag', tag);
  plan.secretIds.forEach((id, index) => args.push('--secret', `id=${id},env=${secretEnvName(index)}`));
  for (const [id, path] of Object.entries(plan.secretFiles)) args.push('--secret', `id=${id},src=${path}`);
  args.push(...cacheArgs(plan.cache));
  args.push(`--provenance=${plan.provenance}`);
  if (plan.sbom) args.push(`--sbom=${plan.sbom}`);
  args.push('--metadata-file', plan.metadataFile, '--iidfile', plan.iidFile);
  if (plan.push) args.push('--push');
  args.push(plan.context);
  return args;
}

/** A cache export that fails (quota, permissions, driver) must not fail an otherwise good build: ignore-error. */
function cacheArgs(cache: Cache): string[] {
  switch (cache.type) {
    case 'none':
      return [];
    case 'gha':
      return [
        '--cache-from',
        `type=gha,scope=${cache.scope}`,
        '--cache-to',
        `type=gha,mode=${cache.mode},scope=${cache.scope},ignore-error=true`,
      ];
    case 'registry':
      // ECR accepts the cache only as an OCI image manifest, not BuildKit's default manifest list.
      return [
        '--cache-from',
        `type=registry,ref=${cache.ref}`,
        '--cache-to',
        `type=registry,ref=${cache.ref},mode=${cache.mode},image-manifest=true,oci-mediatypes=true,ignore-error=true`,
      ];
  }
}

/**
 * The pushed manifest (or index) digest from buildx's metadata file (`containerimage.digest`). Not the image id
 * file: with the docker driver that holds the config digest, which no registry can resolve. Undefined when absent.
 */
export function readBuildDigest(metadataText: string | undefined): string | undefined {
  if (!metadataText) return undefined;
  try {
    const digest = (JSON.parse(metadataText) as Record<string, unknown>)['containerimage.digest'];
    return typeof digest === 'string' && DIGEST.test(digest) ? digest : undefined;
  } catch {
    return undefined; // a truncated file (build killed) holds no digest
  }
}
