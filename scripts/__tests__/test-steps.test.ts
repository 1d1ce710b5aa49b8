import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// npm test's step arguments (scripts/test.mjs): a word that names no step is refused before anything runs, so a typo
// cannot pass by running nothing.

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
