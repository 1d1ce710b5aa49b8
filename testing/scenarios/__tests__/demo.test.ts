import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SHIPYARD_ROOT } from '../src/world';

// `npm run demo` as a user runs it (tsx, the bundled actions, aws-sim): it exits 0 and every expectation held.

let exitCode: number | null;
let output: string;

beforeAll(async () => {
  // As package.json's script: the ESM-only toolkit packages (@actions/expressions, …) load with the import condition.
  const args = ['--conditions=import', '--import', 'tsx', join('demo', 'index.ts')];
  const child = spawn(process.execPath, args, {
    cwd: SHIPYARD_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exitCode = await new Promise((resolve) => child.on('close', resolve));
});

test('exits 0 with every expectation held', () => {
  expect(output).not.toContain('expect ✘');
  expect(output).toMatch(/^All \d+ expectations held/m);
  expect(exitCode).toBe(0);
});

test('tells the story: release 1 everywhere, release 2 rolled back, a manual rollback after a dry run', () => {
  for (const line of [
    'expect ✔ built once: one `docker buildx build` (the docker shim stands in for the engine)',
    'expect ✔ promoted by digest for production: PutImage production-<sha> of the staging digest, no rebuild',
    'expect ✔ production: /health answered 503 during the bake time → StopServiceDeployment(ROLLBACK), status rolled-back',
    'expect ✔ production still serves release 1 after the automatic rollback',
    'expect ✔ dry run: no ECS change',
    'expect ✔ production serves release 0 again',
  ]) {
    expect(output).toContain(line);
  }
  const table = output.slice(output.lastIndexOf('Summary'));
  expect(table).toMatch(/release 2 +Deploy and verify +ecs-deploy +production +FAILED .*rolled-back/);
  expect(table).toMatch(/rollback +Roll back +rollback +production +ok .*succeeded/);
});
