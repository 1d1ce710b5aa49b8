/**
 * ecs-deploy's budgets from its issue, measured against aws-sim with the bundled dist (not asserted); how it waits
 * (outcome latency, calls a minute) is measured in bench/ecs-watch.ts:
 *   cold start: `node dist/index.js` to the first AWS request               ≤ 200 ms
 *               and to the error when inputs are missing                   ≤ 120 ms
 *   peak memory; bundle size                                               ≤ 2.5 MB
 * Run: npx tsx bench/ecs-deploy.ts (re-bundle first: npm run bundle ecs-deploy).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_DIR, CLUSTER, startWorld } from '../actions/ecs-deploy/__tests__/fixtures/sim-world';

const MAIN = join(ACTION_DIR, 'dist', 'index.js');
const COLD_STARTS = 10;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${Math.round(value)} ms`;

/** Reports the child's peak RSS on exit (NODE_OPTIONS --require), the one figure a parent cannot read itself. */
const PEAK_MEMORY_HOOK = join(tmpdir(), 'shipyard-bench-peak-memory.cjs');
writeFileSync(
  PEAK_MEMORY_HOOK,
  "process.on('exit', () => process.stderr.write(`peak-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n",
);

interface Spawned {
  startedAt: number;
  exitedAt: number;
  peakKb: number;
}

function runMain(env: Record<string, string>): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: `--require ${PEAK_MEMORY_HOOK}`, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () =>
      resolve({
        startedAt,
        exitedAt: performance.timeOrigin + performance.now(),
        peakKb: Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? 0),
      }),
    );
  });
}

async function coldStarts(): Promise<{ toError: number[]; toFirstRequest: number[]; peakKb: number[] }> {
  const toError: number[] = [];
  const toFirstRequest: number[] = [];
  const peakKb: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const missing = await runMain({});
    toError.push(missing.exitedAt - missing.startedAt);
  }
  const world = await startWorld([{ name: 'web' }]);
  try {
    for (let i = 0; i < COLD_STARTS; i++) {
      world.sim.control.clearRequests();
      // An unknown service: the action describes, fails and exits; only its first request matters here.
      const run = await runMain({ ...world.sim.env, INPUT_SERVICE: 'missing', INPUT_CLUSTER: CLUSTER });
      const first = world.sim.control.requests()[0];
      if (first) toFirstRequest.push(first.realTime - run.startedAt);
      peakKb.push(run.peakKb);
    }
  } finally {
    await world.close();
  }
  return { toError, toFirstRequest, peakKb };
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
  const cold = await coldStarts();

  const mainKb = bundleSize(join(ACTION_DIR, 'dist')) - bundleSize(join(ACTION_DIR, 'dist', 'post'));
  const postKb = bundleSize(join(ACTION_DIR, 'dist', 'post'));
  const rows: [string, string, string][] = [
    ['cold start to the first AWS request, median', ms(median(cold.toFirstRequest)), '≤ 200 ms'],
    ['cold start to the missing-input error, median', ms(median(cold.toError)), '≤ 120 ms'],
    ['peak memory (main, to its first failure)', `${(Math.max(...cold.peakKb) / 1024).toFixed(1)} MB`, '–'],
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
