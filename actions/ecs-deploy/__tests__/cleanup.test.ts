import type { ECSClient } from '@aws-sdk/client-ecs';
import { deregisterOldRevisions, familyOf, revisionsToDeregister } from '../src/cleanup';
import { fakeClient } from '@shipyard/testkit/fake-client';

const td = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;

jest.mock('@shipyard/platform/core', () => ({
  ...jest.requireActual('@shipyard/platform/core'),
  info: jest.fn(),
  warning: jest.fn(),
}));

describe('familyOf', () => {
  test.each([
    [td('web', 12), 'web'],
    [td('web-worker', 3), 'web-worker'],
  ])('%s → %s', (arn, family) => {
    expect(familyOf(arn)).toBe(family);
  });
});

describe('revisionsToDeregister', () => {
  test('beyond the newest N, minus the protected ones', () => {
    const newestFirst = [5, 4, 3, 2, 1].map((n) => td('web', n));
    expect(revisionsToDeregister(newestFirst, 2, new Set([td('web', 1)]))).toEqual([td('web', 3), td('web', 2)]);
    expect(revisionsToDeregister(newestFirst, 10, new Set())).toEqual([]);
  });
});

describe('deregisterOldRevisions', () => {
  test('lists every page of the exact family and deregisters the rest', async () => {
    const ecs = fakeClient({
      ListTaskDefinitionsCommand: (input: { nextToken?: string }) =>
        input.nextToken
          ? { taskDefinitionArns: [td('web', 2), td('web', 1)] }
          : { taskDefinitionArns: [td('web', 4), td('web-worker', 9), td('web', 3)], nextToken: 'page-2' },
      DeregisterTaskDefinitionCommand: () => ({}),
    });
    const done = await deregisterOldRevisions(ecs as unknown as ECSClient, ['web'], 2, new Set([td('web', 1)]));
    expect(done).toEqual([td('web', 2)]);
    expect(ecs.calls('ListTaskDefinitionsCommand')[0].input).toEqual({
      familyPrefix: 'web',
      status: 'ACTIVE',
      sort: 'DESC',
      nextToken: undefined,
    });
    expect(ecs.calls('DeregisterTaskDefinitionCommand').map((c) => c.input)).toEqual([
      { taskDefinition: td('web', 2) },
    ]);
  });

  test('a failure is a warning, not an error', async () => {
    const ecs = fakeClient({ ListTaskDefinitionsCommand: () => Promise.reject(new Error('AccessDenied')) });
    await expect(deregisterOldRevisions(ecs as unknown as ECSClient, ['web'], 2, new Set())).resolves.toEqual([]);
  });
});
