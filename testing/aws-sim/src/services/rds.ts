import { AwsError } from '../errors';
import { queryList, queryService } from '../protocols/query';
import { xmlList, type XmlObject } from '../protocols/xml';
import type { RequestContext, ServiceModule } from '../service';
import type { World } from '../world';

export interface RdsSourceSeed {
  identifier: string;
  region?: string;
  engine?: string;
  engineVersion?: string;
  allocatedStorage?: number;
  port?: number;
  /** Instances other than `available` cannot be snapshotted (InvalidDBInstanceState). */
  status?: string;
  /** Simulated seconds a snapshot of this source takes to become available (default 120). */
  snapshotSeconds?: number;
}

interface Source extends Required<Omit<RdsSourceSeed, 'region'>> {
  region: string;
  createdAt: number;
}

interface Snapshot {
  identifier: string;
  source: Source;
  status: 'creating' | 'available';
  createdAt: number;
  tags: { Key: string; Value: string }[];
}

interface RdsState {
  instances: Map<string, Source>;
  clusters: Map<string, Source>;
  snapshots: Map<string, Snapshot>;
  clusterSnapshots: Map<string, Snapshot>;
}

const DEFAULT_SNAPSHOT_SECONDS = 120;
const IDENTIFIER = /^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*$/;

/** Identifiers are case-insensitive in RDS (stored lower-case) and regional. */
function rdsState(world: World, region: string): RdsState {
  const regions = world.store('rds', () => new Map<string, RdsState>());
  let state = regions.get(region);
  if (!state) {
    state = { instances: new Map(), clusters: new Map(), snapshots: new Map(), clusterSnapshots: new Map() };
    regions.set(region, state);
  }
  return state;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

function validIdentifier(params: URLSearchParams, name: string): string {
  const value = required(params, name);
  if (value.length > 255 || !IDENTIFIER.test(value) || value.endsWith('-')) {
    throw new AwsError(
      'InvalidParameterValue',
      `The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return value.toLowerCase();
}

function progress(world: World, snapshot: Snapshot): number {
  if (snapshot.status === 'available') return 100;
  const elapsed = (world.now() - snapshot.createdAt) / (snapshot.source.snapshotSeconds * 1000);
  return Math.min(99, Math.floor(elapsed * 100));
}

function tagList(tags: Snapshot['tags']) {
  return xmlList(
    'Tag',
    tags.map((t) => ({ Key: t.Key, Value: t.Value })),
  );
}

function dbSnapshotXml(world: World, s: Snapshot): XmlObject {
  const { source } = s;
  return {
    DBSnapshotIdentifier: s.identifier,
    DBInstanceIdentifier: source.identifier,
    SnapshotCreateTime: new Date(s.createdAt),
    Engine: source.engine,
    AllocatedStorage: source.allocatedStorage,
    Status: s.status,
    Port: source.port,
    AvailabilityZone: `${source.region}a`,
    InstanceCreateTime: new Date(source.createdAt),
    EngineVersion: source.engineVersion,
    SnapshotType: 'manual',
    PercentProgress: progress(world, s),
    StorageType: 'gp3',
    Encrypted: true,
    DBSnapshotArn: `arn:aws:rds:${source.region}:${world.accountId}:snapshot:${s.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    TagList: tagList(s.tags),
    OriginalSnapshotCreateTime: new Date(s.createdAt),
    SnapshotTarget: 'region',
  };
}

function dbClusterSnapshotXml(world: World, s: Snapshot): XmlObject {
  const { source } = s;
  return {
    AvailabilityZones: xmlList(
      'AvailabilityZone',
      ['a', 'b', 'c'].map((z) => `${source.region}${z}`),
    ),
    DBClusterSnapshotIdentifier: s.identifier,
    DBClusterIdentifier: source.identifier,
    SnapshotCreateTime: new Date(s.createdAt),
    Engine: source.engine,
    EngineMode: 'provisioned',
    AllocatedStorage: source.allocatedStorage,
    Status: s.status,
    Port: source.port,
    ClusterCreateTime: new Date(source.createdAt),
    EngineVersion: source.engineVersion,
    SnapshotType: 'manual',
    PercentProgress: progress(world, s),
    StorageEncrypted: true,
    DBClusterSnapshotArn: `arn:aws:rds:${source.region}:${world.accountId}:cluster-snapshot:${s.identifier}`,
    IAMDatabaseAuthenticationEnabled: false,
    TagList: tagList(s.tags),
  };
}

/** One kind of snapshot (instance or cluster): names, errors and rendering differ, the lifecycle does not. */
interface SnapshotKind {
  milestone: string;
  sourceParam: string;
  snapshotParam: string;
  sources: (state: RdsState) => Map<string, Source>;
  snapshots: (state: RdsState) => Map<string, Snapshot>;
  sourceNotFound: (id: string) => AwsError;
  sourceNotReady: (id: string, status: string) => AwsError;
  alreadyExists: (id: string) => AwsError;
  snapshotNotFound: (id: string) => AwsError;
}

const INSTANCE: SnapshotKind = {
  milestone: 'rds-snapshot',
  sourceParam: 'DBInstanceIdentifier',
  snapshotParam: 'DBSnapshotIdentifier',
  sources: (s) => s.instances,
  snapshots: (s) => s.snapshots,
  sourceNotFound: (id) => new AwsError('DBInstanceNotFound', `DBInstance ${id} not found.`, 404),
  sourceNotReady: (id, status) =>
    new AwsError('InvalidDBInstanceState', `DBInstance ${id} is not in available state (it is ${status}).`),
  alreadyExists: (id) =>
    new AwsError(
      'DBSnapshotAlreadyExists',
      `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`,
    ),
  snapshotNotFound: (id) => new AwsError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404),
};

const CLUSTER: SnapshotKind = {
  milestone: 'rds-cluster-snapshot',
  sourceParam: 'DBClusterIdentifier',
  snapshotParam: 'DBClusterSnapshotIdentifier',
  sources: (s) => s.clusters,
  snapshots: (s) => s.clusterSnapshots,
  sourceNotFound: (id) => new AwsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404),
  sourceNotReady: (id, status) =>
    new AwsError('InvalidDBClusterStateFault', `DBCluster ${id} is not in available state (it is ${status}).`),
  alreadyExists: () =>
    new AwsError(
      'DBClusterSnapshotAlreadyExistsFault',
      'Cannot create the cluster snapshot because one with the identifier you requested already exists.',
    ),
  snapshotNotFound: (id) => new AwsError('DBClusterSnapshotNotFoundFault', `DBClusterSnapshot ${id} not found.`, 404),
};

function createSnapshot(kind: SnapshotKind, params: URLSearchParams, { world, region }: RequestContext): Snapshot {
  const snapshotId = validIdentifier(params, kind.snapshotParam);
  const sourceId = required(params, kind.sourceParam).toLowerCase();
  const state = rdsState(world, region);
  const source = kind.sources(state).get(sourceId);
  if (!source) throw kind.sourceNotFound(sourceId);
  if (source.status !== 'available') throw kind.sourceNotReady(sourceId, source.status);
  if (kind.snapshots(state).has(snapshotId)) throw kind.alreadyExists(snapshotId);
  const tags = queryList(params, 'Tags').map((t) => t as { Key: string; Value: string });
  const snapshot: Snapshot = { identifier: snapshotId, source, status: 'creating', createdAt: world.now(), tags };
  kind.snapshots(state).set(snapshotId, snapshot);
  world.after(source.snapshotSeconds * 1000, () => {
    snapshot.status = 'available';
    world.milestone(kind.milestone, `${region}/${snapshotId}`, 'available');
  });
  return snapshot;
}

function describeSnapshots(kind: SnapshotKind, params: URLSearchParams, { world, region }: RequestContext) {
  const snapshots = kind.snapshots(rdsState(world, region));
  const snapshotId = params.get(kind.snapshotParam)?.toLowerCase();
  const sourceId = params.get(kind.sourceParam)?.toLowerCase();
  const snapshotType = params.get('SnapshotType');
  if (snapshotId && !snapshots.has(snapshotId)) throw kind.snapshotNotFound(snapshotId);
  const selected = [...snapshots.values()].filter(
    (s) =>
      (!snapshotId || s.identifier === snapshotId) &&
      (!sourceId || s.source.identifier === sourceId) &&
      (!snapshotType || snapshotType === 'manual'),
  );
  const maxRecords = Number(params.get('MaxRecords') ?? 100);
  if (!Number.isInteger(maxRecords) || maxRecords < 20 || maxRecords > 100) {
    throw new AwsError(
      'InvalidParameterValue',
      `Invalid value ${params.get('MaxRecords')} for MaxRecords. Must be between 20 and 100`,
    );
  }
  const start = Number(params.get('Marker') ?? 0);
  const page = selected.slice(start, start + maxRecords);
  return { page, marker: start + maxRecords < selected.length ? String(start + maxRecords) : undefined };
}

function seedSources(
  world: World,
  sources: RdsSourceSeed[] | undefined,
  pick: (state: RdsState) => Map<string, Source>,
) {
  for (const seed of sources ?? []) {
    if (!seed.identifier) throw new Error('a seeded RDS instance or cluster needs an "identifier"');
    const region = seed.region ?? 'us-east-1';
    const id = seed.identifier.toLowerCase();
    pick(rdsState(world, region)).set(id, {
      identifier: id,
      region,
      engine: seed.engine ?? 'postgres',
      engineVersion: seed.engineVersion ?? '16.4',
      allocatedStorage: seed.allocatedStorage ?? 20,
      port: seed.port ?? 5432,
      status: seed.status ?? 'available',
      snapshotSeconds: seed.snapshotSeconds ?? DEFAULT_SNAPSHOT_SECONDS,
      createdAt: world.now(),
    });
  }
}

function seed(world: World, doc: Record<string, unknown>): void {
  const section = doc.rds as { instances?: RdsSourceSeed[]; clusters?: RdsSourceSeed[] } | undefined;
  seedSources(world, section?.instances, (s) => s.instances);
  seedSources(world, section?.clusters, (s) => s.clusters);
}

export function rdsService(): ServiceModule {
  return queryService({
    name: 'rds',
    version: '2014-10-31',
    xmlns: 'http://rds.amazonaws.com/doc/2014-10-31/',
    seed,
    handlers: {
      CreateDBSnapshot: (params, ctx) => ({
        DBSnapshot: dbSnapshotXml(ctx.world, createSnapshot(INSTANCE, params, ctx)),
      }),
      CreateDBClusterSnapshot: (params, ctx) => ({
        DBClusterSnapshot: dbClusterSnapshotXml(ctx.world, createSnapshot(CLUSTER, params, ctx)),
      }),
      DescribeDBSnapshots: (params, ctx) => {
        const { page, marker } = describeSnapshots(INSTANCE, params, ctx);
        return {
          DBSnapshots: xmlList(
            'DBSnapshot',
            page.map((s) => dbSnapshotXml(ctx.world, s)),
          ),
          Marker: marker,
        };
      },
      DescribeDBClusterSnapshots: (params, ctx) => {
        const { page, marker } = describeSnapshots(CLUSTER, params, ctx);
        return {
          DBClusterSnapshots: xmlList(
            'DBClusterSnapshot',
            page.map((s) => dbClusterSnapshotXml(ctx.world, s)),
          ),
          Marker: marker,
        };
      },
    },
  });
}
