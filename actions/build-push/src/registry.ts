import { REGISTRY_HOST, REPOSITORY_PATH, TAG } from '@shipyard/platform/image-reference';
import { quote } from '@shipyard/platform/inputs';
import { ConfigError } from '@shipyard/platform/errors';

/** Where images go: Amazon ECR (host unknown until login when the input is empty) or any other registry. */
export type Registry =
  { kind: 'ecr'; host?: string; accountId?: string; region?: string } | { kind: 'generic'; host: string };

// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
// ECR's own rule (API reference, CreateRepository): 2-256 characters, lower-case components joined by . _ - and /.
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// Hosts people paste into "repository" by mistake; anything else with a dot may be a legitimate ECR name.
const REGISTRY_PREFIX =
  /^(?:[^/]+\.amazonaws\.com(?:\.cn)?|ghcr\.io|docker\.io|index\.docker\.io|quay\.io|gcr\.io|[^/]+\.pkg\.dev|[^/]+\.azurecr\.io|localhost(?::\d+)?|[^/]+:\d+)\//;
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Reads the registry input: empty means the caller's own ECR registry (its host comes from the login). */
export function parseRegistry(name: string, raw: string): Registry {
  const value = raw
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  if (value === '') return { kind: 'ecr' };
  // A host name is at most 253 characters (RFC 1035), its labels 63.
  const tooLong = value.length > 253 || value.split(/[.:]/).some((label) => label.length > 63);
  if (tooLong || !REGISTRY_HOST.test(value)) {
    throw new ConfigError(
      `Input "${name}" must be a registry host such as 123456789012.dkr.ecr.eu-north-1.amazonaws.com or ghcr.io ` +
        `(no repository path, no scheme), got ${quote(raw)}.`,
    );
  }
  const ecr = ECR_HOST.exec(value.toLowerCase());
  if (ecr) return { kind: 'ecr', host: value.toLowerCase(), accountId: ecr[1], region: ecr[2] };
  if (value.toLowerCase().endsWith('.amazonaws.com') && value.toLowerCase().includes('.ecr.')) {
    throw new ConfigError(
      `Input "${name}" looks like an ECR registry but is not <account id>.dkr.ecr.<region>.amazonaws.com, ` +
        `got ${quote(raw)}.`,
    );
  }
  return { kind: 'generic', host: value };
}

/** Checks a repository name against the registry's rules, with a hint for the usual mistakes. */
export function parseRepository(name: string, raw: string, registry: Registry): string {
  const value = raw.trim();
  if (value === '') throw new ConfigError(`Input "${name}" is required but was empty or not set.`);
  const host = REGISTRY_PREFIX.exec(value);
  if (host) {
    throw new ConfigError(
      `Input "${name}" must be the repository name without the registry host: put ${quote(host[0].slice(0, -1))} ` +
        `in "registry" and ${quote(value.slice(host[0].length))} in "${name}".`,
    );
  }
  if (value !== value.toLowerCase()) {
    throw new ConfigError(
      `Input "${name}" must be lower-case (registries reject upper-case repository names), got ${quote(value)}; ` +
        `did you mean ${quote(value.toLowerCase())}?`,
    );
  }
  if (registry.kind === 'ecr') {
    if (value.length < 2 || value.length > 256 || !ECR_REPOSITORY.test(value)) {
      throw new ConfigError(
        `Input "${name}" is not a valid ECR repository name: 2 to 256 characters, lower-case letters and digits ` +
          `in parts joined by ".", "_", "-" or "/" (each part starting and ending with a letter or digit), ` +
          `got ${quote(value)}.`,
      );
    }
  } else if (value.length > 255 - registry.host.length - 1 || !REPOSITORY_PATH.test(value)) {
    throw new ConfigError(
      `Input "${name}" is not a valid repository name: lower-case letters and digits in parts joined by ".", ` +
        `"_", "__", "-" or "/", at most ${255 - registry.host.length - 1} characters with the registry, ` +
        `got ${quote(value)}.`,
    );
  }
  return value;
}

export function parseTag(name: string, raw: string): string {
  if (!TAG.test(raw)) {
    throw new ConfigError(
      `Input "${name}" has an invalid tag ${quote(raw)}: a tag is 1 to 128 letters, digits, "_", "." or "-", ` +
        `not starting with "." or "-".`,
    );
  }
  return raw;
}

/** `repo:tag` / `repo@sha256:…` / `tag` / `sha256:…` — what promote-from accepts, resolved against `repository`. */
export interface ImageSource {
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageSource(name: string, raw: string, registry: Registry, repository: string): ImageSource {
  const value = raw.trim();
  if (DIGEST.test(value)) return { repository, digest: value };
  const at = value.indexOf('@');
  if (at >= 0) {
    const digest = value.slice(at + 1);
    if (!DIGEST.test(digest)) {
      throw new ConfigError(`Input "${name}" has an invalid digest ${quote(digest)}: expected sha256:<64 hex digits>.`);
    }
    return { repository: parseRepository(name, value.slice(0, at), registry), digest };
  }
  const colon = value.lastIndexOf(':');
  if (colon > value.lastIndexOf('/')) {
    return {
      repository: parseRepository(name, value.slice(0, colon), registry),
      tag: parseTag(name, value.slice(colon + 1)),
    };
  }
  if (value.includes('/')) {
    throw new ConfigError(
      `Input "${name}" must be a tag, a digest (sha256:…), repository:tag or repository@sha256:…, ` +
        `got ${quote(value)}.`,
    );
  }
  return { repository, tag: parseTag(name, value) };
}

/** `host/repository`, the name every tag of the image starts with. */
export function imageName(host: string, repository: string): string {
  return `${host}/${repository}`;
}
