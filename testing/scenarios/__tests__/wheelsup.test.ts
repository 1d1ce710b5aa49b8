import {
  actionSteps,
  dbSnapshots,
  describeRun,
  ecrTags,
  mutations,
  runningRevisions,
  startExample,
  stepsNamed,
  pullRequestEvent,
} from '../src/examples';
import type { WorkflowRun } from '../src/model';
import type { World } from '../src/world';

// WheelsUp, as its deployment guide describes it: a push to main deploys the web app to wheelsup-staging, then to
// wheelsup-prod. Per environment the Aurora cluster behind DATABASE_URL is snapshotted, the drizzle migration runs
// as a one-off task of the new revision, wheelsup-web-service rolls and /api/meta is checked, and CloudFront is
// invalidated. The ETL image is built into its own repository. The rollback puts production back for real and checks
// /api/health; the pull-request check plans both environments.
jest.setTimeout(300_000);

const REGION = 'us-east-1';
const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const SERVICE = 'wheelsup-web-service';
const ENVIRONMENTS = [
  { name: 'staging', cluster: 'wheelsup-staging', family: 'wheelsup-web-staging', db: 'wheelsup-staging-db' },
  { name: 'production', cluster: 'wheelsup-prod', family: 'wheelsup-web-prod', db: 'wheelsup-prod-db' },
];
const DISTRIBUTIONS = { staging: 'E1234567890123', production: 'E2WHEELSUPPROD' };
const SECRETS = {
  WHEELSUP_STAGING_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg',
  WHEELSUP_PROD_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd',
};
const DRIZZLE = ['sh', '-c', 'npm run db:generate && npm run db:push'];
let world: World;
let deploy: WorkflowRun;
let deployMutations: string[];
let registeredFamilies: unknown[];
let afterDeploy: Record<string, string>;
let stagingAfterDeploy: Record<string, string>;
let snapshotsAfterDeploy: Record<string, string>[];
let imagesAfterDeploy: Record<string, Record<string, string>>;
let rollback: WorkflowRun;
let rollbackMutations: string[];
let pullRequest: WorkflowRun;
let pullRequestMutations: string[];

beforeAll(async () => {
  world = await startExample('wheelsup', {
    routes: {
      'api.staging.wheelsup.com': { cluster: 'wheelsup-staging', service: SERVICE },
      'api.wheelsup.com': { cluster: 'wheelsup-prod', service: SERVICE },
    },
    files: { 'apps/web/Dockerfile': 'FROM node:20-alpine\n', 'apps/etl/Dockerfile': 'FROM python:3.12-slim\n' },
    skipScripts: { 'Run the tests': 'the Next.js sources are not in this repository' },
  });
  deploy = await world.run('.github/workflows/deploy.yml', {
    secrets: SECRETS,
    github: { repository: 'acme/wheelsup', sha: SHA },
  });
  deployMutations = mutations(world);
  registeredFamilies = world.sim.control
    .mutatingRequests({ service: 'ecs' })
    .filter((r) => r.operation === 'RegisterTaskDefinition')
    .map((r) => (r.params as { family: string }).family);
  afterDeploy = await runningRevisions(world, REGION, 'wheelsup-prod', [SERVICE]);
  stagingAfterDeploy = await runningRevisions(world, REGION, 'wheelsup-staging', [SERVICE]);
  snapshotsAfterDeploy = await Promise.all(
    ENVIRONMENTS.map((env) => dbSnapshots(world, REGION, { kind: 'cluster', identifier: env.db })),
  );
  imagesAfterDeploy = {
    'wheelsup-web': await ecrTags(world, REGION, 'wheelsup-web'),
    'wheelsup-etl': await ecrTags(world, REGION, 'wheelsup-etl'),
  };
  world.sim.control.clearRequests();
  rollback = await world.run('.github/workflows/rollback.yml', {
    secrets: SECRETS,
    inputs: { environment: 'production', target: 'previous', 'dry-run': false },
    github: {
      repository: 'acme/wheelsup',
      event_name: 'workflow_dispatch',
      workflow: 'Rollback',
      run_id: '1000000002',
    },
  });
  rollbackMutations = mutations(world, 'ecs');
  world.sim.control.clearRequests();
  pullRequest = await world.run('.github/workflows/pr-checks.yml', {
    secrets: {
      WHEELSUP_STAGING_READ_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg-read',
      WHEELSUP_PROD_READ_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd-read',
    },
    github: pullRequestEvent('acme/wheelsup', 3, '1000000003'),
  });
  pullRequestMutations = mutations(world);
});
afterAll(() => world?.close());

test('per environment: Aurora cluster snapshot, drizzle in the new revision, the rolling deploy, then CloudFront', () => {
  expect(describeRun(deploy)).not.toMatch(/→ failure/);
  expect(deploy.result).toBe('success');
  const ordered = deployMutations.filter((m) =>
    /^(CreateDBClusterSnapshot|CreateDBSnapshot|RunTask|UpdateService|CreateInvalidation)/.test(m),
  );
  expect(ordered).toEqual(
    ENVIRONMENTS.flatMap((env) => {
      const [register] = deploy.steps.filter(
        (s) => s.environment === env.name && s.step === 'Register the new task definition for the migration',
      );
      return [
        `CreateDBClusterSnapshot ${env.db}`,
        `RunTask ${register.outputs['task-definition-arn']}`,
        `UpdateService ${SERVICE}`,
        `CreateInvalidation ${DISTRIBUTIONS[env.name as keyof typeof DISTRIBUTIONS]}`,
      ];
    }),
  );
  const migrations = actionSteps(deploy, 'migrate');
  expect(migrations.map((step) => [JSON.parse(step.inputs.command), step.inputs['snapshot-db-cluster']])).toEqual([
    [DRIZZLE, 'wheelsup-staging-db'],
    [DRIZZLE, 'wheelsup-prod-db'],
  ]);
  expect(migrations.map((step) => step.outputs['snapshot-id'])).toEqual([
    expect.stringMatching(/^wheelsup-staging-db-pre-/),
    expect.stringMatching(/^wheelsup-prod-db-pre-/),
  ]);
  // RDS holds each as a manual snapshot of the Aurora cluster (not of an instance), finished before the migration.
  expect(snapshotsAfterDeploy).toEqual(migrations.map((step) => ({ [step.outputs['snapshot-id']]: 'available' })));
  for (const step of migrations) expect(step.outputs['exit-code']).toBe('0');
  // One new revision per environment: the deploy reuses the one the migration ran in.
  expect(registeredFamilies).toEqual(ENVIRONMENTS.map((env) => env.family));
});

test('wheelsup-web-service rolls to the new revision in both clusters, checked on /api/meta', async () => {
  const deploys = stepsNamed(deploy, 'Deploy and verify');
  expect(deploys.map((step) => [step.environment, step.inputs.strategy, step.outputs.status])).toEqual([
    ['staging', 'rolling', 'succeeded'],
    ['production', 'rolling', 'succeeded'],
  ]);
  expect(deploys.map((step) => step.inputs['verify-url'])).toEqual([
    'https://api.staging.wheelsup.com/api/meta',
    'https://api.wheelsup.com/api/meta',
  ]);
  for (const step of deploys) expect(step.log).toContain(`${SERVICE}: the production check passed`);
  expect(stagingAfterDeploy).toEqual({ [SERVICE]: 'wheelsup-web-staging:2' });
  expect(afterDeploy).toEqual({ [SERVICE]: 'wheelsup-web-prod:2' });
  expect((await fetch(world.route('https://api.wheelsup.com/api/meta'))).status).toBe(200);
});

test('the web image is built once into wheelsup-web (production promotes its digest), the ETL image into wheelsup-etl', () => {
  const builds = actionSteps(deploy, 'build-push').filter((step) => !step.inputs['promote-from']);
  expect(builds.map((step) => [step.job, step.inputs.repository, step.inputs.context])).toEqual([
    ['web / build', 'wheelsup-web', 'app/apps/web'],
    ['etl', 'wheelsup-etl', 'apps/etl'],
  ]);
  const [promote] = actionSteps(deploy, 'build-push').filter((step) => step.inputs['promote-from']);
  expect(promote.outputs).toMatchObject({ promoted: 'true', digest: builds[0].outputs.digest });
  for (const build of builds) {
    expect(build.outputs['image-ref']).toMatch(
      new RegExp(`^123456789012\\.dkr\\.ecr\\.${REGION}\\.amazonaws\\.com/${build.inputs.repository}@sha256:`),
    );
    // Pushed: ECR holds the digest under every tag the build reported.
    const tags = build.outputs.tags.split('\n').map((ref) => ref.slice(ref.lastIndexOf(':') + 1));
    for (const tag of tags) expect(imagesAfterDeploy[build.inputs.repository][tag]).toBe(build.outputs.digest);
  }
  // The promotion tagged that same digest for production in ECR.
  expect(imagesAfterDeploy['wheelsup-web'][`production-${SHA}`]).toBe(builds[0].outputs.digest);
});

test('the rollback puts production back on its previous revision for real, then /api/health answers', async () => {
  expect(describeRun(rollback)).not.toMatch(/→ failure/);
  const [step] = actionSteps(rollback, 'rollback');
  expect(step.inputs['verify-url']).toMatch(/\/api\/health$/);
  expect(step.outputs.status).toBe('succeeded');
  expect(step.log).toMatch(/check \d+: \S+\/api\/health ok/);
  expect(JSON.parse(step.outputs['rolled-back-to'])).toEqual({
    [SERVICE]: `arn:aws:ecs:${REGION}:123456789012:task-definition/wheelsup-web-prod:1`,
  });
  expect(rollbackMutations).toEqual([`UpdateService ${SERVICE}`]);
  expect(await runningRevisions(world, REGION, 'wheelsup-prod', [SERVICE])).toEqual({
    [SERVICE]: 'wheelsup-web-prod:1',
  });
});

test('the pull-request check plans both environments and changes nothing', () => {
  expect(describeRun(pullRequest)).not.toMatch(/→ failure/);
  const plans = actionSteps(pullRequest, 'ecs-deploy');
  expect(plans.map((step) => [step.inputs.mode, step.inputs.cluster, step.inputs['task-definition']])).toEqual([
    ['plan', 'wheelsup-staging', 'app/task-definition-staging.json'],
    ['plan', 'wheelsup-prod', 'app/task-definition-prod.json'],
  ]);
  expect(pullRequest.jobs.find((job) => job.id === 'checks / result')?.result).toBe('success');
  expect(pullRequestMutations).toEqual([]);
  // The plan in the job summary: the running revision (staging :2, production :1 after the rollback) against the
  // guide's task definition with the new image.
  for (const [index, plan] of plans.entries()) {
    expect(plan.summary).toContain(`ECS deploy plan: ${SERVICE} (${ENVIRONMENTS[index].cluster})`);
    expect(plan.summary).toContain(`${ENVIRONMENTS[index].family}:${index === 0 ? 2 : 1} → new revision`);
    expect(plan.summary).toMatch(/\| container "wheelsup-web" \| image \| `[^`]+` \| `wheelsup-web:[0-9a-f]{40}` \|/);
  }
});
