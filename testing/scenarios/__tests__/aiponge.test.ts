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
import { GUIDES } from '../src/seed-guides';
import type { World } from '../src/world';

// Aiponge, as its AWS deployment guide describes it: `gh workflow run deploy-aws.yml -f environment=staging` builds
// deploy/docker/Dockerfile.service once per service with its SERVICE_PATH and SERVICE_PORT into aiponge-<service>,
// runs `npm run db:push` once in the api-gateway's new revision, then rolls the eight aiponge-<service> services
// together, checked on /health, /health/services and /ready. With `-f environment=production` the same runs in
// aiponge-cluster, after a snapshot of the aiponge-db instance. The manual rollback puts all eight back together for
// real. A push to main whose music-service crashes on start rolls all eight back, not just that one, and production
// is never reached. The pull-request check plans all sixteen services.
jest.setTimeout(420_000);

const REGION = 'us-east-1';
const STAGING = 'aiponge-staging-cluster';
const PRODUCTION = 'aiponge-cluster';
const RELEASE_SHA = 'a1b2c3d000000000000000000000000000000002';
// The ports the guide gives each service, as its build arguments carry them.
const PORTS: Record<string, string> = Object.fromEntries(
  GUIDES.aiponge.images.map((image) => [image.container, image['build-args']?.SERVICE_PORT ?? '']),
);
const NAMES = Object.keys(PORTS);
const SERVICES = NAMES.map((name) => `aiponge-${name}`);
const revisions = (revision: number, suffix = '-staging') =>
  Object.fromEntries(NAMES.map((name) => [`aiponge-${name}`, `aiponge-${name}${suffix}:${revision}`]));
const SECRETS = {
  AIPONGE_STAGING_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg',
  AIPONGE_PRODUCTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd',
};
const github = { repository: 'acme/aiponge', workflow: 'Deploy to AWS' };
let world: World;
let crashing = false;
let dispatch: WorkflowRun;
let dispatchMutations: string[];
let dispatchBuilds: string[][];
let afterDispatch: Record<string, string>;
let rollback: WorkflowRun;
let afterRollback: Record<string, string>;
let production: WorkflowRun;
let productionMutations: string[];
let afterProduction: Record<string, string>;
let productionSnapshots: Record<string, string>;
let productionImages: Record<string, string>[];
let push: WorkflowRun;
let pushMutations: string[];
let pullRequest: WorkflowRun;
let pullRequestMutations: string[];

beforeAll(async () => {
  world = await startExample('aiponge', {
    routes: {
      'api-staging.aiponge.com': { cluster: STAGING, service: 'aiponge-api-gateway' },
      'api.aiponge.com': { cluster: PRODUCTION, service: 'aiponge-api-gateway' },
    },
    files: { 'deploy/docker/Dockerfile.service': 'FROM node:20-alpine\nARG SERVICE_PATH\nARG SERVICE_PORT=3000\n' },
    skipScripts: { 'Run the tests': 'the services’ sources are not in this repository' },
    afterStep: (record) => {
      // This commit's music-service exits on start (the other seven are fine).
      if (crashing && record.inputs.repository === 'aiponge-music-service' && record.outputs.digest) {
        world.sim.control.addScenarios({
          image: `*@${record.outputs.digest}`,
          startSeconds: 3,
          crash: { exitCode: 1, afterSeconds: 2 },
        });
      }
    },
  });
  dispatch = await world.run('.github/workflows/deploy-aws.yml', {
    secrets: SECRETS,
    inputs: { environment: 'staging' },
    github: { ...github, event_name: 'workflow_dispatch', run_id: '4001' },
  });
  dispatchMutations = mutations(world, 'ecs');
  dispatchBuilds = world.calls('docker').filter((argv) => argv[0] === 'buildx' && argv[1] === 'build');
  afterDispatch = await runningRevisions(world, REGION, STAGING, SERVICES);
  rollback = await world.run('.github/workflows/rollback.yml', {
    secrets: SECRETS,
    inputs: { environment: 'staging', target: 'previous', 'dry-run': false },
    github: { ...github, event_name: 'workflow_dispatch', workflow: 'Rollback', run_id: '4002' },
  });
  afterRollback = await runningRevisions(world, REGION, STAGING, SERVICES);
  // `gh workflow run deploy-aws.yml -f environment=production`: the guide's own cluster, aiponge-cluster.
  world.sim.control.clearRequests();
  production = await world.run('.github/workflows/deploy-aws.yml', {
    secrets: SECRETS,
    inputs: { environment: 'production' },
    github: { ...github, sha: RELEASE_SHA, event_name: 'workflow_dispatch', run_id: '4005' },
  });
  productionMutations = mutations(world);
  afterProduction = await runningRevisions(world, REGION, PRODUCTION, SERVICES);
  productionSnapshots = await dbSnapshots(world, REGION, { kind: 'instance', identifier: 'aiponge-db' });
  productionImages = await Promise.all(SERVICES.map((repository) => ecrTags(world, REGION, repository)));
  world.sim.control.clearRequests();
  crashing = true;
  push = await world.run('.github/workflows/deploy-aws.yml', {
    secrets: SECRETS,
    github: { ...github, sha: 'badc0de000000000000000000000000000000001', run_id: '4003' },
  });
  pushMutations = mutations(world, 'ecs');
  world.sim.control.clearRequests();
  pullRequest = await world.run('.github/workflows/pr-checks.yml', {
    secrets: {
      AIPONGE_STAGING_READ_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg-read',
      AIPONGE_PRODUCTION_READ_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd-read',
    },
    github: { ...github, ...pullRequestEvent(github.repository, 5, '4004') },
  });
  pullRequestMutations = mutations(world);
});
afterAll(() => world?.close());

test('one shared Dockerfile built once per service with its path and port, into aiponge-<service>', () => {
  expect(describeRun(dispatch)).not.toMatch(/→ failure/);
  const builds = actionSteps(dispatch, 'build-push');
  expect(builds.map((step) => [step.inputs.repository, step.inputs.file, step.inputs['build-args']])).toEqual(
    NAMES.map((name) => [
      `aiponge-${name}`,
      'app/deploy/docker/Dockerfile.service',
      `SERVICE_PATH=packages/services/${name}\nSERVICE_PORT=${PORTS[name]}`,
    ]),
  );
  expect(dispatchBuilds).toHaveLength(NAMES.length);
  for (const [index, name] of NAMES.entries()) {
    expect(dispatchBuilds[index]).toEqual(
      expect.arrayContaining([
        '--build-arg',
        `SERVICE_PATH=packages/services/${name}`,
        `SERVICE_PORT=${PORTS[name]}`,
        'app/deploy/docker/Dockerfile.service',
      ]),
    );
  }
});

test('dispatch to staging: db:push once in the api-gateway revision, then the eight services roll together', async () => {
  const migration = dispatchMutations.findIndex((m) => m.startsWith('RunTask'));
  expect(dispatchMutations[migration]).toMatch(
    /^RunTask arn:aws:ecs:us-east-1:123456789012:task-definition\/aiponge-api-gateway-staging:2$/,
  );
  expect(dispatchMutations.filter((m) => m.startsWith('RunTask'))).toHaveLength(1);
  expect(dispatchMutations.findIndex((m) => m.startsWith('UpdateService'))).toBeGreaterThan(migration);
  expect(actionSteps(dispatch, 'migrate').map((step) => JSON.parse(step.inputs.command))).toEqual([
    ['npm', 'run', 'db:push'],
  ]);
  const [deploy] = stepsNamed(dispatch, 'Deploy and verify');
  expect(deploy.inputs.service.split(',').map((s) => s.trim())).toEqual(SERVICES);
  expect(deploy.inputs['verify-url'].split('\n').filter(Boolean)).toEqual([
    'https://api-staging.aiponge.com/health',
    'https://api-staging.aiponge.com/health/services',
    'https://api-staging.aiponge.com/ready',
  ]);
  expect(deploy.outputs.status).toBe('succeeded');
  expect(deploy.log).toContain('aiponge-api-gateway: the production check passed');
  expect(afterDispatch).toEqual(revisions(2));
  const jobs = Object.fromEntries(dispatch.jobs.map((job) => [job.id, job.result]));
  expect(jobs).toMatchObject({ 'deploy / staging': 'success', 'deploy / production': 'skipped' });
});

test('dispatch to production: aiponge-db snapshotted, db:push once, the eight services roll in aiponge-cluster', () => {
  expect(describeRun(production)).not.toMatch(/→ failure/);
  const jobs = Object.fromEntries(production.jobs.map((job) => [job.id, job.result]));
  expect(jobs).toMatchObject({ 'deploy / staging': 'skipped', 'deploy / production': 'success' });
  // Built for production alone: each image pushed to its repository under production-<sha>.
  const builds = actionSteps(production, 'build-push');
  expect(builds.map((step) => step.inputs.repository)).toEqual(SERVICES);
  for (const [index, build] of builds.entries()) {
    expect(productionImages[index][`production-${RELEASE_SHA}`]).toBe(build.outputs.digest);
  }
  // The RDS instance (Multi-AZ, not Aurora) is snapshotted, then the migration runs once, then the services roll.
  const [migrate] = actionSteps(production, 'migrate');
  expect(migrate.inputs['snapshot-db-instance']).toBe('aiponge-db');
  expect(productionSnapshots).toEqual({ [migrate.outputs['snapshot-id']]: 'available' });
  expect(migrate.outputs['exit-code']).toBe('0');
  const ordered = productionMutations.filter((m) => /^(CreateDBSnapshot|RunTask|UpdateService)/.test(m));
  expect(ordered).toEqual([
    'CreateDBSnapshot aiponge-db',
    'RunTask arn:aws:ecs:us-east-1:123456789012:task-definition/aiponge-api-gateway:2',
    ...SERVICES.map((service) => `UpdateService ${service}`),
  ]);
  const [deploy] = stepsNamed(production, 'Deploy and verify');
  expect(deploy.outputs.status).toBe('succeeded');
  expect(deploy.inputs['verify-url'].split('\n').filter(Boolean)).toEqual(
    ['/health', '/health/services', '/ready'].map((path) => `https://api.aiponge.com${path}`),
  );
  expect(deploy.log).toContain('aiponge-api-gateway: the production check passed');
  expect(afterProduction).toEqual(revisions(2, ''));
});

test('the manual rollback puts all eight back on their previous revisions together, for real', () => {
  expect(describeRun(rollback)).not.toMatch(/→ failure/);
  const [step] = actionSteps(rollback, 'rollback');
  expect(step.outputs.status).toBe('succeeded');
  expect(Object.keys(JSON.parse(step.outputs['rolled-back-to']))).toEqual(SERVICES);
  expect(step.log).toMatch(/check \d+: \S+\/health\/services ok/);
  expect(afterRollback).toEqual(revisions(1));
});

test('push to main: music-service crashes, so all eight are rolled back together and production is not reached', async () => {
  expect(push.result).toBe('failure');
  const [deploy] = stepsNamed(push, 'Deploy and verify');
  expect(deploy.outputs).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
  expect(deploy.annotations.at(-1)?.message).toMatch(/^ecs-deploy: 1 of 8 services failed \(aiponge-music-service: /);
  for (const service of SERVICES) expect(pushMutations).toContain(`UpdateService ${service}`);
  expect(await runningRevisions(world, REGION, STAGING, SERVICES)).toEqual(revisions(1));
  const jobs = Object.fromEntries(push.jobs.map((job) => [job.id, job.result]));
  expect(jobs).toMatchObject({ 'deploy / staging': 'failure', 'deploy / production': 'skipped' });
});

test('the pull-request check plans the eight services of both clusters and changes nothing', () => {
  expect(describeRun(pullRequest)).not.toMatch(/→ failure/);
  const plans = actionSteps(pullRequest, 'ecs-deploy');
  expect(plans.map((step) => [step.inputs.mode, step.inputs.cluster])).toEqual([
    ['plan', STAGING],
    ['plan', 'aiponge-cluster'],
  ]);
  for (const plan of plans) expect(plan.inputs.service.split('\n')).toEqual(SERVICES);
  expect(pullRequestMutations).toEqual([]);
  // The plan in the job summary: every service, each from what it runs now to its new image.
  for (const plan of plans) {
    expect(plan.summary).toContain(`ECS deploy plan: ${SERVICES.join(', ')} (${plan.inputs.cluster})`);
    for (const name of NAMES) {
      expect(plan.summary).toMatch(
        new RegExp(`\\| container "${name}" \\| image \\| \`[^\`]+\` \\| \`aiponge-${name}:[0-9a-f]{40}\` \\|`),
      );
    }
  }
});
