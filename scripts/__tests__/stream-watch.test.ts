import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

// npm test fails its jest step when jest had to kill a worker (scripts/test.mjs): jest itself only prints a warning.
// scripts/stream-watch.mjs is an ES module, which jest's CommonJS runtime cannot load: node runs it for each table.

const MODULE = pathToFileURL(join(__dirname, '..', 'stream-watch.mjs')).href;
const EVALUATE = `
import { PassThrough } from 'node:stream';
import { JEST_FORCE_EXIT, passThroughWatching } from ${JSON.stringify(MODULE)};
const cases = JSON.parse(process.argv[1]);
const results = [];
for (const chunks of cases) {
  const source = new PassThrough();
  const out = new PassThrough();
  const passed = [];
  out.on('data', (chunk) => passed.push(chunk));
  const seen = passThroughWatching(source, out, JEST_FORCE_EXIT);
  for (const chunk of chunks) source.write(Buffer.from(chunk, 'base64'));
  results.push({ seen: seen(), passed: Buffer.concat(passed).toString() });
}
console.log(JSON.stringify({ text: JEST_FORCE_EXIT, results }));
`;

/** Each case is a list of chunks (split at any byte); what passThroughWatching saw and passed on, for each. */
function watch(cases: Buffer[][]): { text: string; results: { seen: boolean; passed: string }[] } {
  const encoded = cases.map((chunks) => chunks.map((chunk) => chunk.toString('base64')));
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', EVALUATE, JSON.stringify(encoded)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const JEST_FORCE_EXIT = watch([]).text;

test('the text is seen wherever the chunks split it, and everything passes through unchanged', () => {
  const line = Buffer.from(`PASS a.test.ts ✔\n${JEST_FORCE_EXIT} and has been force exited.\n`);
  const splits = Array.from({ length: line.length + 1 }, (_, at) => [line.subarray(0, at), line.subarray(at)]);
  const byteByByte = [...line].map((byte) => Buffer.from([byte]));
  for (const result of watch([...splits, byteByByte]).results) {
    expect(result).toEqual({ seen: true, passed: line.toString() });
  }
});

test('a near miss, or the words with something between them, is not the text', () => {
  const words = JEST_FORCE_EXIT.split(' ');
  const { results } = watch([
    [Buffer.from(JEST_FORCE_EXIT.slice(1))],
    [Buffer.from(JEST_FORCE_EXIT.slice(0, -1))],
    [Buffer.from(`${words[0]} `), Buffer.from('x'), Buffer.from(words.slice(1).join(' '))],
    [Buffer.from('é'.repeat(40)).subarray(0, 41), Buffer.from('é'.repeat(40)).subarray(41), Buffer.from('✔ ok\n')],
  ]);
  expect(results.map(({ seen }) => seen)).toEqual([false, false, false, false]);
  expect(results[3].passed).toBe(`${'é'.repeat(40)}✔ ok\n`);
});

describe('jest itself, with a test that leaves an interval running', () => {
  const tempDir = tempDirs();

  // A worker that ends by itself may need more than a moment on a loaded machine: the control gets the time the real
  // run gives (jest.config.js). A leaking worker never ends, so any time shows it; a short one keeps the test quick.
  const { workerGracefulExitTimeout } = require('../../jest.config.js') as { workerGracefulExitTimeout: number };

  async function runJest(leak: boolean): Promise<{ code: number | null; stderr: string }> {
    const dir = tempDir('stream-watch-');
    writeFileSync(join(dir, 'a.check.js'), `test('a', () => {${leak ? ' setInterval(() => {}, 1000);' : ''} });\n`);
    writeFileSync(join(dir, 'b.check.js'), "test('b', () => {});\n");
    const config = {
      rootDir: dir,
      testMatch: ['**/*.check.js'],
      transform: {},
      cacheDirectory: join(dir, 'cache'),
      maxWorkers: 2,
      workerGracefulExitTimeout: leak ? 200 : workerGracefulExitTimeout,
    };
    const child = spawn(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--ci', '--config', JSON.stringify(config)],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stderr };
  }

  test('prints the words npm test watches for, and still exits 0', async () => {
    const { code, stderr } = await runJest(true);
    expect(stderr).toContain('2 passed');
    expect(stderr).toContain(JEST_FORCE_EXIT);
    expect(code).toBe(0);
  });

  test('without the leak, prints no such words', async () => {
    const { code, stderr } = await runJest(false);
    expect(stderr).toContain('2 passed');
    expect(stderr).not.toContain(JEST_FORCE_EXIT);
    expect(code).toBe(0);
  });
});
