/**
 * The snapshot phase against aws-sim (RDS Query protocol) with one clock for both sides: each poll sleep advances
 * the sim's manual clock, so waiting for `available` takes no real time.
 */
import { ManualClock } from '@shipyard/aws-sim/clock';
import { startSim, type Sim } from '@shipyard/aws-sim/server';
import { asAwsOperationError } from '@shipyard/platform/errors';
import { PollTimeoutError, type Clock } from '@shipyard/platform/poll';
import type { SnapshotRequest } from '../src/inputs';
import { restoreCommand, takeSnapshot } from '../src/snapshot';

let sim: Sim;
let clock: Clock & { sleeps: number[] };
const saved = { ...process.env };

beforeEach(async () => {
  const simClock = new ManualClock();
  sim = await startSim({
    clock: simClock,
    seed: {
      rds: {
        instances: [{ identifier: 'wheelsup-staging-db', engine: 'postgres', snapshotSeconds: 90 }],
        clusters: [{ identifier: 'aiponge-aurora', engine: 'aurora-postgresql', snapshotSeconds: 300 }],
      },
    },
  });
  Object.assign(process.env, sim.env);
  const sleeps: number[] = [];
  clock = {
    sleeps,
    now: () => simClock.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
      sim.control.advance(ms);
    },
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  await sim.close();
});

const instance: SnapshotRequest = {
  kind: 'instance',
  db: 'wheelsup-staging-db',
  id: 'wheelsup-staging-db-pre-abc1234-7',
  timeoutMs: 3_600_000,
};
const cluster: SnapshotRequest = {
  kind: 'cluster',
  db: 'aiponge-aurora',
  id: 'aiponge-aurora-pre-abc1234-7',
  timeoutMs: 3_600_000,
};

test.each([
  ['DB snapshot', instance, 'CreateDBSnapshot', 'rds-snapshot', 'postgres'],
  ['DB cluster snapshot', cluster, 'CreateDBClusterSnapshot', 'rds-cluster-snapshot', 'aurora-postgresql'],
])(
  'a %s is created, reported at once, and waited for until available',
  async (_kind, request, operation, milestone, engine) => {
    const created: string[] = [];
    const state = await takeSnapshot(request, { region: 'us-east-1', clock, onCreated: (id) => created.push(id) });
    expect(created).toEqual([request.id]);
    expect(state).toMatchObject({ status: 'available', engine });
    expect(sim.control.mutatingRequests().map((r) => r.operation)).toEqual([operation]);
    expect(sim.control.milestones(milestone)).toMatchObject([{ id: `us-east-1/${request.id}`, state: 'available' }]);
    // Checked every 5 s at first, backing off: several checks before the snapshot was ready.
    expect(clock.sleeps.slice(0, 2)).toEqual([5000, 7500]);
  },
);

test('a snapshot not available within snapshot-timeout fails the wait', async () => {
  await expect(takeSnapshot({ ...cluster, timeoutMs: 60_000 }, { region: 'us-east-1', clock })).rejects.toBeInstanceOf(
    PollTimeoutError,
  );
});

test('an id already taken fails with the RDS error, named by the IAM operation', async () => {
  await takeSnapshot(instance, { region: 'us-east-1', clock });
  const error = await takeSnapshot(instance, { region: 'us-east-1', clock }).catch((caught: unknown) => caught);
  expect(asAwsOperationError(error)).toMatchObject({
    operation: 'rds:CreateDBSnapshot',
    code: 'DBSnapshotAlreadyExistsFault',
  });
});

const longDb = `${'a'.repeat(53)}-b`;

test.each([
  [
    'instance',
    instance,
    undefined,
    'aws rds restore-db-instance-from-db-snapshot --db-instance-identifier wheelsup-staging-db-restored --db-snapshot-identifier wheelsup-staging-db-pre-abc1234-7',
  ],
  [
    'cluster',
    cluster,
    'aurora-postgresql',
    'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier aiponge-aurora-restored --snapshot-identifier aiponge-aurora-pre-abc1234-7 --engine aurora-postgresql',
  ],
  [
    'cluster, engine unknown',
    cluster,
    undefined,
    'aws rds restore-db-cluster-from-snapshot --db-cluster-identifier aiponge-aurora-restored --snapshot-identifier aiponge-aurora-pre-abc1234-7 --engine <engine>',
  ],
  [
    'a name cut to leave room for -restored (63 characters at most)',
    { ...instance, db: longDb },
    undefined,
    `aws rds restore-db-instance-from-db-snapshot --db-instance-identifier ${'a'.repeat(53)}-restored --db-snapshot-identifier wheelsup-staging-db-pre-abc1234-7`,
  ],
])('restore command: %s', (_name, request, engine, expected) => {
  expect(restoreCommand(request, engine)).toBe(expected);
});
