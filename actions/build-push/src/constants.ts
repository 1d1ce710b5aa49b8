/** The action's name in failure messages (`build-push: …`) and in the AWS user agent. */
export const ACTION = 'build-push';

/** Input names, exactly as in action.yml. */
export const Input = {
  Registry: 'registry',
  Repository: 'repository',
  Region: 'region',
  RegistryIds: 'registry-ids',
  Username: 'username',
  Password: 'password',
  CreateRepository: 'create-repository',
  ScanOnPush: 'scan-on-push',
  TagMutability: 'tag-mutability',
  TagMutabilityExclusions: 'tag-mutability-exclusions',
  Encryption: 'encryption',
  KmsKey: 'kms-key',
  LifecyclePolicy: 'lifecycle-policy',
  Tags: 'tags',
  TagSha: 'tag-sha',
  ShaLength: 'sha-length',
  TagEnvironment: 'tag-environment',
  TagBranch: 'tag-branch',
  TagSemver: 'tag-semver',
  TagLatest: 'tag-latest',
  Labels: 'labels',
  Context: 'context',
  File: 'file',
  Target: 'target',
  Platforms: 'platforms',
  BuildArgs: 'build-args',
  Secrets: 'secrets',
  SecretFiles: 'secret-files',
  Cache: 'cache',
  CacheRef: 'cache-ref',
  CacheMode: 'cache-mode',
  Provenance: 'provenance',
  Sbom: 'sbom',
  Builder: 'builder',
  Push: 'push',
  PromoteFrom: 'promote-from',
  Force: 'force',
  ScanSeverityThreshold: 'scan-severity-threshold',
  ScanWait: 'scan-wait',
  ScanTimeout: 'scan-timeout',
  ScanIgnore: 'scan-ignore',
} as const;

export const Output = {
  Image: 'image',
  ImageRef: 'image-ref',
  Digest: 'digest',
  Tags: 'tags',
  Registry: 'registry',
  Skipped: 'skipped',
  Promoted: 'promoted',
} as const;

/** What the post step reads back. */
export const State = {
  LoggedIn: 'logged-in-registries',
} as const;
