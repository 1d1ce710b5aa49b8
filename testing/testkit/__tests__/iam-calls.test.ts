import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { startSim, type Sim } from '@shipyard/aws-sim/server';
import { readRecordedCalls } from '../../../scripts/check-iam';
import { IAM_CALLS_DIR_VARIABLE, permissionsFor, runVariant } from '../src/iam-calls';
import { runAction } from '../src/run-action';

describe('permissionsFor: the IAM actions a logged request needs', () => {
  test.each([
    ['ecs DescribeServices', { service: 'ecs', operation: 'DescribeServices' }, ['ecs:DescribeServices']],
    ['logs GetLogEvents', { service: 'logs', operation: 'GetLogEvents' }, ['logs:GetLogEvents']],
    [
      'ELBv2 under its IAM prefix',
      { service: 'elbv2', operation: 'DescribeTargetGroupAttributes' },
      ['elasticloadbalancing:DescribeTargetGroupAttributes'],
    ],
    ['a GitHub API call is no IAM action', { service: 'github', operation: 'CreateDeployment' }, []],
    [
      'a task definition with roles and tags',
      {
        service: 'ecs',
        operation: 'RegisterTaskDefinition',
        params: { executionRoleArn: 'arn:aws:iam::1:role/x', tags: [{ key: 'a', value: 'b' }] },
      },
      ['ecs:RegisterTaskDefinition', 'iam:PassRole', 'ecs:TagResource'],
    ],
    [
      'a task definition without roles or tags',
      { service: 'ecs', operation: 'RegisterTaskDefinition', params: { family: 'web', tags: [] } },
      ['ecs:RegisterTaskDefinition'],
    ],
    [
      'RunTask passes the roles again',
      { service: 'ecs', operation: 'RunTask', params: {} },
      ['ecs:RunTask', 'iam:PassRole'],
    ],
    [
      'RunTask with tags',
      { service: 'ecs', operation: 'RunTask', params: { tags: [{ key: 'k', value: 'v' }] } },
      ['ecs:RunTask', 'iam:PassRole', 'ecs:TagResource'],
    ],
    [
      'a repository created with tags',
      { service: 'ecr', operation: 'CreateRepository', params: { tags: [{ Key: 'k', Value: 'v' }] } },
      ['ecr:CreateRepository', 'ecr:TagResource'],
    ],
  ])('%s', (_name, request, expected) => {
    expect(permissionsFor(request)).toEqual(expected);
  });
});

test('runVariant labels a run by the inputs that choose its calls', () => {
  expect(runVariant({ INPUT_MODE: 'plan', INPUT_CLUSTER: 'prod' })).toBe('mode=plan');
  expect(runVariant({ 'INPUT_DRY-RUN': 'true' })).toBe('dry-run=true');
  expect(runVariant({ INPUT_CLUSTER: 'prod' })).toBe('');
});

describe('runAction with recording on', () => {
  let sim: Sim;
  let callsDir: string;
  let actionDir: string;
  const scratch: string[] = [];

  beforeAll(async () => {
    sim = await startSim();
    callsDir = mkdtempSync(join(tmpdir(), 'iam-calls-'));
    actionDir = realpathSync(mkdtempSync(join(tmpdir(), 'iam-action-')));
    scratch.push(callsDir, actionDir);
    const ecr = JSON.stringify(require.resolve('@aws-sdk/client-ecr'));
    // main reads repositories (slowly, so the test's own call lands in the middle of it); post gets a token.
    const step = (command: string, input: string) =>
      `const ecr = require(${ecr});\n` +
      `(async () => {\n` +
      `  const client = new ecr.ECRClient({});\n` +
      `  await new Promise((r) => setTimeout(r, 300));\n` +
      `  await client.send(new ecr.${command}(${input}));\n` +
      `})().catch((e) => { console.log(String(e)); process.exitCode = 1; });\n`;
    writeFileSync(
      join(actionDir, 'action.yml'),
      'name: calls\ninputs:\n  mode:\n    default: deploy\nruns:\n  using: node24\n  main: main.js\n  post: post.js\n',
    );
    writeFileSync(join(actionDir, 'main.js'), step('DescribeRepositoriesCommand', '{}'));
    writeFileSync(join(actionDir, 'post.js'), step('GetAuthorizationTokenCommand', '{}'));
    process.env[IAM_CALLS_DIR_VARIABLE] = callsDir;
  });
  afterAll(async () => {
    delete process.env[IAM_CALLS_DIR_VARIABLE];
    await sim.close();
    scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  test("records main's and post's calls under the action and its variant, not the test's own or another run's", async () => {
    const run = (mode: string) => runAction({ actionDir, inputs: { mode }, env: sim.env });
    const testClient = new ECRClient({
      endpoint: sim.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const [deploy, plan] = await Promise.all([
      run('deploy'),
      run('plan'),
      // While the steps run (they wait 300 ms before calling), the test makes a call of its own.
      new Promise((resolve) => setTimeout(resolve, 150)).then(() =>
        testClient.send(new DescribeImagesCommand({ repositoryName: 'web' })).catch(() => undefined),
      ),
    ]);
    testClient.destroy();
    expect([deploy.conclusion, deploy.post?.conclusion, plan.conclusion]).toEqual(['success', 'success', 'success']);
    expect(sim.control.requests({ operation: 'DescribeImages' })).toHaveLength(1);

    const action = basename(actionDir);
    const recorded = readRecordedCalls(callsDir).map((call) => [call.action, call.variant, ...call.permissions]);
    expect(recorded.sort()).toEqual(
      [
        [action, 'mode=deploy', 'ecr:DescribeRepositories'],
        [action, 'mode=deploy', 'ecr:GetAuthorizationToken'],
        [action, 'mode=plan', 'ecr:DescribeRepositories'],
        [action, 'mode=plan', 'ecr:GetAuthorizationToken'],
      ].sort(),
    );
  });
});
