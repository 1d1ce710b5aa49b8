import { actionSteps, describeRun, mutations, startExample, stepsNamed } from '../src/examples';
import type { WorkflowRun } from '../src/model';
import type { World } from '../src/world';

// WheelsUp web: a push to main deploys staging, then production. Per environment the RDS instance is snapshotted,
// the drizzle migration runs as a one-off task of the new revision, then native blue/green with a 5-minute bake
// time during which /api/meta is checked, then CloudFront is invalidated. Their manual rollback is a dry run first.

const ENVIRONMENTS = [
  {
    name: 'staging',
    cluster: 'wheelsup-staging',
    family: 'wheelsup-web-staging',
    db: 'wheelsup-staging-db',
    cdn: 'E1WHEELSUPSTG1',
  },
  {
    name: 'production',
    cluster: 'wheelsup-prod',
    family: 'wheelsup-web-prod',
    db: 'wheelsup-prod-db',
    cdn: 'E1WHEELSUPPRD1',
  },
];
const SERVICE = 'wheelsup-web-service';
let world: World;
let deploy: WorkflowRun;
let deployMutations: string[];
let dryRun: WorkflowRun;

beforeAll(async () => {
  world = await startExample('wheelsup', {
    timeScale: 120,
    routes: {
      'staging.wheelsup.example.com': { cluster: 'wheelsup-staging', service: SERVICE },
      'wheelsup.example.com': { cluster: 'wheelsup-prod', service: SERVICE },
    },
    files: { 'web/Dockerfile': 'FROM node:20-alpine\n' },
    skipScripts: { 'Run the tests': 'the Next.js sources are not in this repository' },
  });
  const secrets = {
    WHEELSUP_STAGING_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg',
    WHEELSUP_PROD_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd',
  };
  deploy = await world.run('.github/workflows/deploy.yml', { secrets, github: { repository: 'acme/wheelsup' } });
  deployMutations = mutations(world);
  world.sim.control.clearRequests();
  dryRun = await world.run('.github/workflows/rollback.yml', {
    secrets,
    inputs: { environment: 'production', target: 'last-known-good', 'dry-run': true },
    github: { repository: 'acme/wheelsup', event_name: 'workflow_dispatch', workflow: 'Rollback' },
  });
});
afterAll(() => world?.close());

test('per environment: RDS snapshot, then the drizzle migration in the new revision, then blue/green, then the CDN', () => {
  expect(describeRun(deploy)).not.toMatch(/→ failure/);
  expect(deploy.result).toBe('success');
  const ordered = deployMutations.filter((m) => /^(CreateDBSnapshot|RunTask|UpdateService|CreateInvalidation)/.test(m));
  expect(ordered).toEqual(
    ENVIRONMENTS.flatMap((env) => {
      const register = deploy.steps.find(
        (s) => s.environment === env.name && s.step === 'Register the new task definition for the migration',
      );
      return [
        `CreateDBSnapshot ${env.db}`,
        `RunTask ${register?.outputs['task-definition-arn']}`,
        `UpdateService ${SERVICE}`,
        `CreateInvalidation ${env.cdn}`,
      ];
    }),
  );
  expect(ordered.find((m) => m.startsWith('RunTask'))).toMatch(/task-definition\/wheelsup-web-staging:\d+$/);
  const migrations = actionSteps(deploy, 'migrate');
  expect(migrations.map((step) => JSON.parse(step.inputs.command))).toEqual([
    ['sh', '-c', 'npm run db:generate && npm run db:push'],
    ['sh', '-c', 'npm run db:generate && npm run db:push'],
  ]);
  expect(migrations.map((step) => step.outputs['snapshot-id'])).toEqual([
    expect.stringMatching(/^wheelsup-staging-db-pre-/),
    expect.stringMatching(/^wheelsup-prod-db-pre-/),
  ]);
});

test('blue/green: /api/meta checked during the bake time before each deployment counts as done', async () => {
  const deploys = stepsNamed(deploy, 'Deploy and verify');
  expect(deploys.map((step) => [step.environment, step.outputs.status])).toEqual([
    ['staging', 'succeeded'],
    ['production', 'succeeded'],
  ]);
  for (const step of deploys) {
    expect(step.log).toContain('BAKE_TIME');
    expect(step.log).toContain('the production check passed');
  }
  expect((await fetch(world.route('https://wheelsup.example.com/api/meta'))).status).toBe(200);
});

test('the manual rollback dry run plans production back to the seeded revision and changes nothing', () => {
  expect(describeRun(dryRun)).not.toMatch(/→ failure/);
  const [rollback] = actionSteps(dryRun, 'rollback');
  expect(rollback.outputs.status).toBe('dry-run');
  expect(JSON.parse(rollback.outputs['rolled-back-to'])).toEqual({
    [SERVICE]: 'arn:aws:ecs:us-east-1:123456789012:task-definition/wheelsup-web-prod:1',
  });
  expect(mutations(world, 'ecs')).toEqual([]);
});
