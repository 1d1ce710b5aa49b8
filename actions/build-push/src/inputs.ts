import * as core from '@shipyard/platform/core';
import { ConfigError } from '@shipyard/platform/errors';
import {
  parseList,
  parseString,
  quote,
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readMap,
  readMatching,
  parseRegion,
  readString,
  readStructured,
  WAIT_BOUNDS,
} from '@shipyard/platform/inputs';
import type { CacheMode } from './buildx';
import { Input } from './constants';
import {
  parseImageSource,
  parseRegistry,
  parseRepository,
  parseTag,
  type ImageSource,
  type Registry,
} from './registry';
import { parseSeverity, type Severity } from './scan';
import type { TagOptions } from './tags';

export type TagMutability = 'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';
export type Encryption = 'AES256' | 'KMS' | 'KMS_DSSE';

/** How to create the ECR repository when it is missing. */
export interface RepositorySettings {
  scanOnPush: boolean;
  tagMutability: TagMutability;
  /** Wildcard filters exempt from the mutability setting (only with *_WITH_EXCLUSION). */
  exclusions: string[];
  encryption: Encryption;
  kmsKey: string;
  /** The lifecycle policy as JSON text. */
  lifecyclePolicy?: string;
}

export type CacheInput =
  | { type: 'gha'; scope: string; mode: CacheMode }
  | { type: 'registry'; ref: string; mode: CacheMode }
  | { type: 'none' };

export interface BuildInputs {
  context: string;
  file: string;
  target: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  /** Secret id → value (masked; handed to buildx through its environment). */
  secrets: Record<string, string>;
  secretFiles: Record<string, string>;
  /** `ref` of a registry cache is a tag of the repository or a full reference; resolved once the host is known. */
  cache: CacheInput;
  provenance: string;
  sbom: string;
  builder: string;
  push: boolean;
}

export interface ScanInputs {
  /** Undefined: wait and report, never fail. */
  threshold?: Severity;
  timeoutMs: number;
  ignore: string[];
}

export interface Inputs {
  registry: Registry;
  repository: string;
  region: string;
  registryIds: string[];
  credentials?: { username: string; password: string };
  createRepository?: RepositorySettings;
  tags: TagOptions;
  labels: Record<string, string>;
  /** Exactly one of build and promoteFrom is set. */
  build?: BuildInputs;
  promoteFrom?: ImageSource;
  force: boolean;
  scan?: ScanInputs;
}

const BUILD_INPUTS = [
  Input.Context,
  Input.File,
  Input.Target,
  Input.Platforms,
  Input.BuildArgs,
  Input.Secrets,
  Input.SecretFiles,
  Input.Cache,
  Input.CacheRef,
  Input.CacheMode,
  Input.Provenance,
  Input.Sbom,
  Input.Builder,
  Input.Push,
  Input.Force,
  // Extra logins are for base images in a build; promotion logs docker in nowhere.
  Input.RegistryIds,
];
const REPOSITORY_SETTINGS = [
  Input.ScanOnPush,
  Input.TagMutability,
  Input.TagMutabilityExclusions,
  Input.Encryption,
  Input.KmsKey,
  Input.LifecyclePolicy,
];
const SCAN_INPUTS = [Input.ScanSeverityThreshold, Input.ScanWait, Input.ScanTimeout, Input.ScanIgnore];
const ECR_ONLY = [Input.RegistryIds, Input.CreateRepository, ...REPOSITORY_SETTINGS, Input.PromoteFrom, ...SCAN_INPUTS];

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const ATTESTATION = /^(?:true|false|[a-z-]+=[^,\s]+(?:,[a-z-]+=[^,\s]+)*)$/;
const EXCLUSION = /^[0-9a-zA-Z._*-]{1,128}$/;
const FINDING_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const KMS_KEY =
  /^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)\/[\w/-]{1,250}|alias\/[\w/-]{1,250}|[0-9a-f-]{36})$/;
const STAGE = /^[A-Za-z][\w.-]{0,127}$/;
const BUILDER = /^[A-Za-z0-9][\w.-]{0,127}$/;
const MAX_EXCLUSIONS = 5;

/** An input name of action.yml. */
type InputName = (typeof Input)[keyof typeof Input];

function given(name: InputName): boolean {
  return core.getInput(name) !== '';
}

function conflict(first: InputName, second: InputName, why: string): ConfigError {
  return new ConfigError(`Inputs "${first}" and "${second}" cannot be used together: ${why}`);
}

function oneOf<T extends string>(name: InputName, allowed: readonly T[], fallback: T): T {
  const value = readString(name, { default: fallback });
  const match = allowed.find((option) => option.toLowerCase() === value.toLowerCase());
  if (!match) throw new ConfigError(`Input "${name}" must be one of ${allowed.join(', ')}, got ${quote(value)}.`);
  return match;
}

/** Reads and cross-checks every input once, before any AWS call or docker command. */
export function readInputs(): Inputs {
  const registry = parseRegistry(Input.Registry, core.getInput(Input.Registry));
  const repository = parseRepository(Input.Repository, core.getInput(Input.Repository), registry);
  checkRegistryKind(registry);
  const promoting = given(Input.PromoteFrom);
  if (promoting) {
    const buildInput = BUILD_INPUTS.find(given);
    if (buildInput) {
      throw conflict(Input.PromoteFrom, buildInput, 'promotion re-tags an image that exists, it builds nothing.');
    }
  }
  const build = promoting ? undefined : readBuildInputs(repository);
  const scan = readScanInputs();
  if (build && !build.push && scan) {
    throw conflict(
      Input.Push,
      SCAN_INPUTS.find(given) ?? Input.ScanWait,
      'an image that is not pushed is not scanned.',
    );
  }
  return {
    registry,
    repository,
    region: readRegion(registry),
    registryIds: readRegistryIds(),
    credentials: readCredentials(registry),
    createRepository: readRepositorySettings(),
    tags: readTagOptions(),
    labels: readMap(Input.Labels),
    build,
    promoteFrom: promoting
      ? parseImageSource(Input.PromoteFrom, core.getInput(Input.PromoteFrom), registry, repository)
      : undefined,
    force: build ? readBoolean(Input.Force, false) : false,
    scan,
  };
}

function checkRegistryKind(registry: Registry): void {
  if (registry.kind === 'generic') {
    const ecrOnly = ECR_ONLY.find(given);
    if (ecrOnly) {
      throw new ConfigError(
        `Input "${ecrOnly}" needs an Amazon ECR registry, but "registry" is ${quote(registry.host)}.`,
      );
    }
  } else {
    const credential = [Input.Username, Input.Password].find(given);
    if (credential) {
      throw new ConfigError(
        `Input "${credential}" is for other registries: ECR logins use the AWS credentials of the job ` +
          '(aws-actions/configure-aws-credentials), so leave username and password empty.',
      );
    }
  }
}

/** The region input, else the one in the ECR host; the two must agree (ECR answers only in its own region). */
function readRegion(registry: Registry): string {
  const region = parseRegion(Input.Region, core.getInput(Input.Region));
  const hostRegion = registry.kind === 'ecr' ? registry.region : undefined;
  if (region && hostRegion && region !== hostRegion) {
    throw new ConfigError(
      `Input "${Input.Region}" is ${quote(region)} but registry ${registry.kind === 'ecr' ? registry.host : ''} is in ` +
        `${quote(hostRegion)}: leave "${Input.Region}" empty or make them match.`,
    );
  }
  return region || hostRegion || '';
}

function readCredentials(registry: Registry): Inputs['credentials'] {
  if (registry.kind === 'ecr') return undefined;
  const username = readString(Input.Username);
  const password = core.getInput(Input.Password);
  if (password) core.setSecret(password);
  if (!username && !password) return undefined;
  if (!username || !password) {
    const missing = username ? Input.Password : Input.Username;
    throw new ConfigError(
      `Input "${missing}" is required when "${username ? Input.Username : Input.Password}" is set.`,
    );
  }
  return { username, password };
}

function readRegistryIds(): string[] {
  const ids = readList(Input.RegistryIds);
  const bad = ids.find((id) => !/^\d{12}$/.test(id));
  if (bad) {
    throw new ConfigError(`Input "${Input.RegistryIds}" must list 12-digit AWS account ids, got ${quote(bad)}.`);
  }
  return [...new Set(ids)];
}

function readRepositorySettings(): RepositorySettings | undefined {
  if (!readBoolean(Input.CreateRepository, false)) {
    const setting = REPOSITORY_SETTINGS.find(given);
    if (setting) {
      throw new ConfigError(
        `Input "${setting}" only applies when "${Input.CreateRepository}" is true (an existing repository is ` +
          'never changed).',
      );
    }
    return undefined;
  }
  const tagMutability = oneOf<TagMutability>(
    Input.TagMutability,
    ['MUTABLE', 'IMMUTABLE', 'MUTABLE_WITH_EXCLUSION', 'IMMUTABLE_WITH_EXCLUSION'],
    'MUTABLE',
  );
  const exclusions = readList(Input.TagMutabilityExclusions);
  const withExclusions = tagMutability.endsWith('_WITH_EXCLUSION');
  if (withExclusions !== exclusions.length > 0) {
    throw new ConfigError(
      withExclusions
        ? `Input "${Input.TagMutability}" ${tagMutability} needs "${Input.TagMutabilityExclusions}" (1 to 5 filters).`
        : `Input "${Input.TagMutabilityExclusions}" needs "${Input.TagMutability}" MUTABLE_WITH_EXCLUSION or ` +
            `IMMUTABLE_WITH_EXCLUSION, got ${tagMutability}.`,
    );
  }
  const badFilter = exclusions.find((filter) => !EXCLUSION.test(filter));
  if (badFilter !== undefined || exclusions.length > MAX_EXCLUSIONS) {
    throw new ConfigError(
      `Input "${Input.TagMutabilityExclusions}" takes at most ${MAX_EXCLUSIONS} filters of 1 to 128 letters, digits, ` +
        `".", "_", "-" or "*", got ${badFilter === undefined ? `${exclusions.length} filters` : quote(badFilter)}.`,
    );
  }
  const encryption = oneOf<Encryption>(Input.Encryption, ['AES256', 'KMS', 'KMS_DSSE'], 'AES256');
  const kmsKey = readMatching(Input.KmsKey, KMS_KEY, 'a KMS key ARN, id or alias (alias/name)');
  if (kmsKey && encryption === 'AES256') {
    throw new ConfigError(`Input "${Input.KmsKey}" needs "${Input.Encryption}" KMS or KMS_DSSE, got AES256.`);
  }
  return {
    scanOnPush: readBoolean(Input.ScanOnPush, true),
    tagMutability,
    exclusions,
    encryption,
    kmsKey,
    lifecyclePolicy: readLifecyclePolicy(),
  };
}

function readLifecyclePolicy(): string | undefined {
  const policy = readStructured(Input.LifecyclePolicy);
  if (policy === undefined) return undefined;
  const rules = (policy as { rules?: unknown }).rules;
  if (Array.isArray(policy) || !Array.isArray(rules) || rules.length === 0) {
    throw new ConfigError(
      `Input "${Input.LifecyclePolicy}" must be an ECR lifecycle policy: an object with a non-empty "rules" list.`,
    );
  }
  return JSON.stringify(policy);
}

function readTagOptions(): TagOptions {
  const explicit = readList(Input.Tags).map((tag) => parseTag(Input.Tags, tag));
  return {
    explicit,
    sha: readBoolean(Input.TagSha, true),
    shaLength: readInteger(Input.ShaLength, { min: 4, max: 40, default: 7 }),
    environment: readEnvironment(),
    branch: readBoolean(Input.TagBranch, false),
    semver: readBoolean(Input.TagSemver, true),
    latest: readBoolean(Input.TagLatest, false),
  };
}

function readEnvironment(): string {
  const environment = readString(Input.TagEnvironment);
  if (environment && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,86}$/.test(environment)) {
    throw new ConfigError(
      `Input "${Input.TagEnvironment}" must be usable in a tag (letters, digits, "_", "." or "-", at most 87), ` +
        `got ${quote(environment)}.`,
    );
  }
  return environment;
}

function readBuildInputs(repository: string): BuildInputs {
  const platforms = readList(Input.Platforms);
  const badPlatform = platforms.find((platform) => !PLATFORM.test(platform));
  if (badPlatform) {
    throw new ConfigError(
      `Input "${Input.Platforms}" must list platforms such as linux/amd64 or linux/arm64/v8, got ${quote(badPlatform)}.`,
    );
  }
  const secrets = readMap(Input.Secrets);
  for (const value of Object.values(secrets)) if (value) core.setSecret(value);
  return {
    context: readString(Input.Context, { default: '.' }),
    file: readString(Input.File),
    target: readMatching(Input.Target, STAGE, 'a build stage name (a letter, then letters, digits, _ . -)'),
    platforms,
    buildArgs: readMap(Input.BuildArgs),
    secrets,
    secretFiles: readMap(Input.SecretFiles),
    cache: readCache(repository),
    provenance: readAttestation(Input.Provenance, 'false'),
    sbom: readAttestation(Input.Sbom, ''),
    builder: readMatching(Input.Builder, BUILDER, 'a buildx builder name (letters, digits, _ . -)'),
    push: readBoolean(Input.Push, true),
  };
}

function readCache(repository: string): CacheInput {
  const type = oneOf(Input.Cache, ['gha', 'registry', 'none'] as const, 'gha');
  const ref = readString(Input.CacheRef);
  const mode = oneOf<CacheMode>(Input.CacheMode, ['min', 'max'], 'max');
  if (type === 'none') {
    const extra = [Input.CacheRef, Input.CacheMode].find(given);
    if (extra) throw conflict(Input.Cache, extra, '"cache" is none.');
    return { type };
  }
  if (type === 'gha') {
    if (ref && (!/^[A-Za-z0-9._/-]+$/.test(ref) || ref.split('/').includes('..'))) {
      throw new ConfigError(
        `Input "${Input.CacheRef}" is the GitHub cache scope with cache gha: letters, digits, ".", "_", "-" or "/" (no ".." part), ` +
          `got ${quote(ref)}.`,
      );
    }
    return { type, scope: ref || repository, mode };
  }
  if (ref && !ref.includes('/')) parseTag(Input.CacheRef, ref);
  return { type, ref: ref || 'buildcache', mode };
}

function readAttestation(name: InputName, fallback: string): string {
  const value = readString(name, { default: fallback });
  if (value !== '' && !ATTESTATION.test(value)) {
    throw new ConfigError(
      `Input "${name}" must be true, false or an attestation spec such as mode=max, got ${quote(value)}.`,
    );
  }
  return value;
}

function readScanInputs(): ScanInputs | undefined {
  const thresholdText = parseString(Input.ScanSeverityThreshold, core.getInput(Input.ScanSeverityThreshold));
  const threshold = thresholdText ? parseSeverity(Input.ScanSeverityThreshold, thresholdText) : undefined;
  const ignore = parseList(core.getInput(Input.ScanIgnore));
  const badId = ignore.find((id) => !FINDING_ID.test(id));
  if (badId) {
    throw new ConfigError(
      `Input "${Input.ScanIgnore}" must list finding ids such as CVE-2024-3094, got ${quote(badId)}.`,
    );
  }
  const wait = readBoolean(Input.ScanWait, false);
  const timeoutMs = readDuration(Input.ScanTimeout, 10 * 60_000, WAIT_BOUNDS);
  if (!threshold && !wait) {
    const orphan = [Input.ScanTimeout, Input.ScanIgnore].find(given);
    if (orphan) {
      throw new ConfigError(
        `Input "${orphan}" needs "${Input.ScanSeverityThreshold}" or "${Input.ScanWait}": nothing waits for the scan.`,
      );
    }
    return undefined;
  }
  return { threshold, timeoutMs, ignore };
}
