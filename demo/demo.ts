import { join } from 'node:path';
import { EXAMPLES, fastVerification } from '@shipyard/scenarios/examples';
import type { GithubContext, WorkflowRun } from '@shipyard/scenarios/model';
import { startWorld, type World } from '@shipyard/scenarios/world';
import { gateBakes } from '@shipyard/testkit/bake-gate';
import { HeldClock } from '@shipyard/testkit/sim-time';
import {
  checkRelease1,
  checkRelease2,
  checkRollback,
  checkRollbackDryRun,
  dockerCalls,
  Expectations,
  servedImage,
  type PhaseContext,
} from './expectations';
import { bold, dim, green, red, seconds } from './render';
import { actionOf, finalTable, stepLines, type TableRow } from './report';
import { ACCOUNT, APP_DIR, BASE_SCENARIOS, REGION, releaseBehaviour, ROUTES, seedDocument } from './seed';

// `npm run demo`: the hello app's own caller workflows (demo/app/.github/workflows) run on the local runner, so
// the reusable deploy.yml and rollback.yml drive the bundled actions against aws-sim, step by step:
//   1. release 1: push to main → staging → production (blue/green, migrations, verification, CDN, promotion);
//   2. release 2: a hotfix straight to production whose /health fails → rolled back automatically;
//   3. a manual rollback of production to the previous release: dry run, then for real.

/** Simulated seconds per real second: a blue/green deployment with a 4-minute bake time takes a few seconds. */
export const TIME_SCALE = 120;
const RELEASE_0_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/hello-production:1`;
const SECRETS = {
  HELLO_STAGING_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/hello-staging-deploy`,
  HELLO_PRODUCTION_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/hello-production-deploy`,
};

interface Phase {
  title: string;
  label: string;
  workflow: string;
  inputs?: Record<string, unknown>;
  github: Partial<GithubContext>;
  release?: number;
  check(ctx: PhaseContext): Promise<void>;
}

export async function runDemo(write: (line: string) => void = (line) => console.log(line)): Promise<boolean> {
  const started = Date.now();
  const rows: TableRow[] = [];
  const expect = new Expectations(write);
  let phase: Phase | undefined;
  let release1Image = '';
  const clock = new HeldClock(TIME_SCALE);
  const bakes = gateBakes(clock);
  const world: World = await startWorld({
    seed: seedDocument(),
    scenarios: BASE_SCENARIOS,
    timeScale: TIME_SCALE,
    clock,
    repositoryFrom: [join(EXAMPLES, 'hello'), APP_DIR],
    routes: ROUTES,
    hooks: {
      actionInputs: (action, inputs) => {
        const adjusted = fastVerification(action, inputs);
        bakes.stepStarting(action, adjusted);
        return adjusted;
      },
      onActionLine: (_action, line) => bakes.line(line),
      afterStep: (record) => {
        bakes.stepEnded();
        const action = actionOf(record);
        // What the code of this release does once it is built (a build, not a promotion, creates a new image).
        if (action === 'build-push' && phase?.release && record.outputs.promoted === 'false' && record.outputs.digest) {
          world.sim.control.addScenarios(releaseBehaviour(phase.release, record.outputs.digest));
        }
        if (action && phase) rows.push({ phase: phase.label, record });
        stepLines(record).forEach(write);
      },
    },
  });
  bakes.watch(world.sim);
  const phases: Phase[] = [
    {
      title: 'Release 1 — push to main: build once → staging → promote by digest → production',
      label: 'release 1',
      workflow: '.github/workflows/deploy.yml',
      github: { sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', run_id: '7001' },
      release: 1,
      check: async (ctx) => {
        await checkRelease1(ctx);
        release1Image = await servedImage(world, 'production');
      },
    },
    {
      title: 'Release 2 — hotfix straight to production (environments: production); its /health fails',
      label: 'release 2',
      workflow: '.github/workflows/deploy.yml',
      inputs: { environments: 'production' },
      github: { sha: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890', run_id: '7002', event_name: 'workflow_dispatch' },
      release: 2,
      check: (ctx) => checkRelease2(ctx, release1Image),
    },
    {
      title: 'Manual rollback of production to the previous release — dry run',
      label: 'rollback (dry run)',
      workflow: '.github/workflows/rollback.yml',
      inputs: { environment: 'production', target: 'previous', 'dry-run': true },
      github: { run_id: '7003', event_name: 'workflow_dispatch', workflow: 'Rollback' },
      check: (ctx) => checkRollbackDryRun(ctx, RELEASE_0_ARN),
    },
    {
      title: 'Manual rollback of production to the previous release — for real',
      label: 'rollback',
      workflow: '.github/workflows/rollback.yml',
      inputs: { environment: 'production', target: 'previous', 'dry-run': false },
      github: { run_id: '7004', event_name: 'workflow_dispatch', workflow: 'Rollback' },
      check: (ctx) => checkRollback(ctx, RELEASE_0_ARN),
    },
  ];

  write(bold('Shipyard demo: the reusable workflows and the bundled actions against aws-sim'));
  write(dim(`  aws-sim on ${world.sim.endpoint}, ${TIME_SCALE}× simulated time; demo/app is the caller repository.`));
  write(
    dim('  No Docker engine: `docker` is a shim that pushes a synthetic image into the sim (the build is simulated).'),
  );
  write(dim('  Verification checks every 250 ms (deploy.yml leaves the 5 s default) to fit the fast clock.'));
  try {
    for (const current of phases) {
      phase = current;
      write('');
      write(bold(`━━ ${current.title}`));
      const since = Date.now();
      const dockerCallsBefore = dockerCalls(world).length;
      const run: WorkflowRun = await world.run(current.workflow, {
        inputs: current.inputs,
        secrets: SECRETS,
        github: { event_name: 'push', workflow: 'Deploy', ...current.github },
      });
      write(dim(`  workflow ${run.result} in ${seconds(Date.now() - since)}`));
      await current.check({ world, run, since, dockerCallsBefore, expect });
    }
  } finally {
    await world.close();
  }

  write('');
  write(bold('Summary'));
  finalTable(rows).forEach(write);
  write('');
  const ok = expect.failed.length === 0;
  const verdict = ok
    ? green(`All ${expect.count} expectations held`)
    : red(`${expect.failed.length} of ${expect.count} expectations failed: ${expect.failed.join('; ')}`);
  write(`${verdict} ${dim(`(${seconds(Date.now() - started)})`)}`);
  return ok;
}
