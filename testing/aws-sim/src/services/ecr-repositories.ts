import { AwsError } from '../errors';
import type { JsonHandler } from '../protocols/json';
import type { World } from '../world';
import {
  ecrRepositories,
  getRepository,
  paginate,
  registryHost,
  type EcrRepository,
  type ExclusionFilter,
  type TagMutability,
} from './ecr-model';

const NAME_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const MUTABILITIES: TagMutability[] = ['MUTABLE', 'IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'];
const FILTER_PATTERN = /^[0-9a-zA-Z._*-]{1,128}$/;

const invalid = (field: string, constraint: string) =>
  new AwsError(
    'InvalidParameterException',
    `Invalid parameter at '${field}' failed to satisfy constraint: '${constraint}'`,
  );

export interface CreateRepositoryInput {
  repositoryName?: string;
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: ExclusionFilter[];
  imageScanningConfiguration?: { scanOnPush?: boolean };
  encryptionConfiguration?: { encryptionType?: string; kmsKey?: string };
  tags?: { Key: string; Value: string }[];
}

function validateExclusions(mutability: TagMutability, filters: ExclusionFilter[] | undefined): ExclusionFilter[] {
  const withExclusion = mutability.endsWith('_WITH_EXCLUSION');
  if (!withExclusion) {
    if (filters?.length)
      throw invalid(
        'imageTagMutabilityExclusionFilters',
        `exclusion filters are only allowed with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`,
      );
    return [];
  }
  if (!filters?.length || filters.length > 5)
    throw invalid('imageTagMutabilityExclusionFilters', 'Member must have length between 1 and 5');
  for (const f of filters) {
    if (f.filterType !== 'WILDCARD')
      throw invalid('imageTagMutabilityExclusionFilters.filterType', 'Member must satisfy enum value set: [WILDCARD]');
    if (typeof f.filter !== 'string' || !FILTER_PATTERN.test(f.filter))
      throw invalid(
        'imageTagMutabilityExclusionFilters.filter',
        `must satisfy regular expression '${FILTER_PATTERN.source}'`,
      );
  }
  return filters.map((f) => ({ filterType: f.filterType, filter: f.filter }));
}

function validateEncryption(config: CreateRepositoryInput['encryptionConfiguration'], world: World, region: string) {
  const encryptionType = config?.encryptionType ?? 'AES256';
  if (!['AES256', 'KMS', 'KMS_DSSE'].includes(encryptionType))
    throw invalid(
      'encryptionConfiguration.encryptionType',
      'Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]',
    );
  if (encryptionType === 'AES256') {
    if (config?.kmsKey)
      throw invalid('encryptionConfiguration', 'kmsKey can only be specified with encryption type KMS or KMS_DSSE');
    return { encryptionType };
  }
  return { encryptionType, kmsKey: config?.kmsKey ?? `arn:aws:kms:${region}:${world.accountId}:alias/aws/ecr` };
}

/** CreateRepository with AWS's validation; also used by the seed. */
export function createRepository(world: World, region: string, input: CreateRepositoryInput): EcrRepository {
  const name = input.repositoryName;
  if (typeof name !== 'string' || name.length < 2 || name.length > 256)
    throw invalid('repositoryName', 'Member must have length between 2 and 256');
  if (!NAME_PATTERN.test(name))
    throw invalid('repositoryName', `must satisfy regular expression '${NAME_PATTERN.source.slice(1, -1)}'`);
  const mutability = (input.imageTagMutability ?? 'MUTABLE') as TagMutability;
  if (!MUTABILITIES.includes(mutability))
    throw invalid('imageTagMutability', `Member must satisfy enum value set: [${MUTABILITIES.join(', ')}]`);
  const repositories = ecrRepositories(world, region);
  if (repositories.has(name)) {
    throw new AwsError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${name}' already exists in the registry with id '${world.accountId}'`,
    );
  }
  const repository: EcrRepository = {
    name,
    region,
    createdAt: world.now(),
    imageTagMutability: mutability,
    exclusionFilters: validateExclusions(mutability, input.imageTagMutabilityExclusionFilters),
    scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false,
    encryption: validateEncryption(input.encryptionConfiguration, world, region),
    tags: input.tags ?? [],
    blobs: new Map(),
    images: new Map(),
    imageTags: new Map(),
  };
  repositories.set(name, repository);
  return repository;
}

function repositoryOutput(world: World, r: EcrRepository) {
  return {
    repositoryArn: `arn:aws:ecr:${r.region}:${world.accountId}:repository/${r.name}`,
    registryId: world.accountId,
    repositoryName: r.name,
    repositoryUri: `${registryHost(world.accountId, r.region)}/${r.name}`,
    createdAt: new Date(r.createdAt),
    imageTagMutability: r.imageTagMutability,
    imageTagMutabilityExclusionFilters: r.exclusionFilters.length ? r.exclusionFilters : undefined,
    imageScanningConfiguration: { scanOnPush: r.scanOnPush },
    encryptionConfiguration: r.encryption,
  };
}

const lifecycleError = (reason: string) =>
  invalid('lifecyclePolicyText', `Lifecycle policy validation failure: ${reason}`);

/** The checks ECR applies to a lifecycle policy document. */
function validateLifecyclePolicy(text: unknown): void {
  if (typeof text !== 'string' || text.length < 100 || text.length > 30720)
    throw invalid('lifecyclePolicyText', 'Member must have length between 100 and 30720');
  let policy: { rules?: Record<string, unknown>[] };
  try {
    policy = JSON.parse(text) as typeof policy;
  } catch {
    throw lifecycleError('Could not map policyString into LifecyclePolicy.');
  }
  if (!Array.isArray(policy?.rules) || policy.rules.length === 0)
    throw lifecycleError('object has missing required properties (["rules"])');
  const priorities = new Set<number>();
  for (const rule of policy.rules) {
    const priority = rule.rulePriority;
    if (!Number.isInteger(priority) || (priority as number) < 1)
      throw lifecycleError('rulePriority must be an integer of at least 1');
    if (priorities.has(priority as number))
      throw lifecycleError('Lifecycle policy rules must have unique rulePriority values');
    priorities.add(priority as number);
    const selection = (rule.selection ?? {}) as Record<string, unknown>;
    if (!['tagged', 'untagged', 'any'].includes(String(selection.tagStatus)))
      throw lifecycleError('tagStatus must be one of tagged, untagged, any');
    if (selection.tagStatus === 'tagged' && !selection.tagPrefixList && !selection.tagPatternList)
      throw lifecycleError('tagPrefixList or tagPatternList is required when tagStatus is tagged');
    if (!['imageCountMoreThan', 'sinceImagePushed'].includes(String(selection.countType)))
      throw lifecycleError('countType must be imageCountMoreThan or sinceImagePushed');
    if (selection.countType === 'sinceImagePushed' && selection.countUnit !== 'days')
      throw lifecycleError('countUnit must be days when countType is sinceImagePushed');
    if (!Number.isInteger(selection.countNumber) || (selection.countNumber as number) < 1)
      throw lifecycleError('countNumber must be a positive integer');
    if ((rule.action as { type?: string } | undefined)?.type !== 'expire')
      throw lifecycleError('action.type must be expire');
  }
}

export const repositoryHandlers: Record<string, JsonHandler> = {
  CreateRepository: (input: CreateRepositoryInput, { world, region }) => ({
    repository: repositoryOutput(world, createRepository(world, region, input)),
  }),
  DescribeRepositories: (input, { world, region }) => {
    const names: string[] | undefined = input.repositoryNames;
    const selected = names
      ? names.map((n) => getRepository(world, region, n))
      : [...ecrRepositories(world, region).values()];
    const { page, nextToken } = paginate(selected, input.maxResults, input.nextToken);
    return { repositories: page.map((r) => repositoryOutput(world, r)), nextToken };
  },
  PutLifecyclePolicy: (input, { world, region }) => {
    const repository = getRepository(world, region, input.repositoryName);
    validateLifecyclePolicy(input.lifecyclePolicyText);
    repository.lifecyclePolicyText = input.lifecyclePolicyText;
    return {
      registryId: world.accountId,
      repositoryName: repository.name,
      lifecyclePolicyText: input.lifecyclePolicyText,
    };
  },
  GetLifecyclePolicy: (input, { world, region }) => {
    const repository = getRepository(world, region, input.repositoryName);
    if (!repository.lifecyclePolicyText) {
      throw new AwsError(
        'LifecyclePolicyNotFoundException',
        `Lifecycle policy does not exist for the repository with name '${repository.name}' in the registry with id '${world.accountId}'`,
      );
    }
    return {
      registryId: world.accountId,
      repositoryName: repository.name,
      lifecyclePolicyText: repository.lifecyclePolicyText,
    };
  },
};
