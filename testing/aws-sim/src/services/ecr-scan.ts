import { AwsError } from '../errors';
import type { JsonHandler } from '../protocols/json';
import type { ImageScenario } from '../scenarios';
import type { World } from '../world';
import {
  describeImageId,
  getRepository,
  isIndexType,
  paginate,
  registryHost,
  requireImage,
  tagsOf,
  type EcrRepository,
  type ImageScan,
  type StoredImage,
} from './ecr-model';

const DEFAULT_SCAN_SECONDS = 20;
/** Basic scanning allows one scan per image per 24 hours. */
const SCAN_QUOTA_MS = 24 * 3600_000;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

/**
 * The scenario that decides an image's scan: the first reference form (`<registry>/<repo>:<tag>` for each tag of
 * the image or of an index over it, then `<registry>/<repo>@<digest>`, then `<repo>@<digest>`) whose scenario
 * says something about scanning.
 */
function scanScenario(world: World, repository: EcrRepository, image: StoredImage): ImageScenario | undefined {
  const registry = registryHost(world.accountId, repository.region);
  const parents = [...repository.images.values()].filter((i) => i.references.includes(image.digest));
  const tags = [image, ...parents].flatMap((i) => tagsOf(repository, i.digest));
  const references = [
    ...tags.map((tag) => `${registry}/${repository.name}:${tag}`),
    `${registry}/${repository.name}@${image.digest}`,
    `${repository.name}@${image.digest}`,
  ];
  return references
    .map((ref) => world.scenarios.find(ref))
    .find((scenario) => scenario.findings !== undefined || scenario.scanSeconds !== undefined);
}

/**
 * Starts a basic scan; it completes after the scenario's `scanSeconds` of simulated time. Findings are decided at
 * completion, when tags pushed after the manifest (e.g. an index over a platform image) are known too.
 */
export function startScan(world: World, repository: EcrRepository, image: StoredImage): ImageScan {
  const scan: ImageScan = { status: 'IN_PROGRESS', startedAt: world.now(), findings: [] };
  image.scan = scan;
  const seconds = scanScenario(world, repository, image)?.scanSeconds ?? DEFAULT_SCAN_SECONDS;
  world.after(seconds * 1000, () => {
    if (image.scan !== scan) return;
    scan.findings = scanScenario(world, repository, image)?.findings ?? [];
    scan.status = 'COMPLETE';
    scan.completedAt = world.now();
    world.milestone('ecr-scan', `${repository.name}@${image.digest}`, 'COMPLETE');
  });
  return scan;
}

export function scanStatus(scan: ImageScan) {
  return {
    status: scan.status,
    description: scan.status === 'COMPLETE' ? 'The scan was completed successfully.' : undefined,
  };
}

function severityCounts(scan: ImageScan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of scan.findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
  return counts;
}

/** `imageScanFindingsSummary` of DescribeImages (complete scans only). */
export function scanSummary(scan: ImageScan | undefined) {
  if (!scan || scan.completedAt === undefined) return undefined;
  const completedAt = new Date(scan.completedAt);
  return {
    imageScanCompletedAt: completedAt,
    vulnerabilitySourceUpdatedAt: completedAt,
    findingSeverityCounts: severityCounts(scan),
  };
}

const startImageScan: JsonHandler = (input, { world, region }) => {
  const repository = getRepository(world, region, input.repositoryName);
  const image = requireImage(world, repository, input.imageId);
  if (isIndexType(image.mediaType)) {
    throw new AwsError('UnsupportedImageTypeException', 'The image type is not supported for scanning.');
  }
  if (image.scan && world.now() - image.scan.startedAt < SCAN_QUOTA_MS) {
    throw new AwsError('LimitExceededException', 'The scan quota per image has been exceeded. Wait and try again.');
  }
  const scan = startScan(world, repository, image);
  return {
    registryId: world.accountId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, imageTag: input.imageId?.imageTag },
    imageScanStatus: scanStatus(scan),
  };
};

const describeImageScanFindings: JsonHandler = (input, { world, region }) => {
  const repository = getRepository(world, region, input.repositoryName);
  const image = requireImage(world, repository, input.imageId);
  const scan = image.scan;
  if (!scan) {
    throw new AwsError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '${describeImageId(input.imageId)}' in the repository with name '${repository.name}' in the registry with id '${world.accountId}'`,
    );
  }
  const base = {
    registryId: world.accountId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, imageTag: input.imageId?.imageTag },
    imageScanStatus: scanStatus(scan),
  };
  if (scan.status !== 'COMPLETE') return base;
  const sorted = [...scan.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  const { page, nextToken } = paginate(sorted, input.maxResults, input.nextToken);
  return {
    ...base,
    imageScanFindings: {
      ...scanSummary(scan),
      findings: page.map((f) => ({
        name: f.name,
        severity: f.severity,
        uri: `https://security-tracker.debian.org/tracker/${f.name}`,
        description: `${f.name} (simulated finding)`,
        attributes: [],
      })),
    },
    nextToken,
  };
};

export const scanHandlers = {
  StartImageScan: startImageScan,
  DescribeImageScanFindings: describeImageScanFindings,
};
