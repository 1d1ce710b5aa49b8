import { ConfigError } from '@shipyard/platform/errors';
import {
  listDistributions,
  matchDistribution,
  resolveDistributions,
  type DistributionNames,
} from '../src/distributions';
import { fakeApi, noSuchDistribution } from './fake-cloudfront';

const site: DistributionNames = {
  id: 'E1SITE',
  domainName: 'd1.cloudfront.net',
  aliases: ['www.example.com', 'example.com'],
};
const wildcard: DistributionNames = { id: 'E2WILD', domainName: 'd2.cloudfront.net', aliases: ['*.example.com'] };
const other: DistributionNames = { id: 'E3OTHER', domainName: 'd3.cloudfront.net', aliases: ['*.example.com'] };

describe('matchDistribution', () => {
  test.each<[string, DistributionNames[], string]>([
    ['www.example.com', [site, wildcard], 'E1SITE'],
    ['example.com', [site, wildcard], 'E1SITE'],
    ['d2.cloudfront.net', [site, wildcard], 'E2WILD'],
    ['shop.example.com', [site, wildcard], 'E2WILD'],
  ])('%s → %s', (domain, candidates, id) => {
    expect(matchDistribution(domain, candidates)).toBe(id);
  });

  test.each<[string, DistributionNames[], string]>([
    [
      'a.b.example.com',
      [site, wildcard],
      'No CloudFront distribution in this account has the alias or domain name "a.b.example.com" (searched 2 ' +
        'distributions); check the name, or give the distribution id.',
    ],
    ['nope.test', [], '(searched 0 distributions)'],
    [
      'shop.example.com',
      [site, wildcard, other],
      'Domain name "shop.example.com" matches 2 distributions: E2WILD (d2.cloudfront.net, *.example.com); E3OTHER ' +
        '(d3.cloudfront.net, *.example.com). Give the id of the one to invalidate.',
    ],
  ])('%s → error', (domain, candidates, message) => {
    expect(() => matchDistribution(domain, candidates)).toThrow(ConfigError);
    expect(() => matchDistribution(domain, candidates)).toThrow(message);
  });
});

const summary = (d: DistributionNames) => ({
  Id: d.id,
  DomainName: d.domainName,
  Aliases: { Quantity: d.aliases.length, Items: d.aliases },
});

describe('listDistributions', () => {
  test('follows NextMarker through every page', async () => {
    const { api, sent } = fakeApi((_, input) =>
      input.Marker === undefined
        ? { DistributionList: { IsTruncated: true, NextMarker: 'E1SITE', Items: [summary(site)] } }
        : { DistributionList: { IsTruncated: false, Items: [summary(wildcard)] } },
    );
    expect(await listDistributions(api)).toEqual([site, wildcard]);
    expect(sent.map((s) => s.input.Marker)).toEqual([undefined, 'E1SITE']);
  });
});

describe('resolveDistributions', () => {
  test('looks domains up once, checks ids against the same listing and drops duplicates', async () => {
    const { api, sent } = fakeApi(() => ({
      DistributionList: { IsTruncated: false, Items: [site, wildcard].map(summary) },
    }));
    const resolved = await resolveDistributions(api, [
      { kind: 'domain', domain: 'www.example.com' },
      { kind: 'id', id: 'E1SITE' },
      { kind: 'domain', domain: 'shop.example.com' },
    ]);
    expect(resolved).toEqual([
      { id: 'E1SITE', requestedAs: 'www.example.com' },
      { id: 'E2WILD', requestedAs: 'shop.example.com' },
    ]);
    expect(sent.map((s) => s.command)).toEqual(['ListDistributions']);
  });

  test('an id missing from the listing is an error before anything is created', async () => {
    const { api } = fakeApi(() => ({ DistributionList: { IsTruncated: false, Items: [summary(site)] } }));
    await expect(
      resolveDistributions(api, [
        { kind: 'domain', domain: 'www.example.com' },
        { kind: 'id', id: 'E9MISSING' },
      ]),
    ).rejects.toThrow(
      new ConfigError('CloudFront distribution "E9MISSING" does not exist in this AWS account (NoSuchDistribution).'),
    );
  });

  test('an id is confirmed with GetDistribution', async () => {
    const { api, sent } = fakeApi((_, input) => ({ Distribution: { Id: input.Id } }));
    expect(await resolveDistributions(api, [{ kind: 'id', id: 'E1SITE' }])).toEqual([
      { id: 'E1SITE', requestedAs: 'E1SITE' },
    ]);
    expect(sent).toEqual([{ command: 'GetDistribution', input: { Id: 'E1SITE' } }]);
  });

  test('each id is checked with GetDistribution: NoSuchDistribution is an error before anything is created', async () => {
    const { api, sent } = fakeApi((_, input) =>
      input.Id === 'E9MISSING' ? noSuchDistribution() : { Distribution: { Id: input.Id } },
    );
    await expect(
      resolveDistributions(api, [
        { kind: 'id', id: 'E1SITE' },
        { kind: 'id', id: 'E9MISSING' },
      ]),
    ).rejects.toThrow('CloudFront distribution "E9MISSING" does not exist');
    expect(sent.map((s) => [s.command, s.input.Id])).toEqual([
      ['GetDistribution', 'E1SITE'],
      ['GetDistribution', 'E9MISSING'],
    ]);
  });

  test('a GetDistribution the role may not make leaves the answer to CreateInvalidation', async () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied', $metadata: {} });
    const { api } = fakeApi(() => denied);
    expect(
      await resolveDistributions(api, [
        { kind: 'id', id: 'E1SITE' },
        { kind: 'id', id: 'E2WILD' },
      ]),
    ).toHaveLength(2);
  });
});
