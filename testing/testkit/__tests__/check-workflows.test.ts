import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const repoRoot = join(__dirname, '..', '..', '..');
const fixtures = relative(repoRoot, join(__dirname, '..', '__fixtures__'));
const workflows = `${fixtures}/workflows`;

/** Runs the checker from the repository root, as `npm test` does. */
function check(...args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/check-workflows.mjs', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const lines = run.stdout.trim().split('\n');
  const problems = lines.filter((line) => /^\S+:\d+:\d+: /.test(line));
  return {
    status: run.status,
    stderr: run.stderr,
    problemsIn: (file: string) => problems.filter((line) => line.startsWith(`${file}:`)),
    problemCount: problems.length,
    checked: lines.filter((line) => /^[✔✘] /.test(line)),
    last: lines[lines.length - 1],
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'check-workflows-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('the good workflow and the fixture action pass every check', () => {
  const result = check('--actions', fixtures, `${workflows}/good.yml`, `${fixtures}/fixture-action/action.yml`);
  expect(result).toMatchObject({ status: 0, problemCount: 0, stderr: '' });
  expect(result.checked).toEqual([
    `✔ ${fixtures}/fixture-action/action.yml (action schema, shipyard rules)`,
    `✔ ${workflows}/good.yml (workflow schema, actionlint, shipyard rules)`,
  ]);
  expect(result.last).toBe('1 action metadata file(s), 1 workflow file(s): all valid');
});

describe('broken fixtures', () => {
  // Written here rather than committed: prettier --check would choke on a fixture that is not YAML.
  const notYaml = join(scratch, 'invalid-yaml.yml');
  let result: ReturnType<typeof check>;
  beforeAll(() => {
    writeFileSync(
      notYaml,
      'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "Result: done"\n',
    );
    // One run over every broken fixture: starting the parser and the actionlint wasm is the slow part.
    const broken = ['broken.yml', 'broken-policy.yml', 'invalid-schema.yml', 'bad-action/action.yml'];
    result = check('--actions', fixtures, ...broken.map((f) => `${workflows}/${f}`), notYaml);
  });

  test('fail the check with a summary of what was checked', () => {
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.last).toBe('1 action metadata file(s), 4 workflow file(s): 14 problem(s)');
  });

  test('unknown input to our action; script injection flagged by actionlint and by our rule', () => {
    expect(result.problemsIn(`${workflows}/broken.yml`)).toEqual([
      `${workflows}/broken.yml:15:11: './actions/fixture-action' has no input 'colour' (inputs: who, greeting, secret-token, mode, token) [shipyard]`,
      `${workflows}/broken.yml:16:32: untrusted \${{ github.event.issue.title }} inside run: (script injection); pass it through env: and use the variable [shipyard]`,
      `${workflows}/broken.yml:16:36: "github.event.issue.title" is potentially untrusted. avoid using it directly in inline scripts. instead, pass it through an environment variable. see https://docs.github.com/en/actions/security-guides/security-hardening-for-github-actions for more details [actionlint expression]`,
    ]);
  });

  test('policy: permissions, pinning, required inputs, how our actions are referenced', () => {
    expect(result.problemsIn(`${workflows}/broken-policy.yml`)).toEqual([
      `${workflows}/broken-policy.yml:5:3: job 'deploy' runs with the default token permissions: declare permissions: at the top level or on the job [shipyard]`,
      `${workflows}/broken-policy.yml:8:15: third-party 'actions/checkout@v4' must be pinned to a full 40-character commit SHA (tag in a comment) [shipyard]`,
      `${workflows}/broken-policy.yml:9:15: 'acme/shipyard/actions/fixture-action@main' requires input 'who' (no default) [shipyard]`,
      `${workflows}/broken-policy.yml:9:15: 'acme/shipyard/actions/fixture-action@main': reference our own actions by major tag (@v1) or commit SHA [shipyard]`,
      `${workflows}/broken-policy.yml:12:15: docker image 'docker://alpine:3.20' must be pinned by digest (@sha256:…) [shipyard]`,
    ]);
  });

  test("GitHub's parser and actionlint reject a schema error", () => {
    expect(result.problemsIn(`${workflows}/invalid-schema.yml`)).toEqual([
      `${workflows}/invalid-schema.yml:11:9: Unexpected value 'timeout-minute' [workflow-parser]`,
      `${workflows}/invalid-schema.yml:11:9: unexpected key "timeout-minute" for "step" section. expected one of "continue-on-error", "env", "id", "if", "name", "run", "shell", "timeout-minutes", "uses", "with", "working-directory" [actionlint syntax-check]`,
    ]);
  });

  test('invalid YAML is reported by the parser alone (the actionlint wasm build would crash on it)', () => {
    const shown = relative(repoRoot, notYaml);
    expect(result.problemsIn(shown)).toEqual([
      `${shown}:6:14: Nested mappings are not allowed in compact mappings [workflow-parser]`,
    ]);
  });

  test('action metadata: node24, documented inputs, existing entry points', () => {
    expect(result.problemsIn(`${workflows}/bad-action/action.yml`)).toEqual([
      `${workflows}/bad-action/action.yml:4:3: input 'target' needs a description [shipyard]`,
      `${workflows}/bad-action/action.yml:7:10: runs.using must be node24 (found node20) [shipyard]`,
      `${workflows}/bad-action/action.yml:8:9: runs.main 'dist/index.js' does not exist [shipyard]`,
    ]);
  });
});

test('--root discovers actions, .github/workflows and example workflows, skipping YAML that is not a workflow', () => {
  const root = join(scratch, 'repo');
  cpSync(join(repoRoot, fixtures, 'fixture-action'), join(root, 'actions', 'fixture-action'), { recursive: true });
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  cpSync(join(repoRoot, workflows, 'good.yml'), join(root, '.github', 'workflows', 'good.yml'));
  mkdirSync(join(root, 'examples', 'shop', '.github', 'workflows'), { recursive: true });
  cpSync(join(repoRoot, workflows, 'broken.yml'), join(root, 'examples', 'shop', '.github', 'workflows', 'deploy.yml'));
  writeFileSync(join(root, 'examples', 'shop', 'taskdef.yml'), 'family: shop\ncpu: 256\n');

  const result = check('--root', root);
  const shown = relative(repoRoot, root);
  expect(result.checked).toEqual([
    `✔ ${shown}/actions/fixture-action/action.yml (action schema, shipyard rules)`,
    `✔ ${shown}/.github/workflows/good.yml (workflow schema, actionlint, shipyard rules)`,
    `✘ ${shown}/examples/shop/.github/workflows/deploy.yml (workflow schema, actionlint, shipyard rules): 3 problem(s)`,
  ]);
  expect(result.status).toBe(1);
});
