import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../src/errors';
import { isWorkspaceFile, locateInWorkspace, readWorkspaceFile, requireInWorkspace } from '../src/workspace-path';

let workspace: string;
let outside: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'shipyard-workspace-'));
  outside = mkdtempSync(join(tmpdir(), 'shipyard-outside-'));
  mkdirSync(join(workspace, 'site'));
  writeFileSync(join(workspace, 'site', 'changed.txt'), 'index.html\n');
  writeFileSync(join(outside, 'secret'), 'AKIAIOSFODNN7EXAMPLE\n');
  symlinkSync(join(outside, 'secret'), join(workspace, 'link-out'));
  symlinkSync(join(workspace, 'site'), join(workspace, 'link-in'));
  env = { GITHUB_WORKSPACE: workspace };
});
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const refused = (how: string, value: string) =>
  new ConfigError(
    `Input "changed-files-file" names "${value}", which ${how} outside the workspace; give a path inside the checkout.`,
  );

test.each(['site/changed.txt', './site/../site/changed.txt', 'link-in/changed.txt'])('%j is read', (value) => {
  expect(readWorkspaceFile('changed-files-file', value, env)).toBe('index.html\n');
});

test('an absolute path inside the workspace is fine', () => {
  expect(isWorkspaceFile('changed-files-file', join(workspace, 'site', 'changed.txt'), env)).toBe(true);
});

test.each(['../../../../etc/passwd', '/etc/passwd', 'site/../../x'])('%j is outside', (value) => {
  expect(() => locateInWorkspace('changed-files-file', value, env)).toThrow(refused('is', value));
});

test('a link to a file outside the workspace is refused, and its content never shown', () => {
  expect(() => readWorkspaceFile('changed-files-file', 'link-out', env)).toThrow(
    refused('leads (through a symbolic link)', 'link-out'),
  );
});

test('missing paths are undefined for locate, an error for require', () => {
  expect(locateInWorkspace('working-directory', 'nope', env)).toBeUndefined();
  expect(() => requireInWorkspace('working-directory', 'site/changed.txt', 'directory', env)).toThrow(
    'Input "working-directory" names "site/changed.txt", which is not a directory in the workspace.',
  );
});

test('control and invisible characters are refused', () => {
  expect(() => locateInWorkspace('files-root', 'site\u202e', env)).toThrow(
    'Input "files-root" names "site\u202e", which holds a control or invisible character.',
  );
});
