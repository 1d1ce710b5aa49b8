// npm test: every check CI runs, all at once. The end-to-end tests spend much of their time waiting on child
// processes and simulated deployments, while the static checks are single-threaded (tsc, eslint, prettier, the
// workflow and lockfile checks), as is the bundler (dist freshness): together they keep the cores busy. The static
// checks run at a lower priority, so jest is never the one kept waiting; the dist build does not (see its step).
// jest's output streams as it comes; each static check's output is shown in one piece when it ends. At the end: each
// step's duration, and the test counts as a plain "N passed, N failed" line that any CI reader understands. Any
// failing step fails npm test.
// Usage: npm test [-- step…]   (steps by their first word: lockfile, typecheck, lint, import, format, workflows,
// dist, unit, iam)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { JEST_FORCE_EXIT, passThroughWatching } from './stream-watch.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'shipyard-test-'));
const jestResults = join(scratch, 'jest.json');
// The test harness writes each action's AWS calls here during jest (testing/testkit/src/iam-calls.ts); the IAM
// policies are checked against them afterwards, once every test has run.
const iamCalls = join(scratch, 'iam-calls');
mkdirSync(iamCalls);
// The caches only skip work on files whose content, settings and tool version are unchanged: tsc's incremental
// build info, and eslint's and prettier's per-file results (no lint rule here reads type information or other
// files). A fresh clone, as in CI, has none and checks everything.
const CACHE = 'node_modules/.cache';

// Each tool's own script, run by this node: no npx start-up per step, no .cmd shims on Windows, and no npm
// warnings (devEngines on an older Node) repeated in every step.
const require = createRequire(import.meta.url);
function bin(pkg, name = pkg) {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { bin: bins } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bins === 'string' ? bins : bins[name]);
}
const tool = (pkg, name, ...args) => [process.execPath, [bin(pkg, name), ...args]];

const UNIT = 'unit and e2e tests';
/** [name, command, args, options]: `live` streams the output; `lowPriority` (default: unless live) nices the step;
 * `after` waits for that step (and its success); `failIfStderrHas` fails a live step whose stderr shows that text. */
const steps = [
  ['lockfile', process.execPath, ['scripts/check-lockfile.mjs']],
  [
    'typecheck',
    ...tool(
      'typescript',
      'tsc',
      '-p',
      'tsconfig.json',
      '--incremental',
      '--tsBuildInfoFile',
      `${CACHE}/tsc/tsbuildinfo`,
    ),
  ],
  [
    'lint',
    ...tool('eslint', 'eslint', '.', '--cache', '--cache-strategy', 'content', '--cache-location', `${CACHE}/eslint/`),
  ],
  ['import cycles', process.execPath, ['scripts/check-import-cycles.mjs']],
  [
    'format',
    ...tool('prettier', 'prettier', '--check', '.', '--log-level', 'warn', '--cache', '--cache-strategy', 'content'),
  ],
  ['workflows', process.execPath, ['scripts/check-workflows.mjs']],
  // At normal priority: on a fresh clone, as in CI, it bundles all five actions (~40 s of CPU), and at a lower
  // priority it got CPU only when jest left some (when it took ~160 s of CPU, it ended ~100 s after jest). Where
  // nothing changed it only reads files.
  ['dist freshness', process.execPath, ['scripts/check-dist.mjs'], { lowPriority: false }],
  [
    UNIT,
    ...tool('jest', 'jest', '--ci', '--json', `--outputFile=${jestResults}`),
    {
      live: true,
      env: { SHIPYARD_IAM_CALLS_DIR: iamCalls },
      failIfStderrHas: {
        text: JEST_FORCE_EXIT,
        why:
          'jest killed a worker that did not end after its last test (workerGracefulExitTimeout in jest.config.js): ' +
          'a test left something running, which --detectOpenHandles shows',
      },
    },
  ],
  // The IAM check needs the calls of the whole jest run: a subset would leave granted actions looking unused.
  ['iam policies', ...tool('tsx', 'tsx', 'scripts/check-iam.ts', iamCalls), { after: UNIT }],
];

/** Runs a step; its output is streamed (`live`) or collected and shown, in one piece, when it ends. */
function runStep(name, cmd, args, { live = false, lowPriority = !live, env, failIfStderrHas } = {}) {
  const started = Date.now();
  // A watched stderr is piped through; jest still colours it where stdout is a terminal.
  const watched = live && failIfStderrHas;
  const child = spawn(cmd, args, {
    stdio: live ? ['inherit', 'inherit', watched ? 'pipe' : 'inherit'] : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const sawFailureText = watched
    ? passThroughWatching(child.stderr, process.stderr, failIfStderrHas.text)
    : () => false;
  if (lowPriority) {
    try {
      setPriority(child.pid, 10);
    } catch {
      // not allowed here, or the process already ended: it runs at normal priority
    }
  }
  const chunks = [];
  child.stdout?.on('data', (chunk) => chunks.push(chunk));
  if (!live) child.stderr.on('data', (chunk) => chunks.push(chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ status: 1, error }));
    child.on('close', (status) => resolve({ status: status ?? 1 }));
  }).then(({ status, error }) => {
    if (status === 0 && sawFailureText()) {
      console.error(`${name}: ${failIfStderrHas.why}`);
      status = 1;
    }
    const seconds = (Date.now() - started) / 1000;
    const mark = status === 0 ? '✔' : '✘';
    if (!live) {
      const output = Buffer.concat(chunks).toString() + (error ? `${error.message}\n` : '');
      process.stdout.write(`\n▶ ${name}\n${output}${output === '' || output.endsWith('\n') ? '' : '\n'}`);
    }
    console.log(`${mark} ${name} (${seconds.toFixed(1)} s)`);
    return { name, status, seconds };
  });
}

/** The slowest test files (where to look when the run gets slow), then the counts. */
function reportCounts() {
  try {
    const { numPassedTests, numFailedTests, numPendingTests, testResults } = JSON.parse(
      readFileSync(jestResults, 'utf8'),
    );
    const slowest = testResults
      .map(({ name, startTime, endTime }) => ({
        file: relative(process.cwd(), name),
        seconds: (endTime - startTime) / 1000,
      }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, 10);
    console.log(
      `slowest test files: ${slowest.map(({ file, seconds }) => `${file} ${seconds.toFixed(1)} s`).join(', ')}`,
    );
    console.log(`jest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
  } catch {
    // jest did not run (a subset was asked for) or wrote no results: nothing to count
  }
}

const only = process.argv.slice(2);
const stepWords = steps.map(([name]) => name.split(' ')[0]);
const unknownSteps = only.filter((word) => !stepWords.includes(word));
if (unknownSteps.length) {
  // Otherwise a mistyped step would run nothing and pass.
  console.error(`npm test: no step ${unknownSteps.join(', ')}; the steps are ${stepWords.join(', ')}`);
  rmSync(scratch, { recursive: true, force: true });
  process.exit(2);
}
if (only.includes('iam') && !only.includes('unit')) only.push('unit');
const chosen = steps.filter(([name]) => !only.length || only.includes(name.split(' ')[0]));
const started = Date.now();
console.log(`▶ ${chosen.map(([name]) => name).join(', ')}`);
const running = new Map();
for (const [name, cmd, args, options = {}] of chosen) {
  const before = options.after && running.get(options.after);
  running.set(
    name,
    before
      ? before.then((first) =>
          first.status === 0 ? runStep(name, cmd, args, options) : { name, skippedFor: first.name },
        )
      : runStep(name, cmd, args, options),
  );
}
const results = await Promise.all(running.values());
console.log('');
for (const { name, status, seconds, skippedFor } of results) {
  if (skippedFor) console.log(`- ${name} (not run: ${skippedFor} failed)`);
  else console.log(`${status === 0 ? '✔' : '✘'} ${name} (${seconds.toFixed(1)} s)`);
}
reportCounts();
const failed = results.find((result) => !result.skippedFor && result.status !== 0);
console.log(`npm test ${failed ? 'failed' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
rmSync(scratch, { recursive: true, force: true });
process.exit(failed ? failed.status : 0);
