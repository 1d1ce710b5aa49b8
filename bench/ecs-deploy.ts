/**
 * ecs-deploy's budgets from its issue, measured against aws-sim with the bundled dist (not asserted):
 *   outcome latency (the sim decides → the action exits) median and max   ≤ 2 s
 *   ECS calls per minute while waiting                                     ≤ 30
 *   bundle size                                                            ≤ 2.5 MB
 * (cold start and peak memory: bench/startup.ts).
 * Run: node --conditions=import --import tsx bench/ecs-deploy.ts (re-bundle first: npm run bundle ecs-deploy).
 */
import { readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runAction } from '@shipyard/testkit/run-action';
import {
  ACTION_DIR,
  blueGreenLoadBalancers,
  CLUSTER,
  startWorld,
  type ServiceSpec,
  type World,
} from '../actions/ecs-deploy/__tests__/fixtures/sim-world';

const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${Math.round(value)} ms`;

interface Outcome {
  latencyMs: number;
  callsPerMinute: number;
  waitedMs: number;
}

/** Deploys once and measures from the sim's decision on our service deployment to the action's exit. */
async function measure(
  spec: ServiceSpec,
  inputs: Record<string, string>,
  finalState: string,
  timeScale: number,
): Promise<Outcome> {
  const world: World = await startWorld([spec], { timeScale });
  try {
    const run = runAction({
      actionDir: ACTION_DIR,
      inputs: { cluster: CLUSTER, service: spec.name, ...inputs },
      env: world.sim.env,
      workspace: world.workspace,
      runPost: false,
      timeoutMs: 300_000,
    });
    await run;
    const exitedAt = Date.now();
    const update = world.sim.control.requests({ operation: 'UpdateService' })[0];
    const decided = world.sim.control
      .milestones('service-deployment')
      .find((m) => m.state === finalState && m.realTime >= update.realTime);
    if (!decided) throw new Error(`no ${finalState} milestone`);
    const waiting = world.sim.control.requests({
      service: 'ecs',
      sinceRealTime: update.realTime,
      untilRealTime: decided.realTime,
    });
    const waitedMs = decided.realTime - update.realTime;
    return { latencyMs: exitedAt - decided.realTime, callsPerMinute: (waiting.length / waitedMs) * 60_000, waitedMs };
  } finally {
    await world.close();
  }
}

function bundleSize(dir: string): number {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.js'))
    .map((file) => statSync(join(dir, file)).size)
    .reduce((sum, size) => sum + size, 0);
}

async function main(): Promise<void> {
  console.log(`ecs-deploy bench (load average ${loadavg()[0].toFixed(1)} on this machine)`);
  const outcomes: Outcome[] = [];
  for (let i = 0; i < RUNS; i++) {
    outcomes.push(await measure({ name: 'web' }, { images: `app=example/web:v${i + 2}` }, 'SUCCESSFUL', 60));
    outcomes.push(await measure({ name: 'web' }, { images: 'app=example/web:crash' }, 'ROLLBACK_SUCCESSFUL', 60));
  }
  // A long wait at nearly real speed (a blue/green deploy with a 1-minute bake at 2×): what polling costs per minute.
  // Faster sims compress the busy first stages, where the interval keeps snapping back, and overstate the rate.
  const blueGreen = {
    name: 'web',
    extra: {
      loadBalancers: blueGreenLoadBalancers('web'),
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 },
    },
  };
  const long = await measure(blueGreen, { images: 'app=example/web:v9' }, 'SUCCESSFUL', 2);

  const latencies = outcomes.map((o) => o.latencyMs);
  const mainKb = bundleSize(join(ACTION_DIR, 'dist')) - bundleSize(join(ACTION_DIR, 'dist', 'post'));
  const postKb = bundleSize(join(ACTION_DIR, 'dist', 'post'));
  const rows: [string, string, string][] = [
    ['outcome latency, median', ms(median(latencies)), '≤ 2 s'],
    ['outcome latency, max', ms(Math.max(...latencies)), '≤ 2 s'],
    [
      `ECS calls per minute while waiting (${(long.waitedMs / 1000).toFixed(0)} s blue/green)`,
      long.callsPerMinute.toFixed(1),
      '≤ 30',
    ],
    ['bundle: main (index.js + chunks)', `${(mainKb / 1024 / 1024).toFixed(2)} MB`, '≤ 2.5 MB'],
    ['bundle: post', `${(postKb / 1024 / 1024).toFixed(2)} MB`, '–'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value, target] of rows)
    console.log(`  ${name.padEnd(width)}  ${value.padStart(9)}   target ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
