import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { actionSteps, mutations, startExample, stepsNamed } from '../src/examples';
import type { WorkflowRun } from '../src/model';
import type { World } from '../src/world';

// Aiponge: a push to main builds the eight images (one ECR repository each), runs `npm run db:push` once in the
// api-gateway's new revision, then deploys the eight services of the staging cluster in ONE ecs-deploy step. The
// music-service build of this commit crashes on start: all eight are rolled back together, not just that one.

const CLUSTER = 'aiponge-staging-cluster';
const SERVICES = [
  'api-gateway',
  'system-service',
  'storage-service',
  'user-service',
  'ai-config-service',
  'ai-content-service',
  'ai-analytics-service',
  'music-service',
];
let world: World;
let run: WorkflowRun;

beforeAll(async () => {
  world = await startExample('aiponge', {
    routes: { 'api-staging.aiponge.example.com': { cluster: CLUSTER, service: 'api-gateway' } },
    files: Object.fromEntries(SERVICES.map((service) => [`services/${service}/Dockerfile`, 'FROM node:20-alpine\n'])),
    skipScripts: { 'Run the tests': 'the services’ sources are not in this repository' },
    scenarios: [{ image: '*/aiponge-music-service@*', startSeconds: 3, crash: { exitCode: 1, afterSeconds: 2 } }],
  });
  run = await world.run('.github/workflows/deploy-aws.yml', {
    secrets: { AIPONGE_STAGING_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg' },
    github: { repository: 'acme/aiponge' },
  });
});
afterAll(() => world?.close());

test('eight images built once each, one migration in the api-gateway revision before any service rolls', () => {
  const builds = actionSteps(run, 'build-push');
  expect(builds.map((step) => step.inputs.repository)).toEqual(SERVICES.map((service) => `aiponge-${service}`));
  for (const build of builds) expect(build.result).toBe('success');
  const ecs = mutations(world, 'ecs');
  const migration = ecs.findIndex((m) => m.startsWith('RunTask'));
  expect(ecs[migration]).toMatch(
    /^RunTask arn:aws:ecs:us-east-1:123456789012:task-definition\/aiponge-api-gateway-staging:\d+$/,
  );
  expect(ecs.findIndex((m) => m.startsWith('UpdateService'))).toBeGreaterThan(migration);
  expect(actionSteps(run, 'migrate').map((step) => JSON.parse(step.inputs.command))).toEqual([
    ['npm', 'run', 'db:push'],
  ]);
});

test('the eight services are deployed in one step and all rolled back when music-service fails', async () => {
  expect(run.result).toBe('failure');
  const deploys = stepsNamed(run, 'Deploy and verify');
  expect(deploys).toHaveLength(1);
  const [deploy] = deploys;
  expect(deploy.inputs.service.split(',').map((s) => s.trim())).toEqual(SERVICES);
  expect(deploy.outputs).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
  expect(deploy.annotations.at(-1)?.message).toMatch(
    /^ecs-deploy: 1 of 8 services failed \(music-service: .*already back on aiponge-music-service-staging:1\)\. rolled back: api-gateway to aiponge-api-gateway-staging:1, (\S+ to \S+, ){5}ai-analytics-service to aiponge-ai-analytics-service-staging:1$/,
  );
  const updated = mutations(world, 'ecs').filter((m) => m.startsWith('UpdateService'));
  for (const service of SERVICES) expect(updated).toContain(`UpdateService ${service}`);
  const ecs = new ECSClient({
    endpoint: world.sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  try {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: SERVICES }));
    expect(services?.map((s) => [s.serviceName, s.taskDefinition?.split('/').pop()])).toEqual(
      SERVICES.map((service) => [service, `aiponge-${service}-staging:1`]),
    );
  } finally {
    ecs.destroy();
  }
  const jobs = Object.fromEntries(run.jobs.map((job) => [job.id, job.result]));
  expect(jobs).toMatchObject({ 'deploy / staging': 'failure', 'deploy / production': 'skipped' });
});
