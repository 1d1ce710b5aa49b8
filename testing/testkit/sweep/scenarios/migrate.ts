/** migrate in ECS mode under the sweep: one migration task that exits 0 after a minute of simulated time. */
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import type { Sim } from '@shipyard/aws-sim/server';
import { CLUSTER, image, migrate, REGION, startFspSim } from '@shipyard/testkit/fixtures/migrate/fsp-sim';
import type { SweepScenario, Target } from '../../src/sweep';

const STARTED_BY = 'migrate-fsp-api-staging';
/** The name a failure should mention: the migration (its task definition family). */
const MIGRATION = 'migration';

async function migrationTasks(sim: Sim): Promise<Task[]> {
  const ecs = new ECSClient({
    endpoint: sim.endpoint,
    region: REGION,
    credentials: { accessKeyId: sim.env.AWS_ACCESS_KEY_ID, secretAccessKey: sim.env.AWS_SECRET_ACCESS_KEY },
  });
  try {
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const listed = await ecs.send(new ListTasksCommand({ cluster: CLUSTER, startedBy: STARTED_BY, desiredStatus }));
      arns.push(...(listed.taskArns ?? []));
    }
    if (!arns.length) return [];
    return (await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks ?? [];
  } finally {
    ecs.destroy();
  }
}

/** Ran to exit 0: as asked. Stopped (or stopping) by request, or never started: as before. Else still running. */
function migrationTarget(tasks: Task[]): Target[] {
  if (tasks.length > 1)
    return [{ name: MIGRATION, state: `${tasks.length} migration tasks started`, reversible: false }];
  const [task] = tasks;
  const exitedZero = task?.lastStatus === 'STOPPED' && task.containers?.every((c) => c.exitCode === 0);
  const state = !task
    ? 'known-good'
    : exitedZero
      ? 'intended'
      : task.desiredStatus === 'STOPPED'
        ? 'known-good'
        : `task still ${task.lastStatus}, nobody stopped it`;
  return [{ name: MIGRATION, state, reversible: false }];
}

export const migrateEcs: SweepScenario = {
  name: 'migrate, ECS mode',
  kinds: ['denial', 'proxy-5xx', 'dropped-connection', 'timeout', 'throttling', 'cancel'],
  async start() {
    const sim = await startFspSim({
      tag: 'ok',
      scenarios: [{ image: image('ok'), startSeconds: 5, oneOff: { exitCode: 0, afterSeconds: 60 }, logs: ['done'] }],
    });
    return {
      sim,
      run: (options) => migrate(sim, {}, options),
      observe: async () => ({ targets: migrationTarget(await migrationTasks(sim)), violations: [] }),
      isRestore: (call) => call.operation === 'StopTask',
      close: () => sim.close(),
    };
  },
};
