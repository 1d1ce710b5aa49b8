import { AwsError } from '../errors';
import { restXmlService, type RestXmlInput, type RestXmlOutput } from '../protocols/rest-xml';
import { xmlList } from '../protocols/xml';
import type { RequestContext, ServiceModule } from '../service';
import type { World } from '../world';
import {
  addDistribution,
  cloudFrontId,
  DEFAULT_INVALIDATION_SECONDS,
  distributions,
  distributionSummaryXml,
  distributionXml,
  getDistribution,
  invalidationSummaryXml,
  invalidationXml,
  type Distribution,
  type DistributionSeed,
  type Invalidation,
} from './cloudfront-model';

const API = '2020-05-31';
/** In progress at once per distribution. */
const MAX_FILE_PATHS = 3000;
const MAX_WILDCARD_PATHS = 15;
const MAX_PATH_LENGTH = 4000;

const invalidArgument = (message: string) => new AwsError('InvalidArgument', message);
const REFERENCE_TAKEN =
  'Your request contains a caller reference that was used for a previous invalidation batch for the same distribution.';

/** Reads `{Quantity, Items: {<member>: [...]}}` and checks Quantity against the items, as CloudFront does. */
function quantityItems(value: unknown, member: string): string[] {
  const list = (value ?? {}) as { Quantity?: string; Items?: Record<string, string[]> | string };
  const items = typeof list.Items === 'object' ? (list.Items[member] ?? []) : [];
  if (list.Quantity === undefined || Number(list.Quantity) !== items.length) {
    throw new AwsError('InconsistentQuantities', "The value of Quantity and the size of Items don't match.");
  }
  return items.map(String);
}

const isWildcard = (path: string) => path.endsWith('*');

function validatePaths(paths: string[]): void {
  if (paths.length === 0) throw invalidArgument('Your request contains no invalidation paths.');
  for (const path of paths) {
    const starIndex = path.indexOf('*');
    if (!path.startsWith('/') || path.length > MAX_PATH_LENGTH || (starIndex >= 0 && starIndex !== path.length - 1)) {
      throw invalidArgument(`Your request contains one or more invalid invalidation paths: ${path}`);
    }
  }
}

function pathCounts(paths: string[]): { files: number; wildcards: number } {
  const wildcards = paths.filter(isWildcard).length;
  return { files: paths.length - wildcards, wildcards };
}

function checkQuotas(distribution: Distribution, paths: string[]): void {
  const batch = pathCounts(paths);
  if (batch.files > MAX_FILE_PATHS || batch.wildcards > MAX_WILDCARD_PATHS) {
    throw new AwsError('BatchTooLarge', 'Invalidation batch specified is too large.', 413);
  }
  const inFlight = pathCounts(
    distribution.invalidations.filter((i) => i.status === 'InProgress').flatMap((i) => i.paths),
  );
  if (inFlight.files + batch.files > MAX_FILE_PATHS || inFlight.wildcards + batch.wildcards > MAX_WILDCARD_PATHS) {
    throw new AwsError(
      'TooManyInvalidationsInProgress',
      'Processing your request will cause you to exceed the maximum number of in-progress invalidations.',
    );
  }
}

function invalidationResponse(distribution: Distribution, invalidation: Invalidation): RestXmlOutput {
  return {
    status: 201,
    headers: {
      location: `https://cloudfront.amazonaws.com/${API}/distribution/${distribution.id}/invalidation/${invalidation.id}`,
    },
    root: 'Invalidation',
    value: invalidationXml(invalidation),
  };
}

function createInvalidation({ path, body }: RestXmlInput, { world }: RequestContext): RestXmlOutput {
  const distribution = getDistribution(world, path.DistributionId);
  const batch = body?.InvalidationBatch as { Paths?: unknown; CallerReference?: string } | undefined;
  if (!batch)
    throw new AwsError(
      'MissingBody',
      'This operation requires a body. Ensure that the body is present and the Content-Type header is set.',
    );
  const callerReference = batch.CallerReference;
  if (!callerReference) throw invalidArgument('CallerReference is required.');
  const paths = quantityItems(batch.Paths, 'Path');
  validatePaths(paths);

  const previous = distribution.invalidations.find((i) => i.callerReference === callerReference);
  if (previous) {
    const same = [...previous.paths].sort().join('\n') === [...paths].sort().join('\n');
    // The API reference names this InvalidationBatchAlreadyExists, a code the model does not list for the operation;
    // CloudFront answers it as InvalidArgument with this message (which the model does list).
    if (!same) throw invalidArgument(REFERENCE_TAKEN);
    return invalidationResponse(distribution, previous);
  }
  checkQuotas(distribution, paths);
  const invalidation: Invalidation = {
    id: cloudFrontId('I', `${distribution.id}/${distribution.invalidations.length}`),
    status: 'InProgress',
    createTime: world.now(),
    paths,
    callerReference,
  };
  distribution.invalidations.unshift(invalidation);
  world.lagging.start('unknownNewInvalidation', invalidation.id);
  world.after(distribution.invalidationSeconds * 1000, () => {
    invalidation.status = 'Completed';
    world.milestone('cloudfront-invalidation', invalidation.id, 'Completed');
  });
  return invalidationResponse(distribution, invalidation);
}

/** Marker/MaxItems paging shared by the List operations: Marker is the id of the last item already seen. */
function page<T extends { id: string }>(items: T[], query: URLSearchParams) {
  const marker = query.get('Marker') ?? '';
  const maxItems = Number(query.get('MaxItems') ?? 100);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000)
    throw invalidArgument('MaxItems must be between 1 and 1000.');
  const start = marker ? items.findIndex((item) => item.id === marker) + 1 : 0;
  const selected = items.slice(start, start + maxItems);
  const truncated = start + maxItems < items.length;
  return {
    selected,
    header: {
      Marker: marker,
      NextMarker: truncated ? selected[selected.length - 1].id : undefined,
      MaxItems: maxItems,
      IsTruncated: truncated,
      Quantity: selected.length,
    },
  };
}

const ID = '(?<Id>[^/]+)';
const DISTRIBUTION_ID = '(?<DistributionId>[^/]+)';

interface CloudFrontSeed {
  /** Default simulated duration of an invalidation (60 s). */
  invalidationSeconds?: number;
  distributions?: DistributionSeed[];
}

function seed(world: World, doc: Record<string, unknown>): void {
  const section = doc.cloudfront as CloudFrontSeed | undefined;
  for (const distribution of section?.distributions ?? []) {
    addDistribution(world, distribution, section?.invalidationSeconds ?? DEFAULT_INVALIDATION_SECONDS);
  }
}

export function cloudFrontService(): ServiceModule {
  return restXmlService({
    name: 'cloudfront',
    pathPrefix: `/${API}/`,
    xmlns: `http://cloudfront.amazonaws.com/doc/${API}/`,
    listMembers: ['Path'],
    seed,
    routes: [
      {
        operation: 'ListDistributions',
        method: 'GET',
        path: new RegExp(`^/${API}/distribution$`),
        handler: ({ query }, { world }) => {
          const { selected, header } = page([...distributions(world).values()], query);
          const items = selected.map((d) => distributionSummaryXml(world, d));
          return {
            root: 'DistributionList',
            value: { ...header, Items: items.length ? xmlList('DistributionSummary', items) : undefined },
          };
        },
      },
      {
        operation: 'GetDistribution',
        method: 'GET',
        path: new RegExp(`^/${API}/distribution/${ID}$`),
        handler: ({ path }, { world }) => {
          const distribution = getDistribution(world, path.Id);
          const etag = cloudFrontId('E', `${distribution.id}@${distribution.lastModifiedTime}`);
          return { root: 'Distribution', value: distributionXml(world, distribution), headers: { etag } };
        },
      },
      {
        operation: 'CreateInvalidation',
        method: 'POST',
        path: new RegExp(`^/${API}/distribution/${DISTRIBUTION_ID}/invalidation$`),
        handler: createInvalidation,
      },
      {
        operation: 'ListInvalidations',
        method: 'GET',
        path: new RegExp(`^/${API}/distribution/${DISTRIBUTION_ID}/invalidation$`),
        handler: ({ path, query }, { world }) => {
          const { selected, header } = page(getDistribution(world, path.DistributionId).invalidations, query);
          const items = selected.map(invalidationSummaryXml);
          return {
            root: 'InvalidationList',
            value: { ...header, Items: items.length ? xmlList('InvalidationSummary', items) : undefined },
          };
        },
      },
      {
        operation: 'GetInvalidation',
        method: 'GET',
        path: new RegExp(`^/${API}/distribution/${DISTRIBUTION_ID}/invalidation/${ID}$`),
        handler: ({ path }, { world }) => {
          const invalidation = getDistribution(world, path.DistributionId).invalidations.find((i) => i.id === path.Id);
          // Just created, it may not be visible yet (lags.unknownNewInvalidation).
          if (!invalidation || world.lagging.read('unknownNewInvalidation', invalidation.id, 'GetInvalidation'))
            throw new AwsError('NoSuchInvalidation', 'The specified invalidation does not exist.', 404);
          return { root: 'Invalidation', value: invalidationXml(invalidation) };
        },
      },
    ],
  });
}
