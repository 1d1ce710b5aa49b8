import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildInputs } from '../src/inputs';
import { checkBuildFiles } from '../src/preflight';

const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
mkdirSync(join(dir, 'api'));
writeFileSync(join(dir, 'api', 'Dockerfile'), 'FROM scratch\n');
writeFileSync(join(dir, 'Dockerfile.prod'), 'FROM scratch\n');
writeFileSync(join(dir, 'netrc'), 'machine x\n');

const build = (overrides: Partial<BuildInputs>): BuildInputs => ({
  context: '.',
  file: '',
  target: '',
  platforms: [],
  buildArgs: {},
  secrets: {},
  secretFiles: {},
  cache: { type: 'none' },
  provenance: 'false',
  sbom: '',
  builder: '',
  push: true,
  ...overrides,
});

test.each<[string, Partial<BuildInputs>]>([
  ['context with its Dockerfile', { context: 'api' }],
  ['explicit file', { context: 'api', file: 'Dockerfile.prod' }],
  ['secret file', { context: 'api', secretFiles: { netrc: 'netrc' } }],
  ['remote context is left to buildx', { context: 'https://github.com/acme/app.git#main' }],
])('%s passes', (_name, overrides) => {
  expect(() => checkBuildFiles(build(overrides), dir)).not.toThrow();
});

test.each<[string, Partial<BuildInputs>, string]>([
  ['missing context', { context: 'web' }, 'Input "context" names "web", which is not a directory here.'],
  ['context without a Dockerfile', { context: '.' }, 'Input "context": no Dockerfile at "./Dockerfile".'],
  [
    'missing file',
    { context: 'api', file: 'api/Dockerfile.dev' },
    'Input "file": no Dockerfile at "api/Dockerfile.dev".',
  ],
  [
    'missing secret file',
    { context: 'api', secretFiles: { npmrc: '.npmrc' } },
    'Input "secret-files" secret "npmrc" names ".npmrc", which is not a file.',
  ],
])('%s fails', (_name, overrides, message) => {
  expect(() => checkBuildFiles(build(overrides), dir)).toThrow(message);
});
