import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// npm test's step arguments (scripts/test.mjs): the steps named run and are reported; a word that names no step is
// refused before anything runs, so a typo cannot pass by running nothing.

const SCRIPT = join(__dirname, '..', 'test.mjs');

test.each([[['lint', 'typo']], [['unti']], [['iam', 'dist', 'formatting']]])(
  'npm test -- %j: exit 2, naming the unknown words and the steps there are, with no step run',
  (words) => {
    const result = spawnSync(process.execPath, [SCRIPT, ...words], { encoding: 'utf8' });
    const known = ['lockfile', 'typecheck', 'lint', 'import', 'format', 'workflows', 'dist', 'unit', 'iam'];
    const unknown = words.filter((word) => !known.includes(word));
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`npm test: no step ${unknown.join(', ')}; the steps are ${known.join(', ')}\n`);
    expect(result.stdout).toBe('');
  },
);

test('npm test -- lockfile: that step alone runs, is reported and passes', () => {
  const result = spawnSync(process.execPath, [SCRIPT, 'lockfile'], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^▶ lockfile\n/);
  expect(result.stdout).toMatch(/\n✔ lockfile \(\d+\.\d s\)\nnpm test passed in \d+\.\d s\n$/);
  expect(result.status).toBe(0);
});
