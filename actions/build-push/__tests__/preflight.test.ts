import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildInputs } from '../src/inputs';
import { checkBuildFiles } from '../src/preflight';

const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
mkdirSync(join(dir, 'api'));
writeFileSync(join(dir, 'api', 'Dockerfile'), 'FROM scratch\n');
writeFileSync(join(dir, 'Dockerfile.prod'), 'FROM scratch\n');
writeFileSync(join(dir, 'netrc'), 'machine x\n');
const outside = mkdtempSync(join(tmpdir(), 'preflight-outside-'));
writeFileSync(join(outside, 'netrc'), 'machine x\n');
symlinkSync(join(outside, 'netrc'), join(dir, 'linked-netrc'));
const env = { GITHUB_WORKSPACE: dir };
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

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
  expect(() => checkBuildFiles(build(overrides), env)).not.toThrow();
});

test.each<[string, Partial<BuildInputs>, string]>([
  ['missing context', { context: 'web' }, 'Input "context" names "web", which is not a directory in the workspace.'],
  [
    'context without a Dockerfile',
    { context: '.' },
    'Input "context": no Dockerfile at "./Dockerfile" in the workspace.',
  ],
  [
    'missing file',
    { context: 'api', file: 'api/Dockerfile.dev' },
    'Input "file": no Dockerfile at "api/Dockerfile.dev" in the workspace.',
  ],
  [
    'missing secret file',
    { context: 'api', secretFiles: { npmrc: '.npmrc' } },
    'Input "secret-files" secret "npmrc" names ".npmrc", which is not a file in the workspace.',
  ],
  [
    'context outside the workspace',
    { context: '..' },
    'Input "context" names "..", which is outside the workspace; give a path inside the checkout.',
  ],
  [
    'file outside the workspace',
    { context: 'api', file: '/etc/passwd' },
    'Input "file" names "/etc/passwd", which is outside the workspace; give a path inside the checkout.',
  ],
  [
    'secret file outside the workspace',
    { context: 'api', secretFiles: { netrc: '../../../../etc/passwd' } },
    'Input "secret-files" names "../../../../etc/passwd", which is outside the workspace; give a path inside the checkout.',
  ],
  [
    'secret file linked to a file outside the workspace',
    { context: 'api', secretFiles: { netrc: 'linked-netrc' } },
    'Input "secret-files" names "linked-netrc", which leads (through a symbolic link) outside the workspace; give a path inside the checkout.',
  ],
])('%s fails', (_name, overrides, message) => {
  expect(() => checkBuildFiles(build(overrides), env)).toThrow(message);
});
