/**
 * ECS mode end to end, the parts around the run: timeout, cancellation, the guard against two migrations, the
 * snapshot first, and inputs refused before any AWS call changes anything.
 */
import type { Sim } from '@shipyard/aws-sim/server';
import { HeldClock } from '@shipyard/testkit/sim-time';
import {
  describeTask,
  image,
  migrate,
  startFspSim,
  startOtherMigration,
} from '@shipyard/testkit/fixtures/migrate/fsp-sim';

const LONG_RUNNING = (tag: string) => ({
  image: image(tag),
  startSeconds: 5,
  oneOff: { exitCode: 0, afterSeconds: 100_000 },
  logs: ['acquiring lock', 'still working'],
});

let sim: Sim;
afterEach(() => sim?.close());

test('timeout: the task is stopped with StopTask and the step fails; the post step has nothing left to do', async () => {
  sim = await startFspSim({ tag: 'slow', scenarios: [LONG_RUNNING('slow')] });
  const run = await migrate(sim, { timeout: '3s' });

  expect(run.exitCode).toBe(1);
  const taskArn = run.outputs['task-arn'];
  expect(run.log).toContain(`::error::migrate: the migration did not finish within 3s; task ${taskArn} was stopped`);
  const stops = sim.control.requests({ operation: 'StopTask' });
  expect(stops.map((request) => request.params)).toEqual([
    { cluster: 'fsp-staging', task: taskArn, reason: 'shipyard migrate: no exit within the timeout of 3s' },
  ]);
  expect(run.post?.exitCode).toBe(0);
  const task = await describeTask(sim, taskArn);
  expect(task).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'UserInitiated' });
});

test('cancelled run (SIGINT): the main step saves the task ARN and the post step stops the task', async () => {
  sim = await startFspSim({ tag: 'slow', scenarios: [LONG_RUNNING('slow')] });
  const run = await migrate(sim, {}, { signalAfter: { whenLogMatches: /^Following task / } });

  expect(run.conclusion).toBe('cancelled');
  const taskArn = run.state['task-arn'];
  expect(taskArn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:task\/fsp-staging\//);
  expect(run.state['task-settled']).toBeUndefined();
  const firstError = run.annotations.find((a) => a.level === 'error')?.message;
  expect(firstError).toMatch(new RegExp(`; the post step stops the migration task ${taskArn}$`));
  expect(run.post?.exitCode).toBe(0);
  expect(run.post?.log).toContain(`Stopped task ${taskArn}: shipyard migrate: the GitHub Actions run was cancelled`);
  const stops = sim.control.requests({ operation: 'StopTask' });
  expect(stops.map((request) => request.params)).toEqual([
    { cluster: 'fsp-staging', task: taskArn, reason: 'shipyard migrate: the GitHub Actions run was cancelled' },
  ]);
  expect(await describeTask(sim, taskArn)).toMatchObject({ desiredStatus: 'STOPPED' });
});

test('another migration of the same group still running: refused before anything is started', async () => {
  sim = await startFspSim({ tag: 'slow', scenarios: [LONG_RUNNING('slow')] });
  const other = await startOtherMigration(sim, 'migrate-fsp-api-staging');
  sim.control.clearRequests();
  const run = await migrate(sim);

  expect(run.exitCode).toBe(1);
  expect(run.log).toContain(
    `::error::migrate: another migration started by "migrate-fsp-api-staging" is still running in cluster fsp-staging: ${other}`,
  );
  expect(run.log).toContain('Wait for it to finish, stop it, or set concurrency-policy: wait to queue behind it.');
  expect(sim.control.mutatingRequests()).toEqual([]);
  expect(run.post?.exitCode).toBe(0);
});

test('concurrency-policy wait: starts once the other migration has stopped', async () => {
  // Time stands still until the action says it waits, so it finds the other migration running however late it starts.
  const clock = new HeldClock(20);
  sim = await startFspSim({
    tag: 'quick',
    clock,
    scenarios: [{ image: image('quick'), startSeconds: 5, oneOff: { exitCode: 0, afterSeconds: 40 }, logs: ['done'] }],
  });
  const other = await startOtherMigration(sim, 'migrate-fsp-api-staging');
  const run = await migrate(
    sim,
    { 'concurrency-policy': 'wait' },
    {
      onLine: (line) => {
        if (line.startsWith(`Waiting for ${other}`)) clock.start();
      },
    },
  );

  expect(run.exitCode).toBe(0);
  expect(run.log).toContain(`Waiting for ${other} (started by "migrate-fsp-api-staging") to stop before migrating.`);
  const [, ownRun] = sim.control.requests({ operation: 'RunTask' });
  const [otherStopped] = sim.control.milestones('task').filter((milestone) => milestone.id === other);
  expect(otherStopped.realTime).toBeLessThanOrEqual(ownRun.realTime);
});

test.each([
  {
    kind: 'an instance',
    input: 'snapshot-db-instance',
    db: 'fsp-staging-db',
    create: 'CreateDBSnapshot',
    ids: ['DBInstanceIdentifier', 'DBSnapshotIdentifier'],
    describe: 'DescribeDBSnapshots',
    milestone: 'rds-snapshot',
    restore: (id: string) =>
      `aws rds restore-db-instance-from-db-snapshot --db-instance-identifier fsp-staging-db-restored --db-snapshot-identifier ${id}`,
  },
  {
    kind: 'an Aurora cluster',
    input: 'snapshot-db-cluster',
    db: 'fsp-staging-aurora',
    create: 'CreateDBClusterSnapshot',
    ids: ['DBClusterIdentifier', 'DBClusterSnapshotIdentifier'],
    describe: 'DescribeDBClusterSnapshots',
    milestone: 'rds-cluster-snapshot',
    restore: (id: string) =>
      `aws rds restore-db-cluster-from-snapshot --db-cluster-identifier fsp-staging-aurora-restored --snapshot-identifier ${id} --engine aurora-postgresql`,
  },
])(
  'snapshot of $kind first: created, waited for until available, its id output, restore command in the summary',
  async ({ input, db, create, ids, describe, milestone, restore }) => {
    sim = await startFspSim({
      tag: 'ok',
      snapshotSeconds: 60,
      scenarios: [{ image: image('ok'), startSeconds: 5, oneOff: { exitCode: 0, afterSeconds: 20 }, logs: ['done'] }],
    });
    const run = await migrate(sim, { [input]: db });

    expect(run.exitCode).toBe(0);
    const snapshotId = run.outputs['snapshot-id'];
    expect(snapshotId).toMatch(new RegExp(`^${db}-pre-[0-9a-f]{7}-1000000001$`));
    const [created] = sim.control.requests({ operation: create });
    expect(created.params).toMatchObject({ [ids[0]]: db, [ids[1]]: snapshotId });
    expect(sim.control.requests({ operation: describe }).length).toBeGreaterThan(0);
    const [available] = sim.control.milestones(milestone);
    const [runTask] = sim.control.requests({ operation: 'RunTask' });
    expect(available).toMatchObject({ id: `us-east-1/${snapshotId}`, state: 'available' });
    expect(available.realTime).toBeLessThanOrEqual(runTask.realTime);
    expect(run.summary).toContain(`| Snapshot | \`${snapshotId}\` of \`${db}\` (available) |`);
    expect(run.summary).toContain(restore(snapshotId));
  },
);

describe('bad inputs are refused before any AWS call changes anything', () => {
  beforeEach(async () => {
    sim = await startFspSim({ tag: 'ok', scenarios: [] });
  });

  test.each([
    [
      'command not a JSON array',
      { command: 'npm run migrate' },
      'Input "command" must be a JSON array of strings such as ["npm","run","db:push"], got "npm run migrate".',
      false,
    ],
    [
      'unknown container',
      { container: 'migrations' },
      'Input "container" names "migrations", which task definition fsp-api-staging:1 does not have; its containers are "api".',
      true,
    ],
    [
      'bad snapshot name',
      { 'snapshot-db-instance': 'fsp-staging-db', 'snapshot-id': 'pre_migrate-1' },
      'Input "snapshot-id" is not a valid DB snapshot identifier: it contains "_"; only letters, digits and hyphens are allowed; got "pre_migrate-1".',
      false,
    ],
    [
      'an awsvpc task with no network to run in',
      { 'copy-from-service': '' },
      'Task definition fsp-api-staging:1 uses network mode awsvpc, so the task needs subnets: set "subnets" (and "security-groups"), or "copy-from-service" to run it in the network of the app\'s service.',
      true,
    ],
  ])('%s', async (_name, inputs, message, readsFirst) => {
    const run = await migrate(sim, inputs);
    expect(run.exitCode).toBe(1);
    // After AWS was asked, the error also says the migration did not run.
    const outcome = readsFirst ? '; the migration did not run' : '';
    expect(run.log).toContain(`::error::migrate: ${readsFirst ? message.replace(/\.$/, '') : message}${outcome}`);
    expect(sim.control.mutatingRequests()).toEqual([]);
    // Input mistakes are found without calling AWS at all; task definition mistakes with read-only calls only.
    expect(sim.control.requests().length > 0).toBe(readsFirst);
    expect(run.post?.exitCode).toBe(0);
  });
});
