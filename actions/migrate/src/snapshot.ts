import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import * as core from '@shipyard/platform/core';
import { createClient } from '@shipyard/platform/aws';
import { DeploymentFailure } from '@shipyard/platform/errors';
import { poll, type Clock } from '@shipyard/platform/poll';
import { ACTION, Output } from './constants';
import type { SnapshotRequest } from './inputs';
import { formatSeconds, type Report } from './summary';

// Loads the RDS SDK: import this module lazily, once the inputs are valid.

/** A snapshot as DescribeDBSnapshots / DescribeDBClusterSnapshots report it. */
export interface SnapshotState {
  status: string;
  percentProgress?: number;
  /** The cluster's engine (aurora-postgresql, …), needed to restore a cluster snapshot. */
  engine?: string;
}

// Statuses after which the snapshot will never become available.
const DEAD_STATUSES = new Set(['failed', 'error', 'deleting', 'deleted', 'incompatible-restore']);

export interface SnapshotOptions {
  region: string;
  signal?: AbortSignal;
  clock?: Clock;
  /** Called as soon as RDS accepted the request, before waiting: the id is worth reporting even on a timeout. */
  onCreated?: (id: string) => void;
}

/** CreateDBSnapshot / CreateDBClusterSnapshot, then waits until the snapshot is `available`. */
export async function takeSnapshot(request: SnapshotRequest, options: SnapshotOptions): Promise<SnapshotState> {
  const rds = createClient(RDSClient, { action: ACTION, region: options.region });
  const what = request.kind === 'cluster' ? 'DB cluster snapshot' : 'DB snapshot';
  if (request.kind === 'cluster') {
    await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: request.db,
        DBClusterSnapshotIdentifier: request.id,
      }),
    );
  } else {
    await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: request.db, DBSnapshotIdentifier: request.id }));
  }
  core.info(`Creating ${what} ${request.id} of ${request.db}.`);
  options.onCreated?.(request.id);

  let lastReported = '';
  return poll<SnapshotState>({
    describe: (signal) => describeSnapshot(rds, request, signal),
    isDone: (state) => {
      if (DEAD_STATUSES.has(state.status)) {
        throw new DeploymentFailure(`${what} ${request.id} turned ${state.status} instead of available`);
      }
      return state.status === 'available';
    },
    onProgress: ({ state, elapsedMs }) => {
      const line = `${state.status}${state.percentProgress === undefined ? '' : ` ${state.percentProgress}%`}`;
      if (line !== lastReported) core.info(`${what} ${request.id}: ${line} (${formatSeconds(elapsedMs)})`);
      lastReported = line;
    },
    fingerprint: (state) => state.status,
    timeoutMs: request.timeoutMs,
    signal: options.signal,
    clock: options.clock,
    minIntervalMs: 5_000,
    maxIntervalMs: 30_000,
    waitingFor: `${what} ${request.id} to become available`,
  });
}

async function describeSnapshot(rds: RDSClient, request: SnapshotRequest, signal?: AbortSignal) {
  if (request.kind === 'cluster') {
    const { DBClusterSnapshots } = await rds.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: request.id }),
      { abortSignal: signal },
    );
    const snapshot = DBClusterSnapshots?.[0];
    return {
      status: snapshot?.Status ?? 'unknown',
      percentProgress: snapshot?.PercentProgress,
      engine: snapshot?.Engine,
    };
  }
  const { DBSnapshots } = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: request.id }), {
    abortSignal: signal,
  });
  const snapshot = DBSnapshots?.[0];
  return {
    status: snapshot?.Status ?? 'unknown',
    percentProgress: snapshot?.PercentProgress,
    engine: snapshot?.Engine,
  };
}

/** The AWS CLI command that restores the snapshot into a new database next to the migrated one. */
export function restoreCommand(request: SnapshotRequest, engine?: string): string {
  const target = `${request.db.slice(0, 54).replace(/-+$/, '')}-restored`;
  if (request.kind === 'cluster') {
    return (
      `aws rds restore-db-cluster-from-snapshot --db-cluster-identifier ${target} ` +
      `--snapshot-identifier ${request.id} --engine ${engine ?? '<engine>'}`
    );
  }
  return `aws rds restore-db-instance-from-db-snapshot --db-instance-identifier ${target} --db-snapshot-identifier ${request.id}`;
}

/** The snapshot phase of either mode: takes the snapshot and records it in the report as soon as it exists. */
export async function snapshotBeforeMigrating(
  request: SnapshotRequest,
  report: Report,
  options: Omit<SnapshotOptions, 'onCreated'>,
): Promise<void> {
  const { engine } = await takeSnapshot(request, {
    ...options,
    onCreated: (id) => {
      report.snapshot = { id, kind: request.kind, db: request.db, available: false };
      core.setOutput(Output.SnapshotId, id);
    },
  });
  const restore = restoreCommand(request, engine);
  report.snapshot = { id: request.id, kind: request.kind, db: request.db, available: true, restore };
  core.info(`Snapshot ${request.id} is available. To restore it into a new database: ${restore}`);
}
