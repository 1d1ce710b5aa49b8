import * as core from '@shipyard/platform/core';
import type { CreateRepositoryRequest } from '@aws-sdk/client-ecr';
import { ConfigError, DeploymentFailure } from '@shipyard/platform/errors';
import type { Docker } from './login';
import { isAwsError, type EcrApi } from './ecr';
import type { RepositorySettings } from './inputs';
import type { EcrTarget } from './promote';
import { DIGEST } from './registry';

export function createRepositoryRequest(target: EcrTarget, settings: RepositorySettings): CreateRepositoryRequest {
  return {
    registryId: target.registryId,
    repositoryName: target.repository,
    imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
    imageTagMutability: settings.tagMutability,
    imageTagMutabilityExclusionFilters: settings.exclusions.length
      ? settings.exclusions.map((filter) => ({ filter, filterType: 'WILDCARD' }))
      : undefined,
    encryptionConfiguration: {
      encryptionType: settings.encryption,
      kmsKey: settings.kmsKey || undefined,
    },
  };
}

/**
 * Creates the repository (and its lifecycle policy) when it does not exist. An existing repository is left as it
 * is: its settings belong to whoever made it.
 */
export async function ensureRepository(
  api: EcrApi,
  target: EcrTarget,
  settings: RepositorySettings,
): Promise<'created' | 'exists'> {
  try {
    await api.describeRepositories({ registryId: target.registryId, repositoryNames: [target.repository] });
    core.info(`Repository ${target.repository} exists; its settings are left unchanged.`);
    return 'exists';
  } catch (error) {
    if (!isAwsError(error, 'RepositoryNotFoundException')) throw error;
  }
  try {
    await api.createRepository(createRepositoryRequest(target, settings));
  } catch (error) {
    // Another job created it between our two calls: same end state.
    if (isAwsError(error, 'RepositoryAlreadyExistsException')) return 'exists';
    throw error;
  }
  if (settings.lifecyclePolicy) {
    await api.putLifecyclePolicy({
      registryId: target.registryId,
      repositoryName: target.repository,
      lifecyclePolicyText: settings.lifecyclePolicy,
    });
  }
  core.info(
    `Created repository ${target.repository}: scan on push ${settings.scanOnPush ? 'on' : 'off'}, tags ` +
      `${settings.tagMutability}, encryption ${settings.encryption}` +
      `${settings.lifecyclePolicy ? ', lifecycle policy set' : ''}.`,
  );
  return 'created';
}

/** The digest `tag` names in ECR, if any. A missing repository is a configuration problem, said plainly. */
export async function findEcrImage(api: EcrApi, target: EcrTarget, tag: string): Promise<string | undefined> {
  try {
    const response = await api.describeImages({
      registryId: target.registryId,
      repositoryName: target.repository,
      imageIds: [{ imageTag: tag }],
    });
    return response.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (isAwsError(error, 'ImageNotFoundException')) return undefined;
    if (isAwsError(error, 'RepositoryNotFoundException')) {
      throw new ConfigError(
        `Repository "${target.repository}" does not exist in the ECR registry` +
          `${target.registryId ? ` of account ${target.registryId}` : ''}: create it, or set create-repository: true.`,
      );
    }
    throw error;
  }
}

/**
 * The digest `reference` names in any registry (`docker buildx imagetools inspect`), undefined when there is no
 * such manifest. Other failures (authentication, network) stop the action rather than rebuilding blindly.
 */
export async function findRemoteDigest(docker: Docker, reference: string): Promise<string | undefined> {
  const result = await docker(['buildx', 'imagetools', 'inspect', reference, '--format', '{{json .Manifest}}'], {
    silent: true,
  });
  if (result.exitCode !== 0) {
    if (/not found|manifest unknown|no such manifest/i.test(result.stderr)) return undefined;
    throw new DeploymentFailure(
      `Could not look up ${reference} (exit code ${result.exitCode})`,
      result.tail.join('\n'),
    );
  }
  try {
    const digest = (JSON.parse(result.stdout) as { digest?: unknown }).digest;
    if (typeof digest === 'string' && DIGEST.test(digest)) return digest;
  } catch {
    // reported below
  }
  throw new DeploymentFailure(`docker buildx imagetools inspect ${reference} printed no manifest digest.`);
}

/** Adds tags to an image in a registry other than ECR, by digest, without pulling it. */
export async function retagRemote(docker: Docker, source: string, references: string[]): Promise<void> {
  if (references.length === 0) return;
  const result = await docker([
    'buildx',
    'imagetools',
    'create',
    ...references.flatMap((reference) => ['--tag', reference]),
    source,
  ]);
  if (result.exitCode !== 0) {
    throw new DeploymentFailure(
      `Could not add tags to ${source} (exit code ${result.exitCode})`,
      result.tail.join('\n'),
    );
  }
}
