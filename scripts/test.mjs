// npm test: every check CI runs, in order, stopping at the first failure. Prints each step's duration, and at the
// end the test counts as a plain "N passed, N failed" line that any CI reader understands.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'shipyard-test-'));
const jestResults = join(scratch, 'jest.json');
// The test harness writes each action's AWS calls here during jest (testing/testkit/src/iam-calls.ts); the IAM
// policies are checked against them afterwards, once every test has run.
const iamCalls = join(scratch, 'iam-calls');
mkdirSync(iamCalls);

// Each tool's own script, run by this node: no npx start-up per step, no .cmd shims on Windows, and no npm
// warnings (devEngines on an older Node) repeated in every step.
const require = createRequire(import.meta.url);
function bin(pkg, name = pkg) {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin: bins } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bins === 'string' ? bins : bins[name]);
}
const tool = (pkg, name, ...args) => [process.execPath, [bin(pkg, name), ...args]];

const steps = [
  ['lockfile', process.execPath, ['scripts/check-lockfile.mjs']],
  ['typecheck', ...tool('typescript', 'tsc', '-p', 'tsconfig.json')],
  ['lint', ...tool('eslint', 'eslint', '.')],
  ['import cycles', process.execPath, ['scripts/check-import-cycles.mjs']],
  ['format', ...tool('prettier', 'prettier', '--check', '.', '--log-level', 'warn')],
  ['workflows', process.execPath, ['scripts/check-workflows.mjs']],
  ['dist freshness', process.execPath, ['scripts/check-dist.mjs']],
  [
    'unit and e2e tests',
    ...tool('jest', 'jest', '--ci', '--json', `--outputFile=${jestResults}`),
    { SHIPYARD_IAM_CALLS_DIR: iamCalls },
  ],
  ['iam policies', ...tool('tsx', 'tsx', 'scripts/check-iam.ts', iamCalls)],
];

function reportCounts() {
  try {
    const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(jestResults, 'utf8'));
    console.log(`\njest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
  } catch {
    // jest did not run (an earlier step failed, or a subset was asked for): nothing to count
  }
}

const only = process.argv.slice(2);
// The IAM check needs the calls of the whole jest run: a subset would leave granted actions looking unused.
if (only.includes('iam') && !only.includes('unit')) only.push('unit');
let exitCode = 0;
for (const [name, cmd, args, env] of steps) {
  if (only.length && !only.includes(name.split(' ')[0])) continue;
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`${status === 0 ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (status !== 0) {
    exitCode = status ?? 1;
    break;
  }
}
reportCounts();
rmSync(scratch, { recursive: true, force: true });
process.exit(exitCode);
