import { createHash } from 'node:crypto';
import { AwsError } from '../errors';
import { xmlList, type XmlObject } from '../protocols/xml';
import type { World } from '../world';

export interface Invalidation {
  id: string;
  status: 'InProgress' | 'Completed';
  createTime: number;
  paths: string[];
  callerReference: string;
}

export interface Distribution {
  id: string;
  domainName: string;
  aliases: string[];
  comment: string;
  enabled: boolean;
  originDomainName: string;
  lastModifiedTime: number;
  /** Simulated seconds an invalidation of this distribution takes. */
  invalidationSeconds: number;
  /** Newest first, as ListInvalidations answers. */
  invalidations: Invalidation[];
}

export interface DistributionSeed {
  id: string;
  aliases?: string[];
  domainName?: string;
  comment?: string;
  enabled?: boolean;
  originDomainName?: string;
  invalidationSeconds?: number;
}

export const DEFAULT_INVALIDATION_SECONDS = 60;

/** CloudFront is global: one store for the account, whatever region the client signs for. */
export function distributions(world: World): Map<string, Distribution> {
  return world.store('cloudfront', () => new Map<string, Distribution>());
}

export function addDistribution(
  world: World,
  seed: DistributionSeed,
  defaultInvalidationSeconds: number,
): Distribution {
  if (!seed.id) throw new Error('a seeded CloudFront distribution needs an "id"');
  const distribution: Distribution = {
    id: seed.id,
    domainName: seed.domainName ?? `d${seed.id.toLowerCase()}.cloudfront.net`,
    aliases: seed.aliases ?? [],
    comment: seed.comment ?? '',
    enabled: seed.enabled ?? true,
    originDomainName: seed.originDomainName ?? 'origin.example.com',
    lastModifiedTime: world.now(),
    invalidationSeconds: seed.invalidationSeconds ?? defaultInvalidationSeconds,
    invalidations: [],
  };
  distributions(world).set(distribution.id, distribution);
  return distribution;
}

export function getDistribution(world: World, id: string): Distribution {
  const distribution = distributions(world).get(id);
  if (!distribution) throw new AwsError('NoSuchDistribution', 'The specified distribution does not exist.', 404);
  return distribution;
}

/** A CloudFront-looking id (`I` + 13 upper-case letters and digits), stable for a given seed string. */
export function cloudFrontId(prefix: string, seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = createHash('sha256').update(seed).digest();
  return prefix + Array.from(bytes.subarray(0, 13), (b) => alphabet[b % alphabet.length]).join('');
}

const quantityList = (member: string, items: string[]) =>
  ({ Quantity: items.length, Items: items.length ? xmlList(member, items) : undefined }) satisfies XmlObject;

export function invalidationXml(invalidation: Invalidation): XmlObject {
  return {
    Id: invalidation.id,
    Status: invalidation.status,
    CreateTime: new Date(invalidation.createTime),
    InvalidationBatch: {
      Paths: quantityList('Path', invalidation.paths),
      CallerReference: invalidation.callerReference,
    },
  };
}

export function invalidationSummaryXml(invalidation: Invalidation): XmlObject {
  return { Id: invalidation.id, CreateTime: new Date(invalidation.createTime), Status: invalidation.status };
}

/** The parts of a distribution's configuration both GetDistribution and ListDistributions show. */
function configParts(d: Distribution): XmlObject {
  const originId = `origin-${d.id}`;
  return {
    Aliases: quantityList('CNAME', d.aliases),
    Origins: {
      Quantity: 1,
      Items: xmlList('Origin', [
        {
          Id: originId,
          DomainName: d.originDomainName,
          OriginPath: '',
          CustomHeaders: { Quantity: 0 },
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' },
        },
      ]),
    },
    DefaultCacheBehavior: {
      TargetOriginId: originId,
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    },
    CacheBehaviors: { Quantity: 0 },
    CustomErrorResponses: { Quantity: 0 },
    Comment: d.comment,
    PriceClass: 'PriceClass_All',
    Enabled: d.enabled,
    ViewerCertificate: { CloudFrontDefaultCertificate: true, MinimumProtocolVersion: 'TLSv1' },
    Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } },
    WebACLId: '',
    HttpVersion: 'http2',
    IsIPV6Enabled: true,
  };
}

export const distributionArn = (world: World, d: Distribution) =>
  `arn:aws:cloudfront::${world.accountId}:distribution/${d.id}`;

export function distributionSummaryXml(world: World, d: Distribution): XmlObject {
  return {
    Id: d.id,
    ARN: distributionArn(world, d),
    Status: 'Deployed',
    LastModifiedTime: new Date(d.lastModifiedTime),
    DomainName: d.domainName,
    ...configParts(d),
    Staging: false,
  };
}

export function distributionXml(world: World, d: Distribution): XmlObject {
  return {
    Id: d.id,
    ARN: distributionArn(world, d),
    Status: 'Deployed',
    LastModifiedTime: new Date(d.lastModifiedTime),
    InProgressInvalidationBatches: d.invalidations.filter((i) => i.status === 'InProgress').length,
    DomainName: d.domainName,
    ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
    ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
    DistributionConfig: { CallerReference: `aws-sim-${d.id}`, DefaultRootObject: 'index.html', ...configParts(d) },
  };
}
