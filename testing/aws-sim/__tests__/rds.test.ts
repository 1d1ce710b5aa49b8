import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DBClusterNotFoundFault,
  DBClusterSnapshotAlreadyExistsFault,
  DBClusterSnapshotNotFoundFault,
  DBInstanceNotFoundFault,
  DBSnapshotAlreadyExistsFault,
  DBSnapshotNotFoundFault,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  InvalidDBInstanceStateFault,
  RDSClient,
  RDSServiceException,
  waitUntilDBClusterSnapshotAvailable,
  waitUntilDBSnapshotAvailable,
} from '@aws-sdk/client-rds';
import { ManualClock } from '../src/clock';
import { startSim, type Sim } from '../src/server';

const START = Date.UTC(2026, 0, 1);
let sim: Sim;
let rds: RDSClient;

beforeEach(async () => {
  sim = await startSim({
    clock: new ManualClock(START),
    seed: {
      rds: {
        instances: [
          { identifier: 'shop-db', engine: 'postgres', engineVersion: '16.4', snapshotSeconds: 300 },
          { identifier: 'busy-db', status: 'modifying' },
        ],
        clusters: [{ identifier: 'orders-cluster', engine: 'aurora-postgresql', snapshotSeconds: 600 }],
      },
    },
  });
  rds = new RDSClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
});
afterEach(async () => {
  rds.destroy();
  await sim.close();
});

describe('DB snapshots', () => {
  test('CreateDBSnapshot starts creating; the snapshot is available after the simulated duration', async () => {
    const { DBSnapshot } = await rds.send(
      new CreateDBSnapshotCommand({
        DBInstanceIdentifier: 'shop-db',
        DBSnapshotIdentifier: 'pre-migrate-42',
        Tags: [{ Key: 'run', Value: '42' }],
      }),
    );
    expect(DBSnapshot).toMatchObject({
      DBSnapshotIdentifier: 'pre-migrate-42',
      DBInstanceIdentifier: 'shop-db',
      Status: 'creating',
      PercentProgress: 0,
      Engine: 'postgres',
      EngineVersion: '16.4',
      SnapshotType: 'manual',
      DBSnapshotArn: 'arn:aws:rds:us-east-1:123456789012:snapshot:pre-migrate-42',
      TagList: [{ Key: 'run', Value: '42' }],
    });
    expect(DBSnapshot!.SnapshotCreateTime).toEqual(new Date(START));
    sim.control.advance(150_000);
    const half = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'pre-migrate-42' }));
    expect(half.DBSnapshots!.map((s) => [s.Status, s.PercentProgress])).toEqual([['creating', 50]]);
    const waiting = waitUntilDBSnapshotAvailable(
      { client: rds, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { DBSnapshotIdentifier: 'pre-migrate-42' },
    );
    sim.control.advance(150_000);
    expect((await waiting).state).toBe('SUCCESS');
    const done = await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'shop-db' }));
    expect(done.DBSnapshots!.map((s) => [s.DBSnapshotIdentifier, s.Status, s.PercentProgress])).toEqual([
      ['pre-migrate-42', 'available', 100],
    ]);
    expect(sim.control.milestones('rds-snapshot')).toEqual([
      expect.objectContaining({ id: 'us-east-1/pre-migrate-42', state: 'available', simTime: START + 300_000 }),
    ]);
  });

  test('errors: unknown instance, instance not available, duplicate snapshot, unknown snapshot', async () => {
    await expect(
      rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'nope', DBSnapshotIdentifier: 's1' })),
    ).rejects.toBeInstanceOf(DBInstanceNotFoundFault);
    await expect(
      rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'busy-db', DBSnapshotIdentifier: 's1' })),
    ).rejects.toBeInstanceOf(InvalidDBInstanceStateFault);
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 's1' }));
    const duplicate = await rds
      .send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 'S1' }))
      .catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(DBSnapshotAlreadyExistsFault);
    expect((duplicate as Error).message).toBe(
      'Cannot create the snapshot because a snapshot with the identifier s1 already exists.',
    );
    await expect(rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: 'missing' }))).rejects.toBeInstanceOf(
      DBSnapshotNotFoundFault,
    );
    expect((await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: 'other-db' }))).DBSnapshots).toEqual(
      [],
    );
  });

  test.each([
    ['a leading digit', '1starts-with-digit'],
    ['a double hyphen', 'double--hyphen'],
    ['a trailing hyphen', 'trailing-'],
    ['an underscore', 'under_score'],
    ['256 characters', 'a'.repeat(256)],
  ])('a snapshot identifier with %s is InvalidParameterValue', async (_case, DBSnapshotIdentifier) => {
    const error = await rds
      .send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RDSServiceException);
    expect((error as Error).name).toBe('InvalidParameterValue');
    expect((error as Error).message).toContain('DBSnapshotIdentifier is not a valid identifier');
  });

  test('DescribeDBSnapshots pages with MaxRecords and Marker', async () => {
    for (let i = 0; i < 25; i++)
      await rds.send(
        new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: `snap-${i}` }),
      );
    const first = await rds.send(new DescribeDBSnapshotsCommand({ MaxRecords: 20 }));
    const second = await rds.send(new DescribeDBSnapshotsCommand({ MaxRecords: 20, Marker: first.Marker }));
    expect(first.DBSnapshots).toHaveLength(20);
    expect(second.DBSnapshots!.map((s) => s.DBSnapshotIdentifier)).toEqual([
      'snap-20',
      'snap-21',
      'snap-22',
      'snap-23',
      'snap-24',
    ]);
    expect(second.Marker).toBeUndefined();
  });
});

describe('DB cluster snapshots', () => {
  test('CreateDBClusterSnapshot goes creating → available', async () => {
    const { DBClusterSnapshot } = await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: 'orders-cluster',
        DBClusterSnapshotIdentifier: 'orders-pre-7',
      }),
    );
    expect(DBClusterSnapshot).toMatchObject({
      DBClusterSnapshotIdentifier: 'orders-pre-7',
      DBClusterIdentifier: 'orders-cluster',
      Engine: 'aurora-postgresql',
      Status: 'creating',
      AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      DBClusterSnapshotArn: 'arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-pre-7',
    });
    const waiting = waitUntilDBClusterSnapshotAvailable(
      { client: rds, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { DBClusterSnapshotIdentifier: 'orders-pre-7' },
    );
    sim.control.advance(600_000);
    expect((await waiting).state).toBe('SUCCESS');
    const out = await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: 'orders-cluster' }));
    expect(out.DBClusterSnapshots!.map((s) => s.Status)).toEqual(['available']);
    expect(sim.control.milestones('rds-cluster-snapshot')).toHaveLength(1);
  });

  test('errors: unknown cluster, duplicate and unknown cluster snapshot', async () => {
    await expect(
      rds.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'nope', DBClusterSnapshotIdentifier: 'c1' })),
    ).rejects.toBeInstanceOf(DBClusterNotFoundFault);
    await rds.send(
      new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'orders-cluster', DBClusterSnapshotIdentifier: 'c1' }),
    );
    await expect(
      rds.send(
        new CreateDBClusterSnapshotCommand({
          DBClusterIdentifier: 'orders-cluster',
          DBClusterSnapshotIdentifier: 'c1',
        }),
      ),
    ).rejects.toBeInstanceOf(DBClusterSnapshotAlreadyExistsFault);
    await expect(
      rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'c2' })),
    ).rejects.toBeInstanceOf(DBClusterSnapshotNotFoundFault);
  });

  test('instances and clusters are regional', async () => {
    const euRds = new RDSClient({
      endpoint: sim.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
    await expect(
      euRds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'shop-db', DBSnapshotIdentifier: 's1' })),
    ).rejects.toBeInstanceOf(DBInstanceNotFoundFault);
    euRds.destroy();
  });
});
