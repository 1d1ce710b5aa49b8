import { parseImageSource, parseRegistry, parseRepository, parseTag, type Registry } from '../src/registry';

const ECR: Registry = { kind: 'ecr' };
const GHCR: Registry = { kind: 'generic', host: 'ghcr.io' };
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseRegistry', () => {
  test.each([
    ['', { kind: 'ecr' }],
    [
      '123456789012.dkr.ecr.eu-north-1.amazonaws.com',
      {
        kind: 'ecr',
        host: '123456789012.dkr.ecr.eu-north-1.amazonaws.com',
        accountId: '123456789012',
        region: 'eu-north-1',
      },
    ],
    [
      'https://123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/',
      {
        kind: 'ecr',
        host: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com',
        accountId: '123456789012',
        region: 'us-east-1',
      },
    ],
    ['ghcr.io', { kind: 'generic', host: 'ghcr.io' }],
    ['localhost:5000', { kind: 'generic', host: 'localhost:5000' }],
  ])('%j → %j', (raw, expected) => {
    expect(parseRegistry('registry', raw)).toEqual(expected);
  });

  test.each([
    ['ghcr.io/owner', 'must be a registry host'],
    ['12345.dkr.ecr.us-east-1.amazonaws.com', 'looks like an ECR registry'],
    ['not a host', 'must be a registry host'],
  ])('%j is rejected', (raw, message) => {
    expect(() => parseRegistry('registry', raw)).toThrow(message);
  });
});

describe('parseRepository', () => {
  test.each([
    ['rideshare-api', ECR],
    ['aiponge/api-gateway', ECR],
    ['my.app_web-1/x', ECR],
    ['owner/aviation-weather-frontend', GHCR],
    ['owner/a__b', GHCR],
  ])('%j is valid for %j', (name, registry) => {
    expect(parseRepository('repository', name, registry)).toBe(name);
  });

  test.each([
    ['', ECR, 'Input "repository" is required but was empty or not set.'],
    [
      'Rideshare-API',
      ECR,
      'Input "repository" must be lower-case (registries reject upper-case repository names), got "Rideshare-API"; did you mean "rideshare-api"?',
    ],
    [
      'ghcr.io/owner/app',
      GHCR,
      'Input "repository" must be the repository name without the registry host: put "ghcr.io" in "registry" and "owner/app" in "repository".',
    ],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/web',
      ECR,
      'put "123456789012.dkr.ecr.us-east-1.amazonaws.com" in "registry"',
    ],
    ['a', ECR, 'is not a valid ECR repository name: 2 to 256 characters'],
    ['web--api/', ECR, 'is not a valid ECR repository name'],
    ['-web', ECR, 'is not a valid ECR repository name'],
    ['a'.repeat(257), ECR, 'is not a valid ECR repository name'],
    ['web app', ECR, 'is not a valid ECR repository name'],
    ['owner/a___b', GHCR, 'is not a valid repository name'],
  ])('%j for %j fails with %j', (name, registry, message) => {
    expect(() => parseRepository('repository', name, registry)).toThrow(message);
  });
});

describe('parseTag', () => {
  test.each(['v1.2.3', 'sha-abc1234', '_x', 'A'.repeat(128)])('%j is a tag', (tag) => {
    expect(parseTag('tags', tag)).toBe(tag);
  });
  test.each(['-x', '.x', 'a/b', 'a:b', 'A'.repeat(129), ''])('%j is not a tag', (tag) => {
    expect(() => parseTag('tags', tag)).toThrow(`Input "tags" has an invalid tag`);
  });
});

describe('parseImageSource', () => {
  test.each([
    ['staging-abc', { repository: 'web', tag: 'staging-abc' }],
    [DIGEST, { repository: 'web', digest: DIGEST }],
    ['api:v1', { repository: 'api', tag: 'v1' }],
    [`team/api@${DIGEST}`, { repository: 'team/api', digest: DIGEST }],
  ])('%j → %j', (raw, expected) => {
    expect(parseImageSource('promote-from', raw, ECR, 'web')).toEqual(expected);
  });

  test.each([
    ['web@sha256:abc', 'has an invalid digest "sha256:abc"'],
    ['team/api', 'must be a tag, a digest'],
    ['Web:v1', 'must be lower-case'],
  ])('%j fails with %j', (raw, message) => {
    expect(() => parseImageSource('promote-from', raw, ECR, 'web')).toThrow(message);
  });
});
