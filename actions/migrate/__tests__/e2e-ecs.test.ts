/**
 * ECS mode end to end: the bundled action, run as the runner runs it, against aws-sim. How the migration container
 * behaves is decided by the scenario of its image.
 */
import type { Sim } from '@shipyard/aws-sim/server';
import {
  CLUSTER,
  LOG_GROUP,
  RUN,
  SERVICE_NETWORK,
  describeTask,
  image,
  migrate,
  startFspSim,
} from '@shipyard/testkit/fixtures/migrate/fsp-sim';

const MIGRATION_LINES = [
  '> Migrating files:',
  '> - 001_create_users',
  '> - 002_create_aircraft',
  '> - 003a_create_reservations',
  '> - 003b_add_reservation_indexes',
  '### MIGRATION 001_create_users (UP) ###',
  '### MIGRATION 003b_add_reservation_indexes (UP) ###',
  'Migrations complete!',
];

let sim: Sim;
afterEach(() => sim?.close());

function positions(log: string, lines: string[]): number[] {
  const logLines = log.split('\n');
  return lines.map((line) => logLines.indexOf(line));
}

test('success: the container log is streamed in order while the task runs, and the task is judged by exit code 0', async () => {
  sim = await startFspSim({
    tag: 'ok',
    scenarios: [
      { image: image('ok'), startSeconds: 5, oneOff: { exitCode: 0, afterSeconds: 60 }, logs: MIGRATION_LINES },
    ],
  });
  const run = await migrate(sim);

  expect(run.exitCode).toBe(0);
  const where = positions(run.log, MIGRATION_LINES);
  expect(where.every((index) => index >= 0)).toBe(true);
  expect([...where].sort((a, b) => a - b)).toEqual(where);
  // Streamed as they arrive: the first lines were shown before the task was seen STOPPED.
  const stoppedAt = run.log.split('\n').findIndex((line) => /^Task \S+ is STOPPED\.$/.test(line));
  expect(where[0]).toBeLessThan(stoppedAt);

  const taskArn = run.outputs['task-arn'];
  const taskId = taskArn.split('/').pop();
  expect(taskArn).toMatch(new RegExp(`^arn:aws:ecs:us-east-1:123456789012:task/${CLUSTER}/`));
  expect(run.outputs).toMatchObject({
    'exit-code': '0',
    'duration-seconds': '65',
    'log-group': LOG_GROUP,
    'log-stream': `ecs/api/${taskId}`,
  });
  // Printed at once, before the wait: stopped tasks vanish from the API after an hour.
  const logLines = run.log.split('\n');
  expect(logLines.indexOf(`Task: ${taskArn}`)).toBeLessThan(where[0]);
  expect(logLines.indexOf(`Log stream: ecs/api/${taskId} in log group ${LOG_GROUP}`)).toBeLessThan(where[0]);

  const [runTask] = sim.control.requests({ operation: 'RunTask' });
  expect(runTask.params).toEqual({
    cluster: CLUSTER,
    taskDefinition: 'fsp-api-staging',
    count: 1,
    // Added by the SDK: a retried RunTask starts no second task.
    clientToken: expect.any(String),
    startedBy: 'migrate-fsp-api-staging',
    overrides: { containerOverrides: [{ name: 'api', command: ['npm', 'run', 'migrate'] }] },
    capacityProviderStrategy: [
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 4 },
    ],
    networkConfiguration: SERVICE_NETWORK,
    tags: [
      { key: 'shipyard:git-sha', value: expect.stringMatching(RUN.sha) },
      { key: 'shipyard:github-run-id', value: RUN.runId },
      { key: 'shipyard:github-repository', value: 'shipyard-tests/app' },
    ],
  });
  expect(sim.control.mutatingRequests().map((r) => r.operation)).toEqual(['RunTask']);
  expect(run.post?.exitCode).toBe(0);
  expect(run.summary).toContain('## Migration succeeded');
  expect(run.summary).toContain('| Exit code | 0 |');
  expect(run.summary).toContain('Migrations complete!');
});

test('exit code 3 fails the step with the last log lines shown', async () => {
  const lines = [
    '> Migrating files:',
    '> - 004_create_instructor_availability',
    '::error title=injected::a workflow command written by the container',
    'error: relation "instructors" does not exist',
  ];
  sim = await startFspSim({
    tag: 'bad',
    scenarios: [{ image: image('bad'), startSeconds: 5, oneOff: { exitCode: 3, afterSeconds: 30 }, logs: lines }],
  });
  const run = await migrate(sim);

  expect(run.exitCode).toBe(1);
  expect(run.log).toContain(
    '::error::migrate: container "api" exited with code 3 (EssentialContainerExited: Essential container in task exited)',
  );
  const logLines = run.log.split('\n');
  const repeat = logLines.findIndex((line) => /^Last \d+ log lines of container "api":$/.test(line));
  expect(repeat).toBeGreaterThan(0);
  expect(logLines.slice(repeat).join('\n')).toContain('error: relation "instructors" does not exist');
  expect(run.outputs['exit-code']).toBe('3');
  // Container output is shown, never executed: the only annotation is the action's own failure.
  expect(run.log).toContain('::error title=injected::a workflow command written by the container');
  expect(run.annotations.map((annotation) => annotation.message)).toEqual([
    'migrate: container "api" exited with code 3 (EssentialContainerExited: Essential container in task exited)',
  ]);
  expect(run.summary).toContain('## Migration failed: container "api" exited with code 3');
  expect(run.summary).toContain('error: relation "instructors" does not exist');
});

test('an image that cannot be pulled: the task goes straight to STOPPED with no exit code, and the reason is shown', async () => {
  sim = await startFspSim({ tag: 'missing', scenarios: [{ image: image('missing'), pull: 'fail', startSeconds: 5 }] });
  const run = await migrate(sim);

  expect(run.exitCode).toBe(1);
  expect(run.log).toMatch(
    /::error::migrate: container "api" stopped without an exit code: CannotPullContainerError: pull image manifest has been retried 5 time\(s\).*; TaskFailedToStart: CannotPullContainerError/,
  );
  expect(run.log).not.toMatch(/is RUNNING\./);
  expect(run.outputs['task-arn']).toBeDefined();
  expect(run.outputs['exit-code']).toBeUndefined();
  expect(run.summary).toContain('| Exit code | none |');
});

test('a sidecar exiting non-zero does not fail a migration that exited 0', async () => {
  sim = await startFspSim({
    tag: 'ok-with-router',
    sidecar: { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable' },
    scenarios: [
      { image: image('ok-with-router'), startSeconds: 5, oneOff: { exitCode: 0, afterSeconds: 20 }, logs: ['done'] },
      {
        image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
        oneOff: { exitCode: 0, afterSeconds: 3600 },
      },
    ],
  });
  const run = await migrate(sim);

  expect(run.exitCode).toBe(0);
  const task = await describeTask(sim, run.outputs['task-arn']);
  // The sidecar is listed first and was killed (SIGTERM, 143) when the migration ended.
  expect(task.containers?.map((c) => [c.name, c.exitCode])).toEqual([
    ['log-router', 143],
    ['api', 0],
  ]);
});

test('RunTask failures[] (answered with HTTP 200) fail the step clearly', async () => {
  sim = await startFspSim({
    tag: 'no-capacity',
    scenarios: [{ image: image('no-capacity'), placementFailure: 'Capacity is unavailable at this time.' }],
  });
  const run = await migrate(sim);

  expect(run.exitCode).toBe(1);
  expect(run.log).toMatch(
    /::error::migrate: ECS started no task: Capacity is unavailable at this time\. \(arn:aws:ecs:/,
  );
  expect(run.outputs['task-arn']).toBeUndefined();
  expect(run.post?.log ?? '').not.toContain('StopTask');
  expect(sim.control.requests({ operation: 'StopTask' })).toEqual([]);
});

test('an unknown container is refused before anything is started', async () => {
  sim = await startFspSim({ tag: 'ok', scenarios: [] });
  const run = await migrate(sim, { container: 'migrator' });

  expect(run.exitCode).toBe(1);
  expect(run.log).toContain(
    '::error::migrate: Input "container" names "migrator", which task definition fsp-api-staging:1 does not have; its containers are "api"; the migration did not run',
  );
  expect(sim.control.mutatingRequests()).toEqual([]);
});
