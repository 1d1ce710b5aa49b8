import {
  actionSteps,
  describeRun,
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
    github: { repository: 'acme/wheelsup' },
  });
  deployMutations = mutations(world);
  registeredFamilies = world.sim.control
    .mutatingRequests({ service: 'ecs' })
    .filter((r) => r.operation === 'RegisterTaskDefinition')
    .map((r) => (r.params as { family: string }).family);
  afterDeploy = await runningRevisions(world, REGION, 'wheelsup-prod', [SERVICE]);
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
  for (const step of deploys) expect(step.log).toContain('the production check passed');
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
  }
});

test('the rollback puts production back on its previous revision for real, then /api/health answers', async () => {
  expect(describeRun(rollback)).not.toMatch(/→ failure/);
  const [step] = actionSteps(rollback, 'rollback');
  expect(step.inputs['verify-url']).toMatch(/\/api\/health$/);
  expect(step.outputs.status).toBe('succeeded');
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
});
