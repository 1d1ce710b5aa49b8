/**
 * ECS is eventually consistent: a revision registered moments ago (by the deploy step before the migration) may be
 * unknown for a short while, and a task just started may be MISSING. aws-sim gives those answers when asked (its
 * `lags`); the migration must wait them out, and say so when one outlasts the wait.
 */
import type { Sim } from '@shipyard/aws-sim/server';
import { image, migrate, registerNextRevision, startFspSim } from '@shipyard/testkit/fixtures/migrate/fsp-sim';

const OK = { image: image('ok'), startSeconds: 5, oneOff: { exitCode: 0, afterSeconds: 30 }, logs: ['migrated'] };

let sim: Sim;
afterEach(() => sim?.close());

const answers = (operation: string) => sim.control.requests({ operation }).map((r) => r.errorCode ?? 'ok');
const errors = (run: { annotations: { level: string; message: string }[] }) =>
  run.annotations.filter((annotation) => annotation.level === 'error').map((annotation) => annotation.message);

describe('a revision registered moments ago that ECS does not know yet', () => {
  test('DescribeTaskDefinition and RunTask are tried again until ECS knows it; one task runs', async () => {
    sim = await startFspSim({ tag: 'ok', scenarios: [OK], lags: { unknownNewTaskDefinition: true } });
    const revision = await registerNextRevision(sim);
    sim.control.clearRequests();
    const run = await migrate(sim, { 'task-definition': revision });

    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(answers('DescribeTaskDefinition')).toEqual(['ClientException', 'ClientException', 'ok']);
    expect(answers('RunTask')).toEqual(['ClientException', 'ClientException', 'ok']);
    // One client token for every try: a retried RunTask never starts a second task.
    const tokens = sim.control
      .requests({ operation: 'RunTask' })
      .map((r) => (r.params as { clientToken: string }).clientToken);
    expect(new Set(tokens).size).toBe(1);
    expect(run.log).toContain(
      `ECS does not know task definition ${revision} (yet, if it was just registered); trying again`,
    );
    expect(run.outputs['exit-code']).toBe('0');
  });

  test('a lag that outlasts the wait is reported as the input naming a task definition ECS cannot describe', async () => {
    sim = await startFspSim({ tag: 'ok', scenarios: [OK], lags: { unknownNewTaskDefinition: { reads: 1000 } } });
    const revision = await registerNextRevision(sim);
    sim.control.clearRequests();
    const run = await migrate(sim, { 'task-definition': revision }, { timeoutMs: 90_000 });

    expect(run.exitCode).toBe(1);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toMatch(
      new RegExp(
        `^migrate: Input "task-definition" names "${revision}", which ECS cannot describe in us-east-1 ` +
          '\\(ecs:DescribeTaskDefinition failed: ClientException: Unable to describe task definition \\(still so ' +
          'after 1\\d+s\\w* of retries\\)\\); the migration did not run$',
      ),
    );
    expect(sim.control.mutatingRequests({ service: 'ecs' })).toEqual([]);
  }, 120_000);
});

describe('a task just started that DescribeTasks does not describe yet (MISSING)', () => {
  test('it is looked for again, then followed to its exit', async () => {
    sim = await startFspSim({ tag: 'ok', scenarios: [OK], lags: { missingNewTask: true } });
    const run = await migrate(sim);

    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(answers('DescribeTasks').length).toBeGreaterThanOrEqual(3);
    expect(run.log).toMatch(/^Task \w+ is not described yet \(MISSING \(arn:aws:ecs:.+\)\); looking again\.$/m);
    expect(run.log).toContain('migrated');
  });

  test('MISSING for longer than the wait: the task is stopped and the step fails, saying so', async () => {
    sim = await startFspSim({ tag: 'ok', scenarios: [OK], lags: { missingNewTask: { reads: 1000 } } });
    const run = await migrate(sim, {}, { timeoutMs: 90_000 });

    expect(run.exitCode).toBe(1);
    const taskArn = run.outputs['task-arn'];
    expect(errors(run)[0]).toMatch(
      new RegExp(
        `^migrate: ECS still did not describe task ${taskArn} \\d+s\\w* after starting it: MISSING \\(${taskArn}\\); ` +
          `the migration task ${taskArn} was stopped; it may have run in part \\(its log is above\\)$`,
      ),
    );
    expect(sim.control.requests({ operation: 'StopTask' }).map((r) => r.params)).toEqual([
      { cluster: 'fsp-staging', task: taskArn, reason: 'shipyard migrate: the task could not be followed' },
    ]);
  }, 120_000);
});
