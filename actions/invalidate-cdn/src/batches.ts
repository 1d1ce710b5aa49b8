import { byCodeUnit, isWildcard } from './paths';
import { WILDCARDS_IN_FLIGHT } from './collapse';

/** File (non-wildcard) paths CloudFront lets one distribution have in progress at once. */
export const FILES_IN_FLIGHT = 3_000;

export interface BatchLimits {
  files: number;
  wildcards: number;
}

export const CLOUDFRONT_LIMITS: BatchLimits = { files: FILES_IN_FLIGHT, wildcards: WILDCARDS_IN_FLIGHT };

/**
 * Splits the paths for one distribution into invalidation batches that each fit an empty in-flight window: the
 * two limits are independent, so batch n holds the n-th slice of files and the n-th slice of wildcards. Each batch
 * is sorted, so the same sorted paths always give the same batches (and CallerReferences).
 */
export function planBatches(paths: string[], limits: BatchLimits = CLOUDFRONT_LIMITS): string[][] {
  const files = paths.filter((path) => !isWildcard(path));
  const wildcards = paths.filter(isWildcard);
  const count = Math.max(Math.ceil(files.length / limits.files), Math.ceil(wildcards.length / limits.wildcards));
  return Array.from({ length: count }, (_, index) =>
    [
      ...files.slice(index * limits.files, (index + 1) * limits.files),
      ...wildcards.slice(index * limits.wildcards, (index + 1) * limits.wildcards),
    ].sort(byCodeUnit),
  );
}
