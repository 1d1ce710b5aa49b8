/**
 * Start-up of every bundled action (printed, not asserted): `node dist/index.js` from process start to
 *   - the missing-input error (every action; nothing given),
 *   - ecs-deploy's first AWS request (aws-sim sees it),
 * and `node dist/post/index.js` with no saved state (the idle post step, which runs after every successful step).
 * Wall time is what a job waits; CPU time (user + system of the child) is the same work with the machine's other
 * load taken out. Targets: no slower than the official ECS deploy action (aws-actions/amazon-ecs-deploy-task-definition),
 * measured side by side on this machine: 324 ms to the missing-input error, 353 ms to the first AWS request.
 * Run: npx tsx bench/startup.ts (re-bundle first: npm run bundle).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_DIR as ECS_DEPLOY_DIR, CLUSTER, startWorld } from '../actions/ecs-deploy/__tests__/fixtures/sim-world';

const ROOT = join(__dirname, '..');
const ACTIONS = ['build-push', 'ecs-deploy', 'invalidate-cdn', 'migrate', 'rollback'];
const RUNS = 15;

const OFFICIAL = { toError: 324, toFirstRequest: 353 };
/** Shipyard's figures before issue 16 (hand-written core), measured with the same method. */
const BEFORE = { toError: 98, toFirstRequest: 226 };
const IDLE_POST_BUDGET_MS = 50;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Reports the child's CPU time on exit (NODE_OPTIONS --require), a figure the parent cannot read itself. */
const scratch = mkdtempSync(join(tmpdir(), 'shipyard-bench-startup-'));
const CPU_HOOK = join(scratch, 'cpu.cjs');
writeFileSync(
  CPU_HOOK,
  'process.on("exit", () => { const u = process.resourceUsage(); ' +
    'process.stderr.write(`cpu-us=${u.userCPUTime + u.systemCPUTime}\\n`); });\n',
);

interface Spawned {
  startedAt: number;
  wallMs: number;
  cpuMs: number;
  exitCode: number | null;
}

function runNode(script: string, env: Record<string, string>): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, [script], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: `--require ${CPU_HOOK}`, ...env },
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
        exitCode,
      }),
    );
  });
}

interface Figure {
  name: string;
  wall: number[];
  cpu: number[];
  target: string;
}

async function repeat(name: string, target: string, once: () => Promise<{ wallMs: number; cpuMs: number }>) {
  const figure: Figure = { name, wall: [], cpu: [], target };
  for (let i = 0; i < RUNS; i++) {
    const { wallMs, cpuMs } = await once();
    figure.wall.push(wallMs);
    figure.cpu.push(cpuMs);
  }
  return figure;
}

async function missingInput(action: string): Promise<Figure> {
  const target = `≤ ${OFFICIAL.toError} ms (official); before ${action === 'ecs-deploy' ? `${BEFORE.toError} ms` : '–'}`;
  return repeat(`${action}: to the missing-input error`, target, async () => {
    const run = await runNode(join(ROOT, 'actions', action, 'dist', 'index.js'), {});
    if (run.exitCode !== 1) throw new Error(`${action} exited ${run.exitCode} without inputs; expected 1`);
    return run;
  });
}

async function ecsDeployFirstRequest(): Promise<Figure> {
  const world = await startWorld([{ name: 'web' }]);
  try {
    const target = `≤ ${OFFICIAL.toFirstRequest} ms (official); before ${BEFORE.toFirstRequest} ms`;
    return await repeat('ecs-deploy: to the first AWS request', target, async () => {
      world.sim.control.clearRequests();
      // An unknown service: the action describes it, fails and exits; only its first request matters here.
      const run = await runNode(join(ECS_DEPLOY_DIR, 'dist', 'index.js'), {
        ...world.sim.env,
        INPUT_SERVICE: 'missing',
        INPUT_CLUSTER: CLUSTER,
      });
      const first = world.sim.control.requests()[0];
      if (!first) throw new Error('ecs-deploy made no AWS request');
      return { wallMs: first.realTime - run.startedAt, cpuMs: run.cpuMs };
    });
  } finally {
    await world.close();
  }
}

async function idlePost(action: string): Promise<Figure> {
  return repeat(`${action}: idle post step (no saved state)`, `≤ ${IDLE_POST_BUDGET_MS} ms`, async () => {
    const run = await runNode(join(ROOT, 'actions', action, 'dist', 'post', 'index.js'), {});
    if (run.exitCode !== 0) throw new Error(`${action}'s idle post exited ${run.exitCode}`);
    return run;
  });
}

async function main(): Promise<void> {
  console.log(`start-up (median of ${RUNS}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  const figures: Figure[] = [];
  const empty = join(scratch, 'empty.js');
  writeFileSync(empty, '');
  figures.push(await repeat('node itself (an empty script)', 'the floor', () => runNode(empty, {})));
  for (const action of ACTIONS) figures.push(await missingInput(action));
  figures.push(await ecsDeployFirstRequest());
  for (const action of ACTIONS.filter((a) => existsSync(join(ROOT, 'actions', a, 'dist', 'post', 'index.js')))) {
    figures.push(await idlePost(action));
  }
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`  ${''.padEnd(width)}       wall        cpu`);
  for (const f of figures) {
    const wall = `${Math.round(median(f.wall))} ms`.padStart(9);
    const cpu = `${Math.round(median(f.cpu))} ms`.padStart(9);
    console.log(`  ${f.name.padEnd(width)}  ${wall}  ${cpu}   target ${f.target}`);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(scratch, { recursive: true, force: true }));
