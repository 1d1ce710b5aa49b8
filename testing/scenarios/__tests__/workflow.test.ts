import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GithubContext, RunnerHost, WorkflowRun } from '../src/model';
import { runWorkflow } from '../src/workflow';
import { SHIPYARD_ROOT } from '../src/world';

// The local runner on a workflow of plain `run:` steps: job outputs, matrices from an expression, status functions
// at job and step level, GITHUB_ENV between steps, reusable workflow calls with inputs, secrets and outputs.

const CALLER = `
on:
  workflow_dispatch:
    inputs:
      greeting: { type: string, default: hello }
jobs:
  list:
    runs-on: ubuntu-latest
    outputs:
      items: \${{ steps.make.outputs.items }}
    steps:
      - id: make
        run: echo 'items=["one","two","three"]' >> "$GITHUB_OUTPUT"
  legs:
    needs: list
    runs-on: ubuntu-latest
    strategy:
      matrix:
        item: \${{ fromJSON(needs.list.outputs.items) }}
    steps:
      - run: echo "WORD=\${{ matrix.item }}" >> "$GITHUB_ENV"
      - name: Fail on two
        run: test "$WORD" != two
      - name: Report the failure
        if: failure()
        run: echo "leg $WORD failed"
  after-success:
    needs: legs
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  always:
    needs: legs
    if: always()
    uses: ./called.yml
    with:
      word: \${{ inputs.greeting }}
    secrets:
      TOKEN: \${{ secrets.CALLER_TOKEN }}
`;

const CALLED = `
on:
  workflow_call:
    inputs:
      word: { type: string, required: true }
      loud: { type: boolean, default: true }
    secrets:
      TOKEN: { required: true }
    outputs:
      said:
        value: \${{ jobs.say.outputs.said }}
jobs:
  say:
    runs-on: ubuntu-latest
    outputs:
      said: \${{ steps.say.outputs.said }}
    steps:
      - id: say
        env:
          WORD: \${{ inputs.loud && format('{0}!', inputs.word) || inputs.word }}
          TOKEN: \${{ secrets.TOKEN }}
        run: echo "said=$WORD with \${#TOKEN} characters" >> "$GITHUB_OUTPUT"
`;

const github: GithubContext = {
  repository: 'acme/app',
  sha: '0'.repeat(40),
  ref: 'refs/heads/main',
  ref_name: 'main',
  event_name: 'workflow_dispatch',
  actor: 'octocat',
  run_id: '1',
  run_attempt: '1',
  token: 'ghs_x',
  workflow: 'Test',
  server_url: 'https://github.com',
  api_url: 'http://127.0.0.1:9',
  event: {},
};

let home: string;
let run: WorkflowRun;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'workflow-test-'));
  const repository = join(home, 'repository');
  mkdirSync(repository);
  writeFileSync(join(repository, 'caller.yml'), CALLER);
  writeFileSync(join(repository, 'called.yml'), CALLED);
  const host: RunnerHost = { shipyardRoot: SHIPYARD_ROOT, repository, env: {}, artifacts: join(home, 'artifacts') };
  run = await runWorkflow({
    file: join(repository, 'caller.yml'),
    inputs: { greeting: 'hi' },
    secrets: { CALLER_TOKEN: 'abcd' },
    github,
    host,
  });
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

test('jobs, matrix legs and the called workflow conclude as GitHub would', () => {
  expect(run.jobs.map((job) => [job.id, job.result])).toEqual([
    ['list', 'success'],
    ['legs', 'success'],
    ['legs', 'failure'],
    ['after-success', 'skipped'],
    ['always / say', 'success'],
    ['always', 'success'],
  ]);
  expect(run.result).toBe('failure');
});

test('a failed leg stops the matrix (fail-fast) and runs only the steps that ask for failure()', () => {
  const legs = run.steps.filter((step) => step.job === 'legs');
  expect(legs.map((step) => [step.matrix?.item, step.step, step.result])).toEqual([
    ['one', 'echo "WORD=one" >> "$GITHUB_ENV"', 'success'],
    ['one', 'Fail on two', 'success'],
    ['one', 'Report the failure', 'skipped'],
    ['two', 'echo "WORD=two" >> "$GITHUB_ENV"', 'success'],
    ['two', 'Fail on two', 'failure'],
    ['two', 'Report the failure', 'success'],
  ]);
  expect(legs.at(-1)?.log).toBe('leg two failed');
});

test('inputs (with defaults and types), secrets and outputs cross the reusable workflow call', () => {
  const [say] = run.steps.filter((step) => step.job === 'always / say');
  expect(say.outputs).toEqual({ said: 'hi! with 4 characters' });
  expect(run.jobs.find((job) => job.id === 'always')?.outputs).toEqual({ said: 'hi! with 4 characters' });
});
