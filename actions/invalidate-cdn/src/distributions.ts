import * as core from '@shipyard/platform/core';
import {
  GetDistributionCommand,
  ListDistributionsCommand,
  type CloudFrontClient,
  type DistributionSummary,
} from '@aws-sdk/client-cloudfront';
import { ConfigError, isAwsSdkError } from '@shipyard/platform/errors';
import { readPages } from '@shipyard/platform/pages';
import { quote } from '@shipyard/platform/inputs';
import type { DistributionRef } from './inputs';

export type CloudFrontApi = Pick<CloudFrontClient, 'send'>;

export interface ResolvedDistribution {
  id: string;
  /** How the workflow named it (an id or a domain). */
  requestedAs: string;
}

/** What alias lookup needs of a distribution. */
export interface DistributionNames {
  id: string;
  domainName: string;
  aliases: string[];
}

/** `*.example.com` covers exactly one label in its place, as CloudFront's wildcard alternate domain names do. */
function wildcardMatches(alias: string, domain: string): boolean {
  if (!alias.startsWith('*.')) return false;
  const suffix = alias.slice(1);
  return domain.endsWith(suffix) && !domain.slice(0, -suffix.length).includes('.') && domain.length > suffix.length;
}

/**
 * The one distribution serving `domain`: an exact alias or CloudFront domain name first (CloudFront routes an exact
 * alternate domain name before a wildcard one), else a wildcard alias. None or several → ConfigError naming them.
 */
export function matchDistribution(domain: string, candidates: DistributionNames[]): string {
  const names = (d: DistributionNames) => [d.domainName, ...d.aliases].map((name) => name.toLowerCase());
  const exact = candidates.filter((d) => names(d).includes(domain));
  const matches = exact.length
    ? exact
    : candidates.filter((d) => names(d).some((name) => wildcardMatches(name, domain)));
  if (matches.length === 1) return matches[0].id;
  if (matches.length === 0) {
    throw new ConfigError(
      `No CloudFront distribution in this account has the alias or domain name ${quote(domain)} ` +
        `(searched ${candidates.length} distribution${candidates.length === 1 ? '' : 's'}); ` +
        'check the name, or give the distribution id.',
    );
  }
  const described = matches.map((d) => `${d.id} (${[d.domainName, ...d.aliases].join(', ')})`).join('; ');
  throw new ConfigError(
    `Domain name ${quote(domain)} matches ${matches.length} distributions: ${described}. Give the id of the one to ` +
      'invalidate.',
  );
}

function toNames(summary: DistributionSummary): DistributionNames {
  return { id: summary.Id ?? '', domainName: summary.DomainName ?? '', aliases: summary.Aliases?.Items ?? [] };
}

/** Every distribution of the account, page by page (ListDistributions returns at most 100 at a time by default). */
export async function listDistributions(api: CloudFrontApi, signal?: AbortSignal): Promise<DistributionNames[]> {
  const { items } = await readPages(async (marker) => {
    const { DistributionList: page } = await api.send(new ListDistributionsCommand({ Marker: marker }), {
      abortSignal: signal,
    });
    return { items: page?.Items, next: page?.IsTruncated ? page.NextMarker : undefined };
  });
  return items.map(toNames);
}

async function distributionExists(api: CloudFrontApi, id: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await api.send(new GetDistributionCommand({ Id: id }), { abortSignal: signal });
    return true;
  } catch (error) {
    if (isAwsSdkError(error) && error.name === 'NoSuchDistribution') return false;
    // Anything else (e.g. a role without cloudfront:GetDistribution) leaves the question open and CreateInvalidation
    // will answer it.
    core.debug(`Checking distribution ${id}: ${error instanceof Error ? error.name : String(error)}`);
    return true;
  }
}

export function missingDistribution(id: string): ConfigError {
  return new ConfigError(
    `CloudFront distribution ${quote(id)} does not exist in this AWS account (NoSuchDistribution).`,
  );
}

/**
 * Turns the workflow's names into distribution ids. Domains are looked up with ListDistributions (one listing for
 * all of them); ids are confirmed against that listing or with GetDistribution. Nothing is created until every
 * distribution is known to exist, so a typo in the second cannot leave the first invalidated and the step failed
 * half-way.
 */
export async function resolveDistributions(
  api: CloudFrontApi,
  refs: DistributionRef[],
  signal?: AbortSignal,
): Promise<ResolvedDistribution[]> {
  const domains = refs.filter((ref) => ref.kind === 'domain');
  const listed = domains.length ? await listDistributions(api, signal) : undefined;
  const resolved: ResolvedDistribution[] = [];
  for (const ref of refs) {
    if (ref.kind === 'domain') {
      const id = matchDistribution(ref.domain, listed ?? []);
      core.info(`${ref.domain} → distribution ${id}`);
      resolved.push({ id, requestedAs: ref.domain });
      continue;
    }
    const exists = listed ? listed.some((d) => d.id === ref.id) : await distributionExists(api, ref.id, signal);
    if (!exists) throw missingDistribution(ref.id);
    resolved.push({ id: ref.id, requestedAs: ref.id });
  }
  // An id and an alias of the same distribution: invalidate it once.
  return resolved.filter((d, index) => resolved.findIndex((other) => other.id === d.id) === index);
}
