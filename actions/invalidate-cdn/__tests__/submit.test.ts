import { InvalidArgument } from '@aws-sdk/client-cloudfront';
import { callerReference } from '../src/caller-reference';
import { BACK_OFF, submitBatches, type InvalidationRecord } from '../src/submit';
import {
  batchAlreadyExists,
  context,
  fakeApi,
  invalidation,
  noSuchDistribution,
  referenceTaken,
  run,
  tooMany,
} from './fake-cloudfront';
import type { FakeClock } from '@shipyard/platform/poll';

const batches = [['/a', '/b'], ['/c']];

async function submit(ctx: ReturnType<typeof context>, paths = batches) {
  const records: InvalidationRecord[] = [];
  await submitBatches(ctx, 'E1SITE', paths, (record) => records.push(record));
  return records;
}

describe('submitBatches', () => {
  test('creates each batch with its own deterministic CallerReference and records it', async () => {
    const { api, sent } = fakeApi((_, __, call) => invalidation(`I${call}`));
    const records = await submit(context(api));
    expect(sent.map((s) => s.input)).toEqual([
      {
        DistributionId: 'E1SITE',
        InvalidationBatch: {
          CallerReference: callerReference('E1SITE', ['/a', '/b'], run, 'run'),
          Paths: { Quantity: 2, Items: ['/a', '/b'] },
        },
      },
      {
        DistributionId: 'E1SITE',
        InvalidationBatch: {
          CallerReference: callerReference('E1SITE', ['/c'], run, 'run'),
          Paths: { Quantity: 1, Items: ['/c'] },
        },
      },
    ]);
    expect(records).toEqual([
      { distributionId: 'E1SITE', batch: 1, batches: 2, id: 'I1', paths: 2, status: 'InProgress', reused: false },
      { distributionId: 'E1SITE', batch: 2, batches: 2, id: 'I2', paths: 1, status: 'InProgress', reused: false },
    ]);
  });

  test('waits with back-off while CloudFront has too many invalidations in progress, then continues', async () => {
    const { api } = fakeApi((_, input, call) => {
      const batch = input.InvalidationBatch as { Paths: { Items: string[] } };
      return batch.Paths.Items[0] === '/c' && call < 5 ? tooMany() : invalidation(`I${call}`);
    });
    const ctx = context(api);
    const records = await submit(ctx);
    expect(records.map((r) => r.id)).toEqual(['I1', 'I5']);
    // Three failed tries of batch 2 before the fourth succeeds: 3 s, 4.5 s, 6.75 s.
    expect((ctx.clock as FakeClock).sleeps).toEqual([3_000, 4_500, 6_750]);
    expect(BACK_OFF.minIntervalMs).toBe(3_000);
  });

  test('gives up at the deadline with the reason in the message', async () => {
    const { api } = fakeApi(() => tooMany());
    const ctx = context(api, { deadline: 1_000_000 + 10_000 });
    await expect(submit(ctx)).rejects.toThrow(
      'timed out after 10s waiting for room for E1SITE batch 1/2 (CloudFront kept answering TooManyInvalidationsInProgress)',
    );
  });

  test.each([
    ['InvalidArgument, as CloudFront answers', referenceTaken],
    ['InvalidationBatchAlreadyExists, as the API reference names it', batchAlreadyExists],
  ])('a reference taken by other paths (%s) moves on to the next deterministic reference', async (_name, taken) => {
    const base = callerReference('E1SITE', ['/c'], run, 'run');
    const { api, sent } = fakeApi((_, input) => {
      const reference = (input.InvalidationBatch as { CallerReference: string }).CallerReference;
      return reference === base ? taken() : invalidation('I7');
    });
    const records = await submit(context(api), [['/c']]);
    expect(records.map((r) => r.id)).toEqual(['I7']);
    expect(sent.map((s) => (s.input.InvalidationBatch as { CallerReference: string }).CallerReference)).toEqual([
      base,
      `${base}-2`,
    ]);
  });

  test('any other InvalidArgument stops at once', async () => {
    const { api, sent } = fakeApi(
      () => new InvalidArgument({ message: 'bad path', $metadata: { httpStatusCode: 400 } }),
    );
    await expect(submit(context(api), [['/c']])).rejects.toThrow('bad path');
    expect(sent).toHaveLength(1);
  });

  test('marks an invalidation that already existed (completed, or created before the step) as reused', async () => {
    const { api } = fakeApi((_, __, call) =>
      call === 1 ? invalidation('I1', 'Completed') : invalidation('I2', 'InProgress', new Date(1_000_000 - 600_000)),
    );
    expect((await submit(context(api))).map((r) => r.reused)).toEqual([true, true]);
  });

  test('an unknown distribution is a clear error', async () => {
    const { api } = fakeApi(() => noSuchDistribution());
    await expect(submit(context(api))).rejects.toThrow(
      'CloudFront distribution "E1SITE" does not exist in this AWS account (NoSuchDistribution).',
    );
  });

  test('other errors pass through, keeping what was created before', async () => {
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDenied', $metadata: {} });
    const { api } = fakeApi((_, __, call) => (call === 1 ? invalidation('I1') : denied));
    const records: InvalidationRecord[] = [];
    await expect(submitBatches(context(api), 'E1SITE', batches, (r) => records.push(r))).rejects.toBe(denied);
    expect(records.map((r) => r.id)).toEqual(['I1']);
  });
});
