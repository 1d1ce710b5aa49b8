import { DeploymentFailure } from '@shipyard/shared/errors';
import type { FakeClock } from '@shipyard/shared/poll';
import type { InvalidationRecord } from '../src/submit';
import { waitForCompletion } from '../src/watch';
import { context, fakeApi } from './fake-cloudfront';

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
});
