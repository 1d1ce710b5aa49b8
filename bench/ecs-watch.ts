/**
 * How ecs-deploy and rollback wait (issue 15), each figure beside its target and beside the baseline: the bundles as
 * the issue found them (commit BASELINE, read from git at start), run in the same process against the same aws-sim,
 * side by side. Printed, never asserted.
 *   ECS reads in the busiest minute while waiting (1 and 10 services, real time)   ≤ 15
 *   outcome after the sim decided (the deployment's final status), median / max      ≤ 2 s / ≤ 3 s
 *   ECS calls per service before UpdateService (1 and 16 services)                    ≤ 3
 *   failure: the step ends after the circuit breaker tripped                          (rollback + latency)
 *   rollback action: busiest minute and outcome latency while it waits                ≤ 15, ≤ 2 s / ≤ 3 s
 *   blue/green and rolling behind a load balancer with a 120 s deregistration delay:
 *   busiest minute and outcome latency (real time)                                    ≤ 15, ≤ 2 s / ≤ 3 s
 * "Real time" runs the sim at 1× (what AWS does: a cadence in seconds meets deployments lasting seconds); 60× is the
 * compressed sim the e2e tests use, where a whole deployment is decided within a second.
 * Run: node --conditions=import --import tsx bench/ecs-watch.ts (re-bundle first: npm run bundle ecs-deploy rollback).
 * `--drain` runs only the long-drain cases; BENCH_BASELINE=<commit> compares with another commit's bundles.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReadOperation } from '@shipyard/ecs/call-budget';
import { startSim } from '@shipyard/aws-sim/server';
import { runAction } from '@shipyard/testkit/run-action';
import {
  ACTION_DIR,
  blueGreenLoadBalancers,
  CLUSTER,
  REGION,
  SCENARIOS,
  serviceSeed,
  startWorld,
  taskDefinition,
  type ServiceSpec,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

/** The last commit before issue 15's changes. */
const BASELINE = process.env.BENCH_BASELINE ?? 'a250934';
const ROOT = join(__dirname, '..');
const ROLLBACK_DIR = join(ROOT, 'actions', 'rollback');
const RUNS_FAST = 5;
const RUNS_REAL_TIME = 3;
/** A long deregistration delay (AWS's default is 300 s): the drain that ends a clean-up or a rolling update. */
const LONG_DRAIN_SECONDS = 120;
const MINUTE = 60_000;

type Variant = 'before' | 'after';

/** The actions as they were at BASELINE, extracted from git; undefined when this clone lacks that commit. */
function baselineDirs(): { deploy: string; rollback: string; cleanup: () => void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'shipyard-bench-baseline-'));
  const paths = ['ecs-deploy', 'rollback'].flatMap((name) => [`actions/${name}/action.yml`, `actions/${name}/dist`]);
  const archive = spawnSync('git', ['-C', ROOT, 'archive', '--format=tar', BASELINE, ...paths], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const untar = archive.status === 0 ? spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout }) : undefined;
  if (untar?.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    deploy: join(dir, 'actions', 'ecs-deploy'),
    rollback: join(dir, 'actions', 'rollback'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

interface Measured {
  /** Action exit minus the sim's last decision on our service deployments. */
  latencyMs: number;
  /** ECS calls before the first UpdateService, per service. */
  callsBeforePerService: number;
  /** ECS reads from the first UpdateService to the exit in the busiest 60 s: what the step's call budget caps (the
   * changes — UpdateService, a hook's answer, a stop — go out once each, when due). */
  busiestMinute: number;
  waitedMs: number;
  /** Action exit minus the circuit breaker's trip, when it tripped. */
  afterTripMs?: number;
}

interface SimLog {
  requests(filter?: { service?: string }): { realTime: number; operation: string }[];
  milestones(kind?: string): { state: string; realTime: number; kind: string }[];
}

function busiest(times: number[]): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + MINUTE).length));
}

/** Reads the figures of one run from the sim's request log and milestones. */
function figures(log: SimLog, exitedAt: number, services: number, finalStates: string[]): Measured {
  const ecs = log.requests({ service: 'ecs' });
  const firstUpdate = ecs.find((r) => r.operation === 'UpdateService');
  if (!firstUpdate) throw new Error('no UpdateService');
  const decisions = log
    .milestones('service-deployment')
    .filter((m) => m.realTime >= firstUpdate.realTime && finalStates.includes(m.state));
  if (decisions.length < services) throw new Error(`${decisions.length} decisions for ${services} services`);
  const decided = Math.max(...decisions.map((m) => m.realTime));
  const trip = log.milestones('deployment').find((m) => m.state === 'FAILED' && m.realTime >= firstUpdate.realTime);
  const waiting = ecs
    .filter((r) => r.realTime >= firstUpdate.realTime && isReadOperation(r.operation))
    .map((r) => r.realTime);
  return {
    latencyMs: exitedAt - decided,
    callsBeforePerService: ecs.filter((r) => r.realTime < firstUpdate.realTime).length / services,
    busiestMinute: busiest(waiting),
    waitedMs: decided - firstUpdate.realTime,
    afterTripMs: trip ? exitedAt - trip.realTime : undefined,
  };
}

/** One ecs-deploy run in a world of its own. */
async function deployOnce(
  actionDir: string,
  specs: ServiceSpec[],
  image: string,
  finalStates: string[],
  timeScale: number,
  drainSeconds?: number,
): Promise<Measured> {
  const world = await startWorld(specs, { timeScale, drainSeconds });
  try {
    await runAction({
      actionDir,
      inputs: { cluster: CLUSTER, service: specs.map((s) => s.name).join('\n'), images: `app=example/web:${image}` },
      env: world.sim.env,
      workspace: world.workspace,
      runPost: false,
      timeoutMs: 600_000,
    });
    return figures(world.sim.control, Date.now(), specs.length, finalStates);
  } finally {
    await world.close();
  }
}

/** One rollback run: the service runs web:2, the action puts it back on web:1 and waits (rolling, real time). */
async function rollbackOnce(actionDir: string): Promise<Measured> {
  const spec = { name: 'web' };
  const sim = await startSim({
    timeScale: 1,
    scenarios: SCENARIOS,
    seed: {
      ecs: {
        region: REGION,
        clusters: [CLUSTER],
        taskDefinitions: [taskDefinition('web', 'example/web:v1'), taskDefinition('web', 'example/web:v2')],
        services: [serviceSeed(spec)],
      },
      logs: { region: REGION, logGroups: ['/ecs/web'] },
    },
  });
  const workspace = mkdtempSync(join(tmpdir(), 'shipyard-bench-rollback-'));
  try {
    await runAction({
      actionDir,
      inputs: { cluster: CLUSTER, service: 'web', target: '1' },
      env: sim.env,
      workspace,
      runPost: false,
      timeoutMs: 600_000,
    });
    return figures(sim.control, Date.now(), 1, ['SUCCESSFUL']);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    await sim.close();
  }
}

/** Runs `once` for both variants side by side (the same moment, the same machine), `runs` times. */
async function sideBySide(
  dirs: Record<Variant, string> | undefined,
  after: string,
  runs: number,
  once: (dir: string) => Promise<Measured>,
): Promise<Record<Variant, Measured[]>> {
  const results: Record<Variant, Measured[]> = { before: [], after: [] };
  for (let i = 0; i < runs; i++) {
    const [b, a] = await Promise.all([dirs ? once(dirs.before) : undefined, once(after)]);
    if (b) results.before.push(b);
    results.after.push(a);
  }
  return results;
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

type Row = [name: string, before: string, after: string, target: string];

function latencyRows(label: string, runs: Record<Variant, Measured[]>): Row[] {
  const show = (variant: Variant, pick: (values: number[]) => number) =>
    runs[variant].length ? seconds(pick(runs[variant].map((m) => m.latencyMs))) : '–';
  return [
    [`${label}: outcome latency, median`, show('before', median), show('after', median), '≤ 2 s'],
    [
      `${label}: outcome latency, max`,
      show('before', (v) => Math.max(...v)),
      show('after', (v) => Math.max(...v)),
      '≤ 3 s',
    ],
  ];
}

function maxOf(runs: Record<Variant, Measured[]>, variant: Variant, pick: (m: Measured) => number | undefined): string {
  const values = runs[variant].map(pick).filter((v): v is number => v !== undefined);
  return values.length ? String(Math.max(...values)) : '–';
}

/** Blue/green and rolling deployments whose old tasks drain for LONG_DRAIN_SECONDS, at real speed, side by side. */
async function drainRows(deployDirs: Record<Variant, string> | undefined): Promise<Row[]> {
  const loadBalancer = blueGreenLoadBalancers('web')[0];
  const blueGreen: ServiceSpec = {
    name: 'web',
    extra: {
      loadBalancers: [loadBalancer],
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
    },
  };
  const rolling: ServiceSpec = {
    name: 'web',
    extra: { loadBalancers: [{ ...loadBalancer, advancedConfiguration: undefined }] },
  };
  const drained = (spec: ServiceSpec) => (dir: string) =>
    deployOnce(dir, [spec], 'v2', ['SUCCESSFUL'], 1, LONG_DRAIN_SECONDS);
  const [blueGreenRuns, rollingRuns] = await Promise.all([
    sideBySide(deployDirs, ACTION_DIR, RUNS_REAL_TIME, drained(blueGreen)),
    sideBySide(deployDirs, ACTION_DIR, RUNS_REAL_TIME, drained(rolling)),
  ]);
  const label = `${LONG_DRAIN_SECONDS} s drain`;
  return [
    busiestRow(`ECS calls, busiest minute waiting: blue/green, ${label}`, blueGreenRuns),
    busiestRow(`ECS calls, busiest minute waiting: rolling, ${label}`, rollingRuns),
    ...latencyRows(`blue/green, ${label}, real time`, blueGreenRuns),
    ...latencyRows(`rolling, ${label}, real time`, rollingRuns),
  ];
}

function busiestRow(name: string, runs: Record<Variant, Measured[]>): Row {
  return [name, maxOf(runs, 'before', (m) => m.busiestMinute), maxOf(runs, 'after', (m) => m.busiestMinute), '≤ 15'];
}

async function main(): Promise<void> {
  const drainOnly = process.argv.includes('--drain');
  const baseline = baselineDirs();
  console.log(
    `ecs-deploy and rollback waits: before = ${baseline ? `commit ${BASELINE}` : `unavailable (no ${BASELINE} in this clone)`}, after = this checkout`,
  );
  const deployDirs = baseline && { before: baseline.deploy, after: ACTION_DIR };
  const rows: Row[] = [];
  try {
    if (drainOnly) {
      rows.push(...(await drainRows(deployDirs)));
      return;
    }
    const web = [{ name: 'web' }];
    const success = ['SUCCESSFUL'];
    const rolledBack = ['ROLLBACK_SUCCESSFUL'];

    const fastOk = await sideBySide(deployDirs, ACTION_DIR, RUNS_FAST, (dir) =>
      deployOnce(dir, web, 'v2', success, 60),
    );
    const fastFail = await sideBySide(deployDirs, ACTION_DIR, RUNS_FAST, (dir) =>
      deployOnce(dir, web, 'crash', rolledBack, 60),
    );
    const realOk = await sideBySide(deployDirs, ACTION_DIR, RUNS_REAL_TIME, (dir) =>
      deployOnce(dir, web, 'v2', success, 1),
    );
    const realFail = await sideBySide(deployDirs, ACTION_DIR, RUNS_REAL_TIME, (dir) =>
      deployOnce(dir, web, 'crash', rolledBack, 1),
    );
    // Long waits at real speed: a blue/green deployment with a 1-minute bake, for 1 and for 10 services.
    const blueGreen = (name: string): ServiceSpec => ({
      name,
      extra: {
        loadBalancers: blueGreenLoadBalancers(name),
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 },
      },
    });
    const ten = Array.from({ length: 10 }, (_, i) => blueGreen(`web${i}`));
    const [longOne, longTen] = await Promise.all([
      sideBySide(deployDirs, ACTION_DIR, 1, (dir) => deployOnce(dir, [blueGreen('web')], 'v9', success, 1)),
      sideBySide(deployDirs, ACTION_DIR, 1, (dir) => deployOnce(dir, ten, 'v9', success, 1)),
    ]);
    const sixteen = Array.from({ length: 16 }, (_, i) => ({ name: `svc${i}` }));
    const many = await sideBySide(deployDirs, ACTION_DIR, 1, (dir) => deployOnce(dir, sixteen, 'v2', success, 60));
    const rollback = await sideBySide(
      baseline && { before: baseline.rollback, after: ROLLBACK_DIR },
      ROLLBACK_DIR,
      RUNS_REAL_TIME,
      rollbackOnce,
    );

    const waited = (runs: Record<Variant, Measured[]>) => `${Math.round(runs.after[0].waitedMs / 1000)} s`;
    rows.push(
      busiestRow(`ECS calls, busiest minute waiting: 1 service blue/green (${waited(longOne)})`, longOne),
      busiestRow(`ECS calls, busiest minute waiting: 10 services blue/green (${waited(longTen)})`, longTen),
      busiestRow('ECS calls, busiest minute waiting: rolling success, real time', realOk),
      busiestRow('ECS calls, busiest minute waiting: failure + ECS rollback, real time', realFail),
      ...latencyRows('success 60×', fastOk),
      ...latencyRows('failure 60×', fastFail),
      ...latencyRows('success real time', realOk),
      ...latencyRows('failure real time', realFail),
      // Its last step is the old revision's drain (the target groups' 30 s deregistration delay, read beside the watch).
      ...latencyRows('1 service blue/green, real time', longOne),
      [
        'failure real time: step end after the circuit breaker trip, max',
        maxOf(realFail, 'before', (m) => m.afterTripMs && Math.round(m.afterTripMs / 100) / 10),
        maxOf(realFail, 'after', (m) => m.afterTripMs && Math.round(m.afterTripMs / 100) / 10),
        'ECS rollback + latency (s)',
      ],
      [
        'ECS calls before UpdateService: 1 service',
        maxOf(fastOk, 'before', (m) => m.callsBeforePerService),
        maxOf(fastOk, 'after', (m) => m.callsBeforePerService),
        '≤ 3',
      ],
      [
        'ECS calls per service before UpdateService: 16 services',
        maxOf(many, 'before', (m) => Math.round(m.callsBeforePerService * 10) / 10),
        maxOf(many, 'after', (m) => Math.round(m.callsBeforePerService * 10) / 10),
        '≤ 3',
      ],
      busiestRow('rollback action: ECS calls, busiest minute waiting', rollback),
      ...latencyRows('rollback action, real time', rollback),
      ...(await drainRows(deployDirs)),
    );
  } finally {
    baseline?.cleanup();
    printRows(rows);
  }
}

function printRows(rows: Row[]): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`  ${''.padEnd(width)}  ${'before'.padStart(8)}  ${'after'.padStart(8)}   target`);
  for (const [name, before, after, target] of rows)
    console.log(`  ${name.padEnd(width)}  ${before.padStart(8)}  ${after.padStart(8)}   ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
