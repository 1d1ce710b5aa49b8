import type { RequestRecord } from '@shipyard/aws-sim/world';
import type { ActionRun } from '../src/run-action';
import { faultPoints, wave } from '../src/sweep';
import { checkInvariants } from '../src/sweep-invariants';

const call = (seq: number, operation: string, mutating: boolean, params: unknown = {}): RequestRecord => ({
  seq,
  realTime: 0,
  simTime: 0,
  service: 'ecs',
  operation,
  region: 'us-east-1',
  params,
  status: 200,
  mutating,
});

const run = (exitCode: number, errors: string[] = []): ActionRun =>
  ({
    exitCode,
    timedOut: false,
    annotations: errors.map((message) => ({ level: 'error', message })),
  }) as unknown as ActionRun;

test('fault points: from the first mutating call on, each read once per mutation, counted per operation', () => {
  const calls = [
    call(1, 'DescribeServices', false),
    call(2, 'UpdateService', true),
    call(3, 'DescribeServices', false),
    call(4, 'DescribeServices', false),
    call(5, 'StopServiceDeployment', true),
    call(6, 'DescribeServices', false),
  ];
  expect(faultPoints(calls, false).map((p) => `${p.position} ${p.operation} ${p.occurrence}`)).toEqual([
    '2 UpdateService 1',
    '3 DescribeServices 2',
    '5 StopServiceDeployment 1',
    '6 DescribeServices 4',
  ]);
  expect(faultPoints(calls, true)).toHaveLength(5);
});

test('invariants: a failed step must leave reversible targets as before and name them', () => {
  const observation = {
    targets: [
      { name: 'web', state: 'intended', reversible: true },
      { name: 'api', state: 'known-good', reversible: true },
    ],
    violations: [],
  };
  const failed = checkInvariants({
    run: run(1, ['ecs-deploy: web failed']),
    calls: [call(1, 'UpdateService', true), call(2, 'UpdateService', true, { service: 'api' })],
    observation,
    failure: call(1, 'UpdateService', true),
    isRestore: (c) => (c.params as { service?: string }).service === 'api',
  });
  expect(failed).toEqual([
    'the step failed but web stays as asked (not restored, not reported as done)',
    'the first error annotation does not name api (known-good)',
  ]);
  const succeeded = checkInvariants({ run: run(0), calls: [], observation, isRestore: () => false });
  expect(succeeded).toEqual(['exit 0 although api is not as asked (known-good)']);
});

test('invariants: a target left half-way needs a remedy in the error; a change after the failure is flagged', () => {
  const violations = checkInvariants({
    run: run(1, ['ecs-deploy: web is stuck']),
    calls: [call(1, 'UpdateService', true), call(2, 'RegisterTaskDefinition', true)],
    observation: { targets: [{ name: 'web', state: 'still deploying', reversible: true }], violations: [] },
    failure: call(1, 'UpdateService', true),
    isRestore: () => false,
  });
  expect(violations).toEqual([
    'web: still deploying',
    'web is not restored and the error does not say what to do',
    'ecs:RegisterTaskDefinition after the failure, not a restore',
  ]);
});

test('a wave: the calls of the same operation sent together around the faulted one, nothing else', () => {
  const calls = [
    call(1, 'DescribeServices', false),
    call(2, 'UpdateService', true, { service: 'web' }),
    call(3, 'UpdateService', true, { service: 'api' }),
    call(4, 'UpdateService', true, { service: 'worker' }),
    call(5, 'DescribeServiceDeployments', false),
    call(6, 'UpdateService', true, { service: 'web' }),
  ];
  const point = { position: 3, service: 'ecs', operation: 'UpdateService', occurrence: 2, mutating: true };
  expect(wave(calls, point).map((c) => c.seq)).toEqual([2, 3, 4]);
  expect(wave(calls, { ...point, position: 6, occurrence: 4 }).map((c) => c.seq)).toEqual([6]);
  expect(wave(calls, { ...point, position: 5 })).toEqual([]);
});
