import { actionSteps, describeRun, mutations, startExample, stepsNamed } from '../src/examples';
import type { WorkflowRun } from '../src/model';
import type { World } from '../src/world';

// Rideshare (eu-north-1): a push to main builds `rideshare-api` once as staging-<sha>, runs the alembic migration as
// a one-off task of the new revision before each rolling deploy, promotes the same digest to production-<sha>, and
// then the frontend job invalidates each environment's CloudFront `/*`. A later push whose image never turns
// healthy is rolled back by the circuit breaker in staging, and production is never touched.

const SHA = 'c0ffee0000000000000000000000000000000001';
const BAD_SHA = 'c0ffee0000000000000000000000000000000002';
const REGISTRY = '123456789012.dkr.ecr.eu-north-1.amazonaws.com';
const ALEMBIC = ['python', '-m', 'alembic', 'upgrade', 'head'];
const SKIPPED = 'the app toolchain (pip, npm) and S3 are not part of this repository or aws-sim';
let world: World;
let good: WorkflowRun;
let goodRequests: { seq: number; operation: string; params: Record<string, unknown> }[];
let bad: WorkflowRun;
let badMutations: string[];
let failing = false;

beforeAll(async () => {
  world = await startExample('rideshare', {
    routes: {
      'api-staging.rideshare.example.com': { cluster: 'rideshare-staging', service: 'rideshare-api-staging' },
      'api.rideshare.example.com': { cluster: 'rideshare-production', service: 'rideshare-api-production' },
    },
    files: { Dockerfile: 'FROM python:3.12-slim\n' },
    skipScripts: { 'Run the tests': SKIPPED, Build: SKIPPED, 'Upload to S3': SKIPPED },
    afterStep: (record) => {
      // The second commit's code never turns healthy behind the load balancer (its migration still succeeds).
      if (failing && record.uses === './actions/build-push' && record.outputs.digest) {
        world.sim.control.addScenarios({ image: `*@${record.outputs.digest}`, health: 'unhealthy' });
      }
    },
  });
  const secrets = {
    RIDESHARE_STAGING_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg',
    RIDESHARE_PRODUCTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd',
  };
  good = await world.run('.github/workflows/deploy.yml', {
    secrets,
    github: { sha: SHA, repository: 'acme/rideshare' },
  });
  goodRequests = world.sim.control
    .mutatingRequests()
    .map((r) => ({ seq: r.seq, operation: r.operation, params: r.params as Record<string, unknown> }));
  world.sim.control.clearRequests();
  failing = true;
  bad = await world.run('.github/workflows/deploy.yml', {
    secrets,
    github: { sha: BAD_SHA, repository: 'acme/rideshare', run_id: '1000000002' },
  });
  badMutations = mutations(world);
});
afterAll(() => world?.close());

test('staging-<sha> built once, production-<sha> promoted by digest, everything in eu-north-1', () => {
  expect(describeRun(good)).not.toMatch(/→ failure/);
  const [build, promote] = actionSteps(good, 'build-push');
  expect(build.outputs.tags.split('\n')).toEqual([
    `${REGISTRY}/rideshare-api:staging-${SHA}`,
    `${REGISTRY}/rideshare-api:sha-c0ffee0`,
  ]);
  expect(promote.outputs).toMatchObject({
    promoted: 'true',
    digest: build.outputs.digest,
    tags: `${REGISTRY}/rideshare-api:production-${SHA}`,
  });
  const regions = new Set(world.sim.control.requests({ service: 'ecs' }).map((r) => r.region));
  expect([...regions]).toEqual(['eu-north-1']);
});

test('per environment: alembic as a one-off task of the new revision before the rolling deploy, then the CDN', () => {
  expect(describeRun(good)).not.toMatch(/→ failure/);
  const [build] = actionSteps(good, 'build-push');
  for (const environment of ['staging', 'production']) {
    const cluster = `rideshare-${environment}`;
    const calls = goodRequests.filter((r) => r.params.cluster === cluster);
    const runTask = calls.find((r) => r.operation === 'RunTask');
    const update = calls.find((r) => r.operation === 'UpdateService');
    const register = good.steps.find(
      (s) => s.environment === environment && s.step === 'Register the new task definition for the migration',
    );
    expect(runTask?.params).toMatchObject({
      taskDefinition: register?.outputs['task-definition-arn'],
      overrides: { containerOverrides: [{ name: 'rideshare-api', command: ALEMBIC }] },
    });
    expect(runTask!.seq).toBeLessThan(update!.seq);
    expect(update?.params).toMatchObject({ cluster, service: `rideshare-api-${environment}` });
  }
  for (const migrate of actionSteps(good, 'migrate')) expect(migrate.outputs['exit-code']).toBe('0');
  const deploys = stepsNamed(good, 'Deploy and verify');
  expect(deploys.map((s) => [s.environment, s.outputs.status])).toEqual([
    ['staging', 'succeeded'],
    ['production', 'succeeded'],
  ]);
  const registrations = goodRequests.filter((r) => r.operation === 'RegisterTaskDefinition');
  const images = registrations.map(
    (r) => (r.params as { containerDefinitions: { image: string }[] }).containerDefinitions[0].image,
  );
  expect(new Set(images)).toEqual(new Set([build.outputs['image-ref']]));
  // The deploy step reuses the revision the migration ran in (the same content and tags): one per environment.
  expect(registrations.map((r) => r.params.family)).toEqual(['rideshare-api-staging', 'rideshare-api-production']);
  const invalidations = goodRequests.filter((r) => r.operation === 'CreateInvalidation');
  expect(invalidations.map((r) => r.params.DistributionId)).toEqual(['E2RIDESHARESTG', 'E2RIDESHAREPRD']);
  expect(invalidations[0].seq).toBeGreaterThan(
    goodRequests.find((r) => r.operation === 'UpdateService' && r.params.cluster === 'rideshare-production')!.seq,
  );
});

test('an image that never turns healthy is rolled back by the circuit breaker in staging; production is untouched', async () => {
  expect(bad.result).toBe('failure');
  const jobs = Object.fromEntries(bad.jobs.map((job) => [job.id, job.result]));
  expect(jobs).toMatchObject({
    'api / staging': 'failure',
    'api / promote': 'skipped',
    'api / production': 'skipped',
    frontend: 'skipped',
  });
  const deploy = stepsNamed(bad, 'Deploy and verify')[0];
  expect(deploy?.outputs).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
  expect(deploy?.annotations.at(-1)?.message).toMatch(/^ecs-deploy: rideshare-api-staging: /);
  expect(badMutations.filter((m) => m.includes('production'))).toEqual([]);
  const health = await fetch(world.route('https://api-staging.rideshare.example.com/health'));
  expect(health.status).toBe(200);
});
