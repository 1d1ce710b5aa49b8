/** Mistakes are reported before anything is created: the exact message, and no mutating call reached AWS. */
import type { Sim } from '@shipyard/aws-sim/server';
import { failure, invalidateCdn, SITE, startCdnSim } from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';

let sim: Sim;
beforeAll(async () => {
  sim = await startCdnSim();
});
afterAll(() => sim.close());
beforeEach(() => sim.control.clearRequests());

// Input mistakes stop the step before outputs exist; a missing distribution is found after the plan, so the outputs
// say nothing was created.
const NO_OUTPUTS = {};
const NOTHING_CREATED = {
  'invalidation-ids': '',
  'paths-requested': '1',
  'paths-submitted': '0',
  'estimated-cost': '0.000',
};

test.each<[string, Record<string, string>, string, Record<string, string>]>([
  [
    'a wildcard inside a path',
    { distributions: SITE, paths: '/index.html\n/a*b' },
    'invalidate-cdn: Path "/a*b" has a "*" before its end: CloudFront accepts the wildcard only as the last ' +
      'character (e.g. "/images/*").',
    NO_OUTPUTS,
  ],
  [
    'a path too long',
    { distributions: SITE, paths: `/${'x'.repeat(4_000)}` },
    `invalidate-cdn: Path "/${'x'.repeat(78)}…" is 4,001 characters long once encoded; CloudFront accepts at most 4,000.`,
    NO_OUTPUTS,
  ],
  [
    'an unknown distribution id',
    { distributions: 'E0NOSUCHDISTRO', paths: '/index.html' },
    'invalidate-cdn: CloudFront distribution "E0NOSUCHDISTRO" does not exist in this AWS account (NoSuchDistribution).',
    NOTHING_CREATED,
  ],
  [
    'an unknown distribution after a known one',
    { distributions: `${SITE}\nE0NOSUCHDISTRO`, paths: '/index.html' },
    'invalidate-cdn: CloudFront distribution "E0NOSUCHDISTRO" does not exist in this AWS account (NoSuchDistribution).',
    { ...NOTHING_CREATED, 'paths-requested': '2' },
  ],
  [
    'an unknown alias',
    { distributions: 'shop.example.net', paths: '/index.html' },
    'invalidate-cdn: No CloudFront distribution in this account has the alias or domain name "shop.example.net" ' +
      '(searched 2 distributions); check the name, or give the distribution id.',
    NOTHING_CREATED,
  ],
  // Issue 12 defect 2: the lines of /etc/passwd were submitted as CloudFront paths.
  [
    'a changed-files-file outside the workspace',
    { distributions: SITE, 'changed-files-file': '../../../../../../../../etc/passwd' },
    'invalidate-cdn: Input "changed-files-file" names "../../../../../../../../etc/passwd", which is outside the ' +
      'workspace; give a path inside the checkout.',
    NO_OUTPUTS,
  ],
  // Issue 12 defect 4: an invalidation was created (and billed), then the step failed at once.
  [
    'a timeout of 0',
    { distributions: SITE, paths: '/index.html', timeout: '0' },
    'invalidate-cdn: Input "timeout" must be a duration from 1s to 120h, got "0".',
    NO_OUTPUTS,
  ],
  [
    'a distribution that is neither id nor domain',
    { distributions: 'my-site', paths: '/index.html' },
    'invalidate-cdn: Input "distributions" has "my-site", which is neither a distribution id (like ' +
      '"E2QWRUHAPOMQZL") nor a domain name (an alias like "www.example.com" or "d111111abcdef8.cloudfront.net").',
    NO_OUTPUTS,
  ],
])('%s', async (_, inputs, message, outputs) => {
  const run = await invalidateCdn(sim, inputs);

  expect(run.exitCode).toBe(1);
  expect(failure(run)).toBe(message);
  expect(sim.control.mutatingRequests()).toEqual([]);
  expect(sim.control.requests({ operation: 'GetInvalidation' })).toEqual([]);
  expect(run.outputs).toEqual(outputs);
  expect(run.summary).toContain(
    `## CloudFront invalidation failed\n\n**Failed:** ${message.replace('invalidate-cdn: ', '')}`,
  );
});

test('an unknown distribution id is found with GetDistribution, which answers NoSuchDistribution', async () => {
  const run = await invalidateCdn(sim, { distributions: `${SITE}\nE0NOSUCHDISTRO`, paths: '/index.html' });

  expect(run.exitCode).toBe(1);
  expect(sim.control.requests().map((r) => [r.operation, r.errorCode])).toEqual([
    ['GetDistribution', undefined],
    ['GetDistribution', 'NoSuchDistribution'],
  ]);
});

test('nothing to invalidate (no changed file in the site) succeeds with a warning and no AWS call', async () => {
  const run = await invalidateCdn(sim, {
    distributions: SITE,
    'changed-files': 'src/main.ts\nREADME.md',
    'files-root': 'dist',
  });

  expect(run.exitCode).toBe(0);
  expect(run.annotations).toContainEqual(
    expect.objectContaining({
      level: 'warning',
      message: 'Nothing to invalidate: no paths were given and no changed file belongs to the site.',
    }),
  );
  expect(sim.control.requests()).toEqual([]);
  expect(run.outputs).toEqual({
    'invalidation-ids': '',
    'paths-requested': '0',
    'paths-submitted': '0',
    'estimated-cost': '0.000',
  });
});
