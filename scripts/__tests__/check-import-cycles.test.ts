import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// scripts/check-import-cycles.mjs on small projects written fresh for each case: two workspace packages reached
// through node_modules links and their package.json exports, as in this repository.

const SCRIPT = join(__dirname, '..', 'check-import-cycles.mjs');
const TSCONFIG = {
  compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true },
  include: ['packages/*/src'],
};

const scratch = mkdtempSync(join(tmpdir(), 'check-import-cycles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
function check(files: Record<string, string>) {
  const dir = join(scratch, String(++count));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  write('tsconfig.json', JSON.stringify(TSCONFIG));
  for (const name of ['a', 'b']) {
    write(`packages/${name}/package.json`, JSON.stringify({ name: `@demo/${name}`, exports: { './*': './src/*.ts' } }));
    mkdirSync(join(dir, 'node_modules', '@demo'), { recursive: true });
    symlinkSync(join('..', '..', 'packages', name), join(dir, 'node_modules', '@demo', name));
  }
  for (const [file, text] of Object.entries(files)) write(file, text);
  const { status, stdout, stderr } = spawnSync(process.execPath, [SCRIPT, '--project', join(dir, 'tsconfig.json')], {
    encoding: 'utf8',
  });
  return { status, output: `${stderr}${stdout}` };
}

test('passes and counts the files when nothing imports in a circle', () => {
  const { status, output } = check({
    'packages/a/src/x.ts': "import { y } from '@demo/b/y';\nexport const x = y;\n",
    'packages/b/src/y.ts': "import { z } from './z';\nexport const y = z;\n",
    'packages/b/src/z.ts': "import type { Stats } from 'node:fs';\nexport const z = 1 as unknown as Stats;\n",
  });
  expect(output).toBe('✔ 0 import circle(s) among 3 TypeScript files (2 imports)\n');
  expect(status).toBe(0);
});

test.each<[string, Record<string, string>, string]>([
  [
    'a circle across packages, through their exports',
    {
      'packages/a/src/x.ts': "import { y } from '@demo/b/y';\nexport const x = () => y;\n",
      'packages/b/src/y.ts': "import { x } from '@demo/a/x';\nexport const y = () => x;\n",
    },
    'packages/a/src/x.ts → packages/b/src/y.ts → packages/a/src/x.ts',
  ],
  [
    'a circle closed by a type-only import',
    {
      'packages/a/src/x.ts': "import { y } from './y';\nexport interface X { n: number }\nexport const x = y;\n",
      'packages/a/src/y.ts': "import type { X } from './x';\nexport const y: X = { n: 1 };\n",
    },
    'packages/a/src/x.ts → packages/a/src/y.ts → packages/a/src/x.ts',
  ],
  [
    'a circle closed by a dynamic import, three files long',
    {
      'packages/a/src/x.ts': "export { y } from './y';\n",
      'packages/a/src/y.ts': "import { z } from './z';\nexport const y = z;\n",
      'packages/a/src/z.ts': "export const z = () => import('./x');\n",
    },
    'packages/a/src/x.ts → packages/a/src/y.ts → packages/a/src/z.ts → packages/a/src/x.ts',
  ],
])('fails on %s, naming it', (_, files, circle) => {
  const { status, output } = check(files);
  expect(output).toContain(`import circle (${circle.split(' → ').length - 1} files): ${circle}`);
  expect(output).toMatch(/✘ 1 import circle\(s\)/);
  expect(status).toBe(1);
});
