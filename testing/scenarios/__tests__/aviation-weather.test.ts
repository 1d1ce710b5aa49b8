import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  actionSteps,
  describeRun,
  invalidations,
  mutations,
  runningRevisions,
  startExample,
  stepsNamed,
  pullRequestEvent,
} from '../src/examples';
import type { WorkflowRun } from '../src/model';
import type { World } from '../src/world';

// Aviation Weather Services, as its guide's "Build and Deploy" workflow: a pull request runs the tests and the
// production plan; a push to main builds the three images once into GHCR — logged in with the job's own token, tagged
// main-<sha7> and main — and deploys one new revision of aviation-weather-services with the three digests to
// aviation-weather-service, its SSM Parameter Store secrets kept, verified on /health, then invalidates the guide's
// CloudFront distribution. A manual rollback puts the service back on the previous revision for real.
jest.setTimeout(300_000);

const REGION = 'us-east-1';
const CLUSTER = 'aviation-weather-cluster';
const SERVICE = 'aviation-weather-service';
const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const JOB_TOKEN = 'ghs_localrunnertoken';
const REPOSITORIES = ['frontend', 'backend', 'nlp'].map((suffix) => `acme/aviation-weather-${suffix}`);
const SSM = (name: string) => `arn:aws:ssm:${REGION}:123456789012:parameter/aviation-weather/${name}`;
const DISTRIBUTION = 'E4AVIATIONWX01';
const SECRETS = {
  AVIATION_WEATHER_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy',
  AVIATION_WEATHER_READ_ROLE_ARN: 'arn:aws:iam::123456789012:role/read',
  AVIATION_WEATHER_DISTRIBUTION_ID: DISTRIBUTION,
};
const github = { repository: 'acme/aviation-weather', sha: SHA, workflow: 'Build and Deploy' };
let world: World;
let pullRequest: WorkflowRun;
let pullRequestMutations: string[];
let push: WorkflowRun;
let pushMutations: string[];
let pushInvalidations: string[];
let afterPush: Record<string, string>;
let rollback: WorkflowRun;

beforeAll(async () => {
  world = await startExample('aviation-weather', {
    routes: { 'aviationweather.app': { cluster: CLUSTER, service: SERVICE } },
    files: Object.fromEntries(
      ['frontend-react', 'backend-node', 'backend-python-nlp'].map((dir) => [`${dir}/Dockerfile`, 'FROM scratch\n']),
    ),
    // The three apps' toolchains and sources (and the MongoDB and Redis service containers) are not here.
    skipScripts: (info) => (info.job === 'test' ? 'the apps’ sources are not in this repository' : undefined),
  });
  pullRequest = await world.run('.github/workflows/deploy.yml', {
    secrets: SECRETS,
    github: { ...github, ...pullRequestEvent(github.repository, 9, '3001') },
  });
  pullRequestMutations = mutations(world);
  world.sim.control.clearRequests();
  push = await world.run('.github/workflows/deploy.yml', { secrets: SECRETS, github: { ...github, run_id: '3002' } });
  pushMutations = mutations(world, 'ecs');
  pushInvalidations = mutations(world, 'cloudfront');
  afterPush = await runningRevisions(world, REGION, CLUSTER, [SERVICE]);
  rollback = await world.run('.github/workflows/rollback.yml', {
    secrets: SECRETS,
    inputs: { target: 'previous', 'dry-run': false },
    github: { ...github, event_name: 'workflow_dispatch', workflow: 'Rollback', run_id: '3003' },
  });
});
afterAll(() => world?.close());

const jobResults = (run: WorkflowRun) => Object.fromEntries(run.jobs.map((job) => [job.id, job.result]));

test('pull request: the tests, then the production plan of the task definition; nothing built or changed', () => {
  expect(describeRun(pullRequest)).not.toMatch(/→ failure/);
  expect(jobResults(pullRequest)).toMatchObject({
    test: 'success',
    'checks / plan': 'success',
    'checks / result': 'success',
    deploy: 'skipped',
  });
  const [plan] = actionSteps(pullRequest, 'ecs-deploy');
  expect(plan.inputs).toMatchObject({
    mode: 'plan',
    cluster: CLUSTER,
    service: SERVICE,
    'task-definition': 'app/ecs-task-definition.json',
  });
  expect(actionSteps(pullRequest, 'build-push')).toEqual([]);
  expect(pullRequestMutations).toEqual([]);
  // The plan in the job summary: the running revision against the file with the three new images.
  expect(plan.summary).toContain(`ECS deploy plan: ${SERVICE} (${CLUSTER})`);
  expect(plan.summary).toContain('aviation-weather-services:1 → new revision');
  for (const [index, container] of ['frontend', 'backend', 'nlp'].entries()) {
    expect(plan.summary).toContain(
      `| container "${container}" | image | \`ghcr.io/${REPOSITORIES[index]}:main\` | \`ghcr.io/${REPOSITORIES[index]}:${SHA}\` |`,
    );
  }
});

test('push to main: three images built once into GHCR with the job token, tagged main-<sha7> and main', () => {
  expect(describeRun(push)).not.toMatch(/→ failure/);
  expect(jobResults(push)).toMatchObject({
    checks: 'skipped',
    'deploy / build': 'success',
    'deploy / staging': 'skipped',
    'deploy / promote': 'skipped',
    'deploy / production': 'success',
  });
  const builds = actionSteps(push, 'build-push');
  expect(builds.map((step) => step.inputs.repository)).toEqual(REPOSITORIES);
  for (const build of builds) {
    expect(build.inputs).toMatchObject({ registry: 'ghcr.io', username: 'octocat', password: JOB_TOKEN });
    expect(build.outputs.tags.split('\n')).toEqual([
      `ghcr.io/${build.inputs.repository}:main-6dcb09b`,
      `ghcr.io/${build.inputs.repository}:main`,
      `ghcr.io/${build.inputs.repository}:production-${SHA}`,
      `ghcr.io/${build.inputs.repository}:sha-6dcb09b`,
    ]);
    expect(build.outputs['image-ref']).toMatch(/^ghcr\.io\/acme\/aviation-weather-\w+@sha256:[a-f0-9]{64}$/);
    // Pushed: the registry holds that digest under each tag.
    for (const tag of build.outputs.tags.split('\n')) expect(world.standIn.generic.get(tag)).toBe(build.outputs.digest);
    // The token reaches docker on stdin only, and the runner masks it.
    expect(build.run?.masks).toContain(JOB_TOKEN);
    expect(build.log).not.toContain(JOB_TOKEN);
  }
  const logins = world.calls('docker').filter((argv) => argv[0] === 'login');
  expect(logins).toEqual(
    REPOSITORIES.map(() => expect.arrayContaining(['ghcr.io', '--username', 'octocat', '--password-stdin'])),
  );
  expect(world.sim.control.requests({ service: 'ecr' })).toEqual([]);
});

test('one new revision with the three digests and the SSM secrets replaces the running one; /health answers', async () => {
  const [deploy] = stepsNamed(push, 'Deploy and verify');
  expect(deploy.outputs.status).toBe('succeeded');
  expect(pushMutations).toEqual(['RegisterTaskDefinition aviation-weather-services', `UpdateService ${SERVICE}`]);
  const ecs = new ECSClient({
    endpoint: world.sim.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  try {
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: deploy.outputs['task-definition-arn'] }),
    );
    const built = Object.fromEntries(
      actionSteps(push, 'build-push').map((s) => [s.inputs.repository.split('-').pop(), s.outputs['image-ref']]),
    );
    const containers = taskDefinition!.containerDefinitions!;
    expect(Object.fromEntries(containers.map((c) => [c.name, c.image]))).toEqual(built);
    expect(Object.fromEntries(containers.map((c) => [c.name, c.secrets?.map((s) => [s.name, s.valueFrom])]))).toEqual({
      frontend: undefined,
      backend: [
        ['CHECKWX_API_KEY', SSM('checkwx-api-key')],
        ['MONGODB_URI', SSM('mongodb-uri')],
      ],
      nlp: [['OPENAI_API_KEY', SSM('openai-api-key')]],
    });
    expect(taskDefinition?.family).toBe('aviation-weather-services');
  } finally {
    ecs.destroy();
  }
  expect(deploy.log).not.toContain(SSM('mongodb-uri'));
  expect(afterPush).toEqual({ [SERVICE]: 'aviation-weather-services:2' });
  expect(deploy.inputs['verify-url']).toBe('https://aviationweather.app/health');
  expect(deploy.log).toContain(`${SERVICE}: the production check passed`);
  expect((await fetch(world.route('https://aviationweather.app/health'))).status).toBe(200);
});

test('then CloudFront `/*` is invalidated on the guide’s distribution, whose id is kept as a secret', async () => {
  const [invalidate] = actionSteps(push, 'invalidate-cdn');
  expect(invalidate.environment).toBe('production');
  expect(invalidate.inputs).toMatchObject({ distributions: DISTRIBUTION, paths: '/*' });
  expect(pushInvalidations).toEqual([`CreateInvalidation ${DISTRIBUTION}`]);
  expect(await invalidations(world, DISTRIBUTION)).toHaveProperty(invalidate.outputs['invalidation-ids']);
});

test('the manual rollback puts the service back on the previous revision for real', async () => {
  expect(describeRun(rollback)).not.toMatch(/→ failure/);
  const [step] = actionSteps(rollback, 'rollback');
  expect(step.outputs.status).toBe('succeeded');
  expect(step.log).toMatch(/check \d+: \S+\/health ok/);
  expect(JSON.parse(step.outputs['rolled-back-to'])).toEqual({
    [SERVICE]: `arn:aws:ecs:${REGION}:123456789012:task-definition/aviation-weather-services:1`,
  });
  expect(await runningRevisions(world, REGION, CLUSTER, [SERVICE])).toEqual({
    [SERVICE]: 'aviation-weather-services:1',
  });
});
