import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { actionSteps, describeRun, mutations, startExample, stepsNamed } from '../src/examples';
import type { WorkflowRun } from '../src/model';
import type { World } from '../src/world';

// Aviation Weather: a push to main builds the three images once into GHCR (no ECR, so no promotion), then production
// (the only environment) gets one new revision of the single service with all three images by digest, rolled out
// and verified on /health — what replaces update-service --force-new-deployment + wait services-stable + curl.

const CLUSTER = 'aviation-weather-cluster';
const SERVICE = 'aviation-weather-service';
let world: World;
let run: WorkflowRun;

beforeAll(async () => {
  world = await startExample('aviation-weather', {
    routes: { 'aviation-weather.example.com': { cluster: CLUSTER, service: SERVICE } },
    files: Object.fromEntries(['frontend', 'backend', 'nlp'].map((dir) => [`${dir}/Dockerfile`, 'FROM scratch\n'])),
    skipScripts: { 'Run the tests': '`make test` needs the app toolchain, which this repository does not hold' },
  });
  run = await world.run('.github/workflows/deploy.yml', {
    secrets: {
      GHCR_PUSH_TOKEN: 'ghp_aviationpushtoken',
      AVIATION_WEATHER_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy',
    },
  });
});
afterAll(() => world?.close());

test('builds the three images once into GHCR and deploys them to production only', () => {
  expect(run.result).toBe('success');
  const jobs = Object.fromEntries(run.jobs.map((job) => [job.id, job.result]));
  expect(jobs).toMatchObject({
    'deploy / prepare': 'success',
    'deploy / build': 'success',
    'deploy / staging': 'skipped',
    'deploy / promote': 'skipped',
    'deploy / production': 'success',
  });
  const builds = actionSteps(run, 'build-push');
  expect(builds.map((step) => step.inputs.repository)).toEqual([
    'acme-aviation/aviation-weather-frontend',
    'acme-aviation/aviation-weather-backend',
    'acme-aviation/aviation-weather-nlp',
  ]);
  for (const build of builds) {
    expect(build.outputs['image-ref']).toMatch(/^ghcr\.io\/acme-aviation\/aviation-weather-\w+@sha256:[a-f0-9]{64}$/);
    // The token reaches docker on stdin only, and the runner masks it.
    expect(build.run?.masks).toContain('ghp_aviationpushtoken');
    expect(build.log).not.toContain('ghp_aviationpushtoken');
  }
  expect(world.sim.control.requests({ service: 'ecr' })).toEqual([]);
});

test('one new revision with the three digests replaces the running one; /health answers', async () => {
  expect(describeRun(run)).not.toMatch(/→ failure/);
  const [deploy] = stepsNamed(run, 'Deploy and verify');
  expect(deploy.outputs.status).toBe('succeeded');
  expect(mutations(world, 'ecs')).toEqual(['RegisterTaskDefinition aviation-weather', `UpdateService ${SERVICE}`]);
  const ecs = new ECSClient({
    endpoint: world.sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  try {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
    expect(services?.[0].taskDefinition).toBe(deploy.outputs['task-definition-arn']);
    const { taskDefinition } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: deploy.outputs['task-definition-arn'] }),
    );
    const built = Object.fromEntries(
      actionSteps(run, 'build-push').map((s) => [s.inputs.repository.split('-').pop(), s.outputs['image-ref']]),
    );
    expect(Object.fromEntries(taskDefinition!.containerDefinitions!.map((c) => [c.name, c.image]))).toEqual(built);
  } finally {
    ecs.destroy();
  }
  const health = await fetch(world.route('https://aviation-weather.example.com/health'));
  expect(health.status).toBe(200);
});
