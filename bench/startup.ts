/**
 * Start-up of every bundled action (printed, not asserted), from process start
 *   - to the missing-input error (`node dist/index.js`, nothing given), every action;
 *   - to the first AWS request aws-sim sees (valid inputs), ecs-deploy and invalidate-cdn;
 *   - to the end of an idle post step (`node dist/post/index.js` on a runner, no saved state), every post step.
 * Wall time is what a job waits; CPU time (the child's user + system) is the same work with the machine's other load
 * taken out. Targets: no slower than the official ECS deploy action (aws-actions/amazon-ecs-deploy-task-definition),
 * measured side by side on this machine at 324 ms to the missing-input error and 353 ms to the first AWS request;
 * the actions' own budgets (ecs-deploy ≤ 120 / ≤ 200 ms, invalidate-cdn ≤ 120 ms); an idle post step ≤ 50 ms.
 * Run: node --conditions=import --import tsx bench/startup.ts (re-bundle first: npm run bundle).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sim } from '@shipyard/aws-sim/server';
import { CLUSTER, startWorld } from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';
import { startCdnSim } from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';

const ROOT = join(__dirname, '..');
const ACTIONS = ['build-push', 'ecs-deploy', 'invalidate-cdn', 'migrate', 'rollback'];
const RUNS = 15;
const OFFICIAL = { toError: 324, toFirstRequest: 353 };
/** ecs-deploy before issue 16 (a hand-written core instead of @actions/core), measured the same way. */
const BEFORE = { toError: 98, toFirstRequest: 226 };
const IDLE_POST_BUDGET_MS = 50;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const scratch = mkdtempSync(join(tmpdir(), 'shipyard-bench-startup-'));
const main = (action: string) => join(ROOT, 'actions', action, 'dist', 'index.js');
const post = (action: string) => join(ROOT, 'actions', action, 'dist', 'post', 'index.js');

/** Reports the child's CPU time and peak memory on exit (NODE_OPTIONS --require): figures a parent cannot read. */
const USAGE_HOOK = join(scratch, 'usage.cjs');
writeFileSync(
  USAGE_HOOK,
  'process.on("exit", () => { const u = process.resourceUsage(); ' +
    'process.stderr.write(`cpu-us=${u.userCPUTime + u.systemCPUTime} peak-rss-kb=${u.maxRSS}\\n`); });\n',
);

interface Spawned {
  startedAt: number;
  wallMs: number;
  cpuMs: number;
  peakKb: number;
  exitCode: number | null;
}

function runNode(script: string, env: Record<string, string>): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, [script], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: `--require ${USAGE_HOOK}`, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) =>
      resolve({
        startedAt,
        wallMs: performance.timeOrigin + performance.now() - startedAt,
        cpuMs: Number(/cpu-us=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1000,
        peakKb: Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? NaN),
        exitCode,
      }),
    );
  });
}

interface Figure {
  name: string;
  target: string;
  wall: number[];
  cpu: number[];
  peakKb: number[];
}

async function repeat(name: string, target: string, once: () => Promise<Spawned & { wallMs: number }>) {
  const figure: Figure = { name, target, wall: [], cpu: [], peakKb: [] };
  for (let i = 0; i < RUNS; i++) {
    const run = await once();
    figure.wall.push(run.wallMs);
    figure.cpu.push(run.cpuMs);
    figure.peakKb.push(run.peakKb);
  }
  return figure;
}

const MISSING_INPUT_TARGETS: Record<string, string> = {
  'ecs-deploy': `≤ 120 ms (own), ≤ ${OFFICIAL.toError} ms (official); before ${BEFORE.toError} ms`,
  'invalidate-cdn': `≤ 120 ms (own), ≤ ${OFFICIAL.toError} ms (official)`,
};

function missingInput(action: string): Promise<Figure> {
  const target = MISSING_INPUT_TARGETS[action] ?? `≤ ${OFFICIAL.toError} ms (official)`;
  return repeat(`${action}: to the missing-input error`, target, async () => {
    const run = await runNode(main(action), {});
    if (run.exitCode !== 1) throw new Error(`${action} exited ${run.exitCode} without inputs; expected 1`);
    return run;
  });
}

/** Spawn → the first request the sim sees; the inputs may fail the step later, only the first request counts. */
async function firstRequest(action: string, target: string, sim: Sim, inputs: Record<string, string>) {
  try {
    return await repeat(`${action}: to the first AWS request`, target, async () => {
      sim.control.clearRequests();
      const run = await runNode(main(action), { ...sim.env, ...inputs });
      const first = sim.control.requests()[0];
      if (!first) throw new Error(`${action} made no AWS request`);
      return { ...run, wallMs: first.realTime - run.startedAt };
    });
  } finally {
    await sim.close();
  }
}

function idlePost(action: string): Promise<Figure> {
  return repeat(`${action}: idle post step`, `≤ ${IDLE_POST_BUDGET_MS} ms`, async () => {
    // On a runner, after a main step that saved nothing to act on.
    const run = await runNode(post(action), { GITHUB_ACTIONS: 'true' });
    if (run.exitCode !== 0) throw new Error(`${action}'s idle post step exited ${run.exitCode}`);
    return run;
  });
}

async function measure(): Promise<Figure[]> {
  const empty = join(scratch, 'empty.js');
  writeFileSync(empty, '');
  const figures = [await repeat('node itself (an empty script)', 'the floor', () => runNode(empty, {}))];
  for (const action of ACTIONS) figures.push(await missingInput(action));
  const world = await startWorld([{ name: 'web' }]);
  const ecsTarget = `≤ 200 ms (own), ≤ ${OFFICIAL.toFirstRequest} ms (official); before ${BEFORE.toFirstRequest} ms`;
  // An unknown service: the action describes it, fails and exits.
  figures.push(
    await firstRequest('ecs-deploy', ecsTarget, world.sim, { INPUT_SERVICE: 'missing', INPUT_CLUSTER: CLUSTER }),
  );
  await world.close();
  const cdnInputs = { INPUT_DISTRIBUTIONS: 'E2QWRUHAPOMQZL', INPUT_PATHS: '/index.html', INPUT_WAIT: 'false' };
  figures.push(await firstRequest('invalidate-cdn', '–', await startCdnSim(), cdnInputs));
  for (const action of ACTIONS.filter((a) => existsSync(post(a)))) figures.push(await idlePost(action));
  return figures;
}

async function report(): Promise<void> {
  console.log(`start-up, median of ${RUNS} (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  const figures = await measure();
  const width = Math.max(...figures.map((f) => f.name.length));
  const cell = (value: number, unit: string) => `${Math.round(value)} ${unit}`.padStart(9);
  // What the action itself costs: its CPU time beyond node's own start-up, the figure least moved by other load.
  const floor = median(figures[0].cpu);
  console.log(`  ${''.padEnd(width)}       wall        cpu  cpu - node  peak memory`);
  for (const f of figures) {
    const own = cell(median(f.cpu) - floor, 'ms');
    const memory = cell(Math.max(...f.peakKb) / 1024, 'MB');
    console.log(
      `  ${f.name.padEnd(width)}  ${cell(median(f.wall), 'ms')}  ${cell(median(f.cpu), 'ms')}  ${own}  ${memory}` +
        `   target ${f.target}`,
    );
  }
}

report()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
