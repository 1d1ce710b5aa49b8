import { DeploymentFailure } from '@shipyard/platform/errors';
import type { FakeClock } from '@shipyard/platform/poll';
import type { InvalidationRecord } from '../src/submit';
import { waitForCompletion } from '../src/watch';
import { context, fakeApi, noSuchInvalidation } from './fake-cloudfront';

const record = (id: string, status = 'InProgress'): InvalidationRecord => ({
  distributionId: 'E1SITE',
  batch: 1,
  batches: 1,
  id,
  paths: 1,
  status,
  reused: false,
});

describe('waitForCompletion', () => {
  test('polls only what is still in progress until everything is Completed', async () => {
    const completesAfter: Record<string, number> = { I1: 2, I2: 4 };
    const { api, sent } = fakeApi((_, input) => {
      const id = input.Id as string;
      const calls = sent.filter((s) => s.input.Id === id).length;
      return { Invalidation: { Id: id, Status: calls >= completesAfter[id] ? 'Completed' : 'InProgress' } };
    });
    const records = [record('I1'), record('I2'), record('I3', 'Completed')];
    const ctx = context(api);
    await waitForCompletion(ctx, records);
    expect(records.map((r) => r.status)).toEqual(['Completed', 'Completed', 'Completed']);
    expect(sent.map((s) => s.input.Id)).toEqual(['I1', 'I2', 'I1', 'I2', 'I2', 'I2']);
    // Backing off (3 s, then 4.5 s) snaps back to the minimum when I1 completes.
    expect((ctx.clock as FakeClock).sleeps).toEqual([3_000, 3_000, 4_500]);
  });

  test('a timeout names what is still in progress and keeps the last status', async () => {
    const { api } = fakeApi((_, input) => ({ Invalidation: { Id: input.Id, Status: 'InProgress' } }));
    const records = [record('I1')];
    const error = await waitForCompletion(context(api, { deadline: 1_000_000 + 5_000 }), records).catch((e) => e);
    expect(error).toBeInstanceOf(DeploymentFailure);
    expect(error.message).toBe(
      'timed out after 5s waiting for the invalidations to reach Completed (3 checks); still in progress: I1 (E1SITE)',
    );
    expect(error.details).toMatch(/^CloudFront keeps processing them after this step ends; nothing needs undoing\./);
    expect(records[0].status).toBe('InProgress');
  });

  test('an invalidation not shown yet (NoSuchInvalidation before it was ever seen) is looked at again', async () => {
    const { api, sent } = fakeApi((_, input, call) =>
      call <= 2 ? noSuchInvalidation() : { Invalidation: { Id: input.Id, Status: 'Completed' } },
    );
    const records = [record('I1')];
    await waitForCompletion(context(api), records);
    expect(records[0].status).toBe('Completed');
    expect(sent).toHaveLength(3);
  });

  test('NoSuchInvalidation that outlasts the patience, or after it was seen, fails saying so', async () => {
    const never = fakeApi(() => noSuchInvalidation());
    const error = await waitForCompletion(context(never.api), [record('I1')]).catch((e) => e);
    expect(error).toBeInstanceOf(DeploymentFailure);
    expect(error.message).toBe(
      'GetInvalidation still answers NoSuchInvalidation for I1 (E1SITE), which CreateInvalidation created, after 24s375ms of checks',
    );
    const gone = fakeApi((_, input, call) =>
      call === 1 ? { Invalidation: { Id: input.Id, Status: 'InProgress' } } : noSuchInvalidation(),
    );
    await expect(waitForCompletion(context(gone.api), [record('I1')])).rejects.toThrow(
      'The specified invalidation does not exist.',
    );
  });
});
