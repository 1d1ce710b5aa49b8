/**
 * invalidate-cdn end to end: the bundled dist run as the runner runs it, against aws-sim's CloudFront (quotas,
 * CallerReference rules, InProgress → Completed over simulated time).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@shipyard/aws-sim/clock';
import type { Sim } from '@shipyard/aws-sim/server';
import { advanceToNextEvent, beforeEachRequest } from '@shipyard/testkit/sim-time';
import {
  createdBatches,
  DOCS,
  invalidateCdn,
  listInvalidations,
  SITE,
  startCdnSim,
} from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

let sim: Sim;
afterEach(() => sim?.close());

test('a single invalidation is created and waited for until Completed', async () => {
  sim = await startCdnSim();
  const run = await invalidateCdn(sim, { distributions: SITE, paths: '/index.html\n/app.js\n/café menu.html' });

  expect(run.exitCode).toBe(0);
  const id = run.outputs['invalidation-ids'];
  expect(id).toMatch(/^I[A-Z0-9]{13}$/);
  expect(run.outputs).toEqual({
    'invalidation-ids': id,
    'paths-requested': '3',
    'paths-submitted': '3',
    'estimated-cost': '0.000',
  });
  expect(createdBatches(sim)).toEqual([['/app.js', '/caf%C3%A9%20menu.html', '/index.html']]);
  // Waited: the action saw Completed after the sim decided it, and only then finished.
  const [completed] = sim.control.milestones('cloudfront-invalidation');
  expect(completed).toMatchObject({ id, state: 'Completed' });
  const polls = sim.control
    .requests({ operation: 'GetInvalidation' })
    .filter((r) => r.params && (r.params as { Id: string }).Id === id);
  expect(polls.length).toBeGreaterThanOrEqual(1);
  expect(polls.at(-1)!.realTime).toBeGreaterThanOrEqual(completed.realTime);
  // The id was confirmed with GetDistribution first; GetInvalidation is only ever about the created invalidation.
  const calls = sim.control.requests().map((r) => r.operation);
  expect(calls.slice(0, 2)).toEqual(['GetDistribution', 'CreateInvalidation']);
  expect(new Set(calls.slice(2))).toEqual(new Set(['GetInvalidation']));
  expect(sim.control.requests({ operation: 'GetInvalidation' })).toEqual(polls);
  expect(run.log).toContain('All 1 invalidation completed.');
  expect(run.summary).toContain('## CloudFront invalidation completed');
  expect(run.summary).toContain(`| ${SITE} | ${id} | 1/1 | 3 | Completed |`);
  expect(await listInvalidations(sim, SITE)).toHaveLength(1);
});

test('fire-and-forget returns once the invalidation is created', async () => {
  sim = await startCdnSim();
  const run = await invalidateCdn(sim, { distributions: SITE, paths: '/*', wait: 'false' });

  expect(run.exitCode).toBe(0);
  const id = run.outputs['invalidation-ids'];
  const statusPolls = sim.control
    .requests({ operation: 'GetInvalidation' })
    .filter((r) => (r.params as { Id: string }).Id === id);
  expect(statusPolls).toEqual([]);
  expect(run.summary).toContain('## CloudFront invalidation submitted');
  expect(run.summary).toContain(`| ${id} | 1/1 | 1 | InProgress |`);
});

test('7,000 paths go in batches of 3,000, backing off on TooManyInvalidationsInProgress', async () => {
  // Simulated time passes only while the action waits: a retry after TooManyInvalidationsInProgress, or a status
  // poll, finds the invalidation in progress finished; a batch sent right after the previous one finds it running.
  sim = await startCdnSim([], { clock: new ManualClock(Date.now()) });
  beforeEachRequest(sim, { operation: 'CreateInvalidation' }, () => {
    const previous = sim.control.requests({ operation: 'CreateInvalidation' }).at(-1);
    if (previous?.errorCode === 'TooManyInvalidationsInProgress') advanceToNextEvent(sim);
  });
  beforeEachRequest(sim, { operation: 'GetInvalidation' }, () => advanceToNextEvent(sim));
  const workspace = tempDir('invalidate-cdn-e2e-');
  const files = Array.from({ length: 7_000 }, (_, index) => `dist/assets/a${String(index).padStart(4, '0')}.js`);
  writeFileSync(join(workspace, 'changed.txt'), `${files.join('\n')}\n`);
  const run = await invalidateCdn(
    sim,
    { distributions: SITE, 'changed-files-file': 'changed.txt', 'files-root': 'dist', 'cost-mode': 'false' },
    { workspace },
  );

  expect(run.exitCode).toBe(0);
  expect(createdBatches(sim).map((batch) => batch.length)).toEqual([3_000, 3_000, 1_000]);
  expect(createdBatches(sim).flat()).toEqual(files.map((file) => `/${file.slice('dist/'.length)}`));
  const answers = sim.control.requests({ operation: 'CreateInvalidation' }).map((r) => r.errorCode ?? r.status);
  expect(answers).toEqual([201, 'TooManyInvalidationsInProgress', 201, 'TooManyInvalidationsInProgress', 201]);
  expect(run.log).toMatch(/batch 2\/3: CloudFront has too many invalidations in progress; retrying in 3s\./);
  expect(run.log).toMatch(/batch 3\/3: CloudFront has too many invalidations in progress; retrying in 3s\./);
  expect(run.outputs).toMatchObject({
    'paths-requested': '7000',
    'paths-submitted': '7000',
    'estimated-cost': '30.000',
  });
  expect(run.outputs['invalidation-ids'].split(',')).toHaveLength(3);
  expect((await listInvalidations(sim, SITE)).map((i) => i.Status)).toEqual(['Completed', 'Completed', 'Completed']);
});

test('the same step run twice, and re-run as attempt 2, creates one invalidation and bills it once', async () => {
  sim = await startCdnSim();
  const inputs = { distributions: SITE, paths: '/index.html\n/app.js' };
  const first = await invalidateCdn(sim, inputs);
  const again = await invalidateCdn(sim, inputs);
  const rerun = await invalidateCdn(sim, inputs, { env: { GITHUB_RUN_ATTEMPT: '2' } });

  for (const run of [first, again, rerun]) expect(run.exitCode).toBe(0);
  const id = first.outputs['invalidation-ids'];
  expect(again.outputs['invalidation-ids']).toBe(id);
  expect(rerun.outputs['invalidation-ids']).toBe(id);
  expect(await listInvalidations(sim, SITE)).toEqual([expect.objectContaining({ Id: id })]);
  expect(again.outputs).toMatchObject({ 'paths-submitted': '0', 'estimated-cost': '0.000' });
  expect(again.summary).toContain(`| ${id} (reused) | 1/1 | 2 | Completed |`);
  expect(again.log).toContain(`batch 1/1: reused invalidation ${id}`);

  // Attempt scope: a re-run invalidates again.
  const fresh = await invalidateCdn(
    sim,
    { ...inputs, 'idempotency-scope': 'attempt' },
    { env: { GITHUB_RUN_ATTEMPT: '2' } },
  );
  expect(fresh.outputs['invalidation-ids']).not.toBe(id);
  expect(await listInvalidations(sim, SITE)).toHaveLength(2);
});

test('distributions named by alias are looked up through every page of ListDistributions', async () => {
  const many = Array.from({ length: 120 }, (_, index) => ({ id: `E0FILL${String(index).padStart(8, '0')}` }));
  sim = await startCdnSim([...many, { id: 'E9LATE00000001', aliases: ['late.example.org'] }]);
  const run = await invalidateCdn(sim, {
    distributions: 'www.example.com\nguide.docs.example.com, late.example.org',
    paths: '/index.html',
  });

  expect(run.exitCode).toBe(0);
  expect(sim.control.requests({ operation: 'ListDistributions' }).length).toBe(2);
  const created = sim.control
    .requests({ operation: 'CreateInvalidation' })
    .map((r) => (r.params as { DistributionId: string }).DistributionId);
  expect(created.sort()).toEqual([DOCS, 'E9LATE00000001', SITE].sort());
  expect(run.log).toContain(`www.example.com → distribution ${SITE}`);
  expect(run.log).toContain(`guide.docs.example.com → distribution ${DOCS}`);
  expect(run.summary).toContain(`| ${SITE} (www.example.com) |`);
  expect(run.outputs['paths-submitted']).toBe('3');
});

test('aws s3 sync output as input: uploads and deletes become URL paths, progress lines and sources are ignored', async () => {
  sim = await startCdnSim();
  const syncOutput = [
    'Completed 1.0 KiB/9.0 KiB (2.1 KiB/s) with 3 file(s) remaining\rupload: dist/index.html to s3://www-example/index.html',
    'upload: dist/docs/index.html to s3://www-example/docs/index.html',
    'upload: dist/assets/app.3f9a.js to s3://www-example/assets/app.3f9a.js',
    'delete: s3://www-example/assets/app.1b2c.js',
    'upload failed: dist/big.mp4 to s3://www-example/big.mp4 Connection reset by peer',
  ].join('\n');
  const run = await invalidateCdn(sim, {
    distributions: 'example.com',
    'changed-files': syncOutput,
    'directory-index': 'index.html',
  });

  expect(run.exitCode).toBe(0);
  expect(createdBatches(sim)).toEqual([
    ['/', '/assets/app.1b2c.js', '/assets/app.3f9a.js', '/docs', '/docs/', '/docs/index.html', '/index.html'],
  ]);
  expect(run.annotations).toContainEqual(
    expect.objectContaining({
      level: 'warning',
      message:
        'Not invalidated, the transfer failed: upload failed: dist/big.mp4 to s3://www-example/big.mp4 Connection reset by peer',
    }),
  );
  expect(run.summary).toContain('Transfers that failed, not invalidated (1)');
});

test('cost mode collapses a large change set under the budget and reports the saving', async () => {
  sim = await startCdnSim();
  const changed = Array.from({ length: 12 }, (_, dir) =>
    Array.from({ length: 100 }, (__, file) => `img/d${dir}/f${file}.png`),
  ).flat();
  const workspace = tempDir('invalidate-cdn-e2e-');
  writeFileSync(join(workspace, 'changed.txt'), changed.join('\n'));
  const run = await invalidateCdn(sim, { distributions: SITE, 'changed-files-file': 'changed.txt' }, { workspace });

  expect(run.exitCode).toBe(0);
  const [batch] = createdBatches(sim);
  expect(batch.length).toBeLessThanOrEqual(1_000);
  expect(batch.filter((path) => path.endsWith('*')).length).toBeLessThanOrEqual(15);
  for (const file of changed) {
    expect(
      batch.some((path) => path === `/${file}` || (path.endsWith('*') && `/${file}`.startsWith(path.slice(0, -1)))),
    ).toBe(true);
  }
  expect(run.outputs).toMatchObject({
    'paths-requested': '1200',
    'paths-submitted': String(batch.length),
    'estimated-cost': '0.000',
  });
  expect(run.summary).toContain('every requested path would have cost $1.000');
});
