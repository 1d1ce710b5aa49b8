// Shipyard's one version: every package.json of the monorepo (root and workspaces) carries it, the platform package's
// is bundled into the actions' user agent, and releases are tagged `vX.Y.Z` with a moving major tag `vX`.

export type Bump = 'major' | 'minor' | 'patch';
export type Version = [major: number, minor: number, patch: number];

const VERSION = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const TAG = /^v(\d+\.\d+\.\d+)$/;

export class VersionError extends Error {
  override name = 'VersionError';
}

/** `X.Y.Z`, plain numbers (releases only: no pre-release or build suffix). */
export function parseVersion(text: string): Version {
  const match = VERSION.exec(text);
  if (!match) throw new VersionError(`"${text}" is not a release version X.Y.Z (e.g. 1.4.2)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** The version a tag `vX.Y.Z` names; undefined for anything else (`v1`, `v1.2`, `release-1`). */
export function tagVersion(tag: string): string | undefined {
  const match = TAG.exec(tag);
  if (!match) return undefined;
  try {
    parseVersion(match[1]);
    return match[1];
  } catch {
    return undefined; // leading zeros
  }
}

/** What the prepare workflow was asked for: a bump kind, or an exact version (a leading `v` allowed) above `current`. */
export function nextVersion(current: string, request: string): string {
  const [major, minor, patch] = parseVersion(current);
  const asked = request.trim();
  if (asked === 'major') return `${major + 1}.0.0`;
  if (asked === 'minor') return `${major}.${minor + 1}.0`;
  if (asked === 'patch') return `${major}.${minor}.${patch + 1}`;
  const exact = asked.replace(/^v/, '');
  if (!VERSION.test(exact)) {
    throw new VersionError(`the version to release must be major, minor, patch or X.Y.Z, got "${request}"`);
  }
  if (compareVersions(exact, current) <= 0) {
    throw new VersionError(`${exact} is not newer than the current version ${current}`);
  }
  return exact;
}

export interface TagMoves {
  /** `vX`, moved to this release when it is the newest of its major version. */
  majorTag: string;
  moveMajor: boolean;
  /** The newest release of all: GitHub marks it "Latest". */
  latest: boolean;
}

/**
 * Whether releasing `version` moves the major tag and is the latest release, given the repository's tags. A fix
 * released for an older line (1.4.3 after 1.5.0, or 1.9.1 after 2.0.0) leaves `v1` or "Latest" where they are.
 */
export function tagMoves(version: string, tags: string[]): TagMoves {
  const [major] = parseVersion(version);
  const others = tags.flatMap((tag) => tagVersion(tag) ?? []).filter((v) => v !== version);
  const newerThan = (v: string) => compareVersions(v, version) > 0;
  return {
    majorTag: `v${major}`,
    moveMajor: !others.some((v) => parseVersion(v)[0] === major && newerThan(v)),
    latest: !others.some(newerThan),
  };
}

export interface Manifest {
  name?: string;
  version?: string;
  [field: string]: unknown;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * `manifest` at `version`: its own version, and its dependencies on the monorepo's packages (`internal` names).
 * Works for a package.json and for its entry in package-lock.json alike (npm records the same fields there).
 */
export function withVersion<T extends Manifest>(manifest: T, version: string, internal: Set<string>): T {
  const updated: Manifest = { ...manifest, version };
  for (const field of DEPENDENCY_FIELDS) {
    const dependencies = manifest[field] as Record<string, string> | undefined;
    if (!dependencies) continue;
    updated[field] = Object.fromEntries(
      Object.entries(dependencies).map(([name, spec]) => [name, internal.has(name) ? version : spec]),
    );
  }
  return updated as T;
}

/** The one version every package.json must carry; the error names those that differ. */
export function commonVersion(manifests: Record<string, Manifest>): string {
  const versions = new Set(Object.values(manifests).map((m) => m.version));
  if (versions.size !== 1 || typeof [...versions][0] !== 'string') {
    const list = Object.entries(manifests)
      .map(([path, m]) => `${path}: ${m.version ?? 'no version'}`)
      .join(', ');
    throw new VersionError(`every package.json must carry the same version (${list})`);
  }
  return [...versions][0]!;
}
