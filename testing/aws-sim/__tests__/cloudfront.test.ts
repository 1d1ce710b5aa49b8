import {
  BatchTooLarge,
  CloudFrontClient,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  InconsistentQuantities,
  InvalidArgument,
  ListDistributionsCommand,
  ListInvalidationsCommand,
  NoSuchDistribution,
  NoSuchInvalidation,
  TooManyInvalidationsInProgress,
  waitUntilInvalidationCompleted,
} from '@aws-sdk/client-cloudfront';
import { ManualClock } from '../src/clock';
import { startSim, type Sim } from '../src/server';

const START = Date.UTC(2026, 0, 1);
let sim: Sim;
let cloudfront: CloudFrontClient;

beforeEach(async () => {
  sim = await startSim({
    clock: new ManualClock(START),
    seed: {
      cloudfront: {
        distributions: [
          { id: 'E1WEBSITE00001', aliases: ['www.example.com', 'example.com'] },
          { id: 'E2ASSETS000002', aliases: ['assets.example.com'], invalidationSeconds: 120 },
          { id: 'E3DOCS0000003', domainName: 'd3docs.cloudfront.net' },
        ],
      },
    },
  });
  cloudfront = new CloudFrontClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
});
afterEach(async () => {
  cloudfront.destroy();
  await sim.close();
});

function invalidate(paths: string[], callerReference: string, DistributionId = 'E1WEBSITE00001') {
  return cloudfront.send(
    new CreateInvalidationCommand({
      DistributionId,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: paths } },
    }),
  );
}

describe('distributions', () => {
  test('ListDistributions shows aliases and pages with Marker/MaxItems', async () => {
    const first = await cloudfront.send(new ListDistributionsCommand({ MaxItems: 2 }));
    expect(first.DistributionList).toMatchObject({
      IsTruncated: true,
      Quantity: 2,
      MaxItems: 2,
      NextMarker: 'E2ASSETS000002',
    });
    expect(first.DistributionList!.Items!.map((d) => [d.Id, d.Aliases!.Items ?? []])).toEqual([
      ['E1WEBSITE00001', ['www.example.com', 'example.com']],
      ['E2ASSETS000002', ['assets.example.com']],
    ]);
    const rest = await cloudfront.send(new ListDistributionsCommand({ Marker: first.DistributionList!.NextMarker }));
    expect(rest.DistributionList).toMatchObject({ IsTruncated: false, Quantity: 1, Marker: 'E2ASSETS000002' });
    expect(rest.DistributionList!.Items![0]).toMatchObject({
      Id: 'E3DOCS0000003',
      DomainName: 'd3docs.cloudfront.net',
      Status: 'Deployed',
      Enabled: true,
      ARN: 'arn:aws:cloudfront::123456789012:distribution/E3DOCS0000003',
      Aliases: { Quantity: 0 },
    });
  });

  test('GetDistribution returns the distribution, its ETag and in-progress batches', async () => {
    await invalidate(['/index.html'], 'ref-1');
    const out = await cloudfront.send(new GetDistributionCommand({ Id: 'E1WEBSITE00001' }));
    expect(out.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(out.Distribution).toMatchObject({
      Id: 'E1WEBSITE00001',
      DomainName: 'de1website00001.cloudfront.net',
      InProgressInvalidationBatches: 1,
      DistributionConfig: { Aliases: { Quantity: 2, Items: ['www.example.com', 'example.com'] }, Enabled: true },
    });
    expect(out.Distribution!.LastModifiedTime).toEqual(new Date(START));
    await expect(cloudfront.send(new GetDistributionCommand({ Id: 'ENOPE' }))).rejects.toBeInstanceOf(
      NoSuchDistribution,
    );
  });
});

describe('invalidations', () => {
  test('CreateInvalidation answers 201 with Location; InProgress turns Completed after 60 s', async () => {
    const created = await invalidate(['/index.html', '/assets/*'], 'deploy-1');
    expect(created.$metadata.httpStatusCode).toBe(201);
    const id = created.Invalidation!.Id!;
    expect(id).toMatch(/^I[A-Z0-9]{13}$/);
    expect(created.Location).toBe(
      `https://cloudfront.amazonaws.com/2020-05-31/distribution/E1WEBSITE00001/invalidation/${id}`,
    );
    expect(created.Invalidation).toMatchObject({
      Status: 'InProgress',
      CreateTime: new Date(START),
      InvalidationBatch: { CallerReference: 'deploy-1', Paths: { Quantity: 2, Items: ['/index.html', '/assets/*'] } },
    });
    const get = () => cloudfront.send(new GetInvalidationCommand({ DistributionId: 'E1WEBSITE00001', Id: id }));
    sim.control.advance(59_999);
    expect((await get()).Invalidation!.Status).toBe('InProgress');
    sim.control.advance(1);
    expect((await get()).Invalidation!.Status).toBe('Completed');
    expect(sim.control.milestones('cloudfront-invalidation')).toEqual([
      expect.objectContaining({ id, state: 'Completed', simTime: START + 60_000 }),
    ]);
  });

  test('waitUntilInvalidationCompleted succeeds once the invalidation completes', async () => {
    const created = await invalidate(['/*'], 'deploy-2', 'E2ASSETS000002');
    const waiting = waitUntilInvalidationCompleted(
      { client: cloudfront, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { DistributionId: 'E2ASSETS000002', Id: created.Invalidation!.Id },
    );
    sim.control.advance(120_000);
    expect((await waiting).state).toBe('SUCCESS');
    expect(sim.control.milestones('cloudfront-invalidation')[0].simTime).toBe(START + 120_000);
  });

  test('a repeated CallerReference returns the same invalidation; other paths are InvalidArgument, as CloudFront answers', async () => {
    const first = await invalidate(['/a', '/b'], 'deploy-3');
    const again = await invalidate(['/b', '/a'], 'deploy-3');
    expect(again.$metadata.httpStatusCode).toBe(201);
    expect(again.Invalidation!.Id).toBe(first.Invalidation!.Id);
    const error = await invalidate(['/a', '/c'], 'deploy-3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgument);
    expect((error as Error).message).toMatch(/caller reference that was used for a previous invalidation batch/);
    const list = await cloudfront.send(new ListInvalidationsCommand({ DistributionId: 'E1WEBSITE00001' }));
    expect(list.InvalidationList!.Quantity).toBe(1);
  });

  test.each([
    ['a path without a leading slash', ['index.html'], InvalidArgument],
    ['a wildcard before the end', ['/a*/b'], InvalidArgument],
    ['a path over 4,000 characters', [`/${'a'.repeat(4000)}`], InvalidArgument],
    ['no paths', [], InvalidArgument],
    ['3,001 file paths in one batch', Array.from({ length: 3001 }, (_, i) => `/f${i}`), BatchTooLarge],
    ['16 wildcards in one batch', Array.from({ length: 16 }, (_, i) => `/d${i}/*`), BatchTooLarge],
  ])('CreateInvalidation rejects %s', async (_case, paths, errorClass) => {
    await expect(invalidate(paths, 'bad')).rejects.toBeInstanceOf(errorClass);
  });

  test('Quantity must match the items', async () => {
    const command = new CreateInvalidationCommand({
      DistributionId: 'E1WEBSITE00001',
      InvalidationBatch: { CallerReference: 'q', Paths: { Quantity: 3, Items: ['/a'] } },
    });
    await expect(cloudfront.send(command)).rejects.toBeInstanceOf(InconsistentQuantities);
  });

  test('in-progress quotas: 15 wildcards and 3,000 files per distribution, freed when invalidations complete', async () => {
    for (let i = 0; i < 3; i++)
      await invalidate(
        Array.from({ length: 5 }, (_, j) => `/w${i}-${j}/*`),
        `wild-${i}`,
      );
    const error = await invalidate(['/one-more/*'], 'wild-3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyInvalidationsInProgress);
    expect((error as TooManyInvalidationsInProgress).$metadata.httpStatusCode).toBe(400);
    await invalidate(
      Array.from({ length: 3000 }, (_, i) => `/file-${i}`),
      'files',
    );
    await expect(invalidate(['/file-extra'], 'files-2')).rejects.toBeInstanceOf(TooManyInvalidationsInProgress);
    await invalidate(['/other/*'], 'other-distribution', 'E3DOCS0000003');
    sim.control.advance(60_000);
    await invalidate(['/one-more/*'], 'wild-3');
  });

  test('ListInvalidations lists newest first and pages; unknown ids are errors', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await invalidate([`/p${i}`], `ref-${i}`)).Invalidation!.Id!);
      sim.control.advance(1_000);
    }
    const first = await cloudfront.send(
      new ListInvalidationsCommand({ DistributionId: 'E1WEBSITE00001', MaxItems: 2 }),
    );
    expect(first.InvalidationList).toMatchObject({ IsTruncated: true, Quantity: 2, NextMarker: ids[1] });
    expect(first.InvalidationList!.Items!.map((i) => i.Id)).toEqual([ids[2], ids[1]]);
    expect(first.InvalidationList!.Items![0]).toMatchObject({
      Status: 'InProgress',
      CreateTime: new Date(START + 2_000),
    });
    const rest = await cloudfront.send(
      new ListInvalidationsCommand({ DistributionId: 'E1WEBSITE00001', Marker: ids[1] }),
    );
    expect(rest.InvalidationList!.Items!.map((i) => [i.Id, i.Status])).toEqual([[ids[0], 'InProgress']]);
    await expect(
      cloudfront.send(new GetInvalidationCommand({ DistributionId: 'E1WEBSITE00001', Id: 'INOPE' })),
    ).rejects.toBeInstanceOf(NoSuchInvalidation);
    await expect(invalidate(['/x'], 'r', 'ENOPE')).rejects.toBeInstanceOf(NoSuchDistribution);
  });

  test('paths with XML special characters round-trip', async () => {
    const created = await invalidate(['/search?q=a&b=<c>', '/it\'s "quoted"'], 'xml');
    expect(created.Invalidation!.InvalidationBatch!.Paths!.Items).toEqual(['/search?q=a&b=<c>', '/it\'s "quoted"']);
  });
});
