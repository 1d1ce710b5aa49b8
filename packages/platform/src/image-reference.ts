// Image references per the OCI distribution reference grammar (distribution/reference, the rules docker and ECS
// apply): `[host[:port]/]path[:tag][@algorithm:hex]`. A registry refuses the rest only at pull time, after a
// revision was registered and a deployment started, so the actions refuse it while reading their inputs.

/** One path component: lower-case letters and digits, joined by ".", "_", "__" or runs of "-". */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** A repository path: components joined by "/". */
export const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** A registry host: DNS labels (or an IPv6 address in brackets) and an optional port. */
export const REGISTRY_HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
/** Docker's tag grammar. */
export const TAG = /^[\w][\w.-]{0,127}$/;
/** `algorithm:hex`, e.g. sha256 and 64 hex digits. */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
/** The distribution spec's limit for host and path together. */
const NAME_MAX_LENGTH = 255;

/** What an image reference is made of; `host` is undefined for Docker Hub short names (`nginx`, `library/nginx`). */
export interface ImageReference {
  host?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** What the grammar accepts, for error messages. */
export const IMAGE_REFERENCE_FORM = '[host[:port]/]repository[:tag][@sha256:digest], the repository in lower-case';

/**
 * Splits and checks a reference; a string is what is wrong with it. The first component is a host when it has a
 * "." or ":" or is `localhost` (Docker's rule); otherwise it belongs to the lower-case repository path.
 */
export function parseImageReference(value: string): ImageReference | string {
  const at = value.indexOf('@');
  const digest = at >= 0 ? value.slice(at + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest))
    return 'the digest is not algorithm:hex, e.g. sha256:<64 hex digits>';
  const nameAndTag = at >= 0 ? value.slice(0, at) : value;
  const slash = nameAndTag.indexOf('/');
  const first = slash >= 0 ? nameAndTag.slice(0, slash) : '';
  const hasHost = slash >= 0 && (/[.:]/.test(first) || first === 'localhost');
  const host = hasHost ? first : undefined;
  const rest = hasHost ? nameAndTag.slice(slash + 1) : nameAndTag;
  const colon = rest.lastIndexOf(':');
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  if (host !== undefined && !REGISTRY_HOST.test(host)) return 'the registry is not a host name with an optional port';
  if (!repository.split('/').every((component) => PATH_COMPONENT.test(component))) {
    return repository.toLowerCase() !== repository && REPOSITORY_PATH.test(repository.toLowerCase())
      ? 'the repository must be lower-case'
      : 'the repository is not lower-case letters and digits joined by ".", "_", "-" or "/"';
  }
  if (tag !== undefined && !TAG.test(tag)) return 'the tag is not 1 to 128 letters, digits, "_", "." or "-"';
  if ((host ? host.length + 1 : 0) + repository.length > NAME_MAX_LENGTH) {
    return `host and repository are longer than ${NAME_MAX_LENGTH} characters`;
  }
  return { host, repository, tag, digest };
}
