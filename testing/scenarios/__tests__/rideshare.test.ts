import { join } from 'node:path';
import {
  actionSteps,
  describeRun,
  ecrTags,
  filesFrom,
  invalidations,
  mutations,
  runningRevisions,
  startExample,
  stepsNamed,
  pullRequestEvent,
} from '../src/examples';
import type { WorkflowRun } from '../src/model';
import type { World } from '../src/world';

// Rideshare (eu-north-1), as its deployment strategy describes it: Backend Deployment on a push to develop deploys
// staging with the image tagged staging-<sha>, on a push to main production with production-<sha> (staging keeps
// what develop deployed); alembic runs as a one-off task of the new revision before traffic shifts. Frontend
// Deployment builds frontend/dist once and syncs that build to rideshare-<env>-frontend, then invalidates `/*` on
// the distribution whose id the team keeps as a secret. A later develop push whose image never turns healthy is rolled
// back automatically; a manual rollback puts production back on its previous version for real.
jest.setTimeout(300_000);

const REGION = 'eu-north-1';
const REGISTRY = `123456789012.dkr.ecr.${REGION}.amazonaws.com`;
const ALEMBIC = ['python', '-m', 'alembic', 'upgrade', 'head'];
const DEVELOP_SHA = 'c0ffee0000000000000000000000000000000001';
const MAIN_SHA = 'c0ffee0000000000000000000000000000000002';
const BAD_SHA = 'c0ffee0000000000000000000000000000000003';
const ENV = {
  staging: { cluster: 'rideshare-staging', service: 'rideshare-api-staging', distribution: 'E2RIDESHARESTG' },
  production: { cluster: 'rideshare-production', service: 'rideshare-api-production', distribution: 'E2RIDESHAREPRD' },
};
const SECRETS = {
  RIDESHARE_STAGING_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg',
  RIDESHARE_PRODUCTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd',
  STAGING_CLOUDFRONT_DISTRIBUTION_ID: ENV.staging.distribution,
  PRODUCTION_CLOUDFRONT_DISTRIBUTION_ID: ENV.production.distribution,
};
const push = (branch: string, sha: string, runId: string) => ({
  sha,
  ref: `refs/heads/${branch}`,
  ref_name: branch,
  repository: 'acme/rideshare',
  run_id: runId,
});

interface Phase {
  run: WorkflowRun;
  mutations: string[];
  requests: { seq: number; operation: string; params: Record<string, unknown> }[];
}
let world: World;
let failing = false;
/** Why the caller's test command cannot run here, for the workflow being run (undefined: it runs). */
let testsCannotRun: string | undefined;
const phases: Record<string, Phase> = {};
let stagingAfterDevelop: Record<string, string>;
let stagingAfterMain: Record<string, string>;
let productionBeforeRollback: Record<string, string>;
let imagesAfterMain: Record<string, string>;

async function phase(name: string, run: () => Promise<WorkflowRun>): Promise<void> {
  world.sim.control.clearRequests();
  const result = await run();
  const requests = world.sim.control
    .mutatingRequests()
    .map((r) => ({ seq: r.seq, operation: r.operation, params: r.params as Record<string, unknown> }));
  phases[name] = { run: result, mutations: mutations(world), requests };
}

beforeAll(async () => {
  world = await startExample('rideshare', {
    routes: {
      'api-staging.rideshare.example.com': { cluster: ENV.staging.cluster, service: ENV.staging.service },
      'api.rideshare.example.com': { cluster: ENV.production.cluster, service: ENV.production.service },
    },
    files: {
      Dockerfile: 'FROM python:3.9-slim\n',
      ...filesFrom(join(__dirname, 'fixtures/frontend'), 'frontend'),
    },
    skipScripts: (info) => (info.name === 'Run the tests' ? testsCannotRun : undefined),
    afterStep: (record) => {
      // The bad commit's code never turns healthy behind the load balancer (its migration still succeeds).
      if (failing && record.uses === './actions/build-push' && record.outputs.digest) {
        world.sim.control.addScenarios({ image: `*@${record.outputs.digest}`, health: 'unhealthy' });
      }
    },
  });
  const backend = (branch: string, sha: string, runId: string) => () =>
    world.run('.github/workflows/backend-deployment.yml', { secrets: SECRETS, github: push(branch, sha, runId) });
  const frontend = (branch: string, sha: string, runId: string) => () =>
    world.run('.github/workflows/frontend-deployment.yml', {
      secrets: SECRETS,
      github: { ...push(branch, sha, runId), workflow: 'Frontend Deployment' },
    });
  // pytest needs the API's sources and requirements, which this repository does not hold; npm runs for real.
  testsCannotRun = 'the API sources are not in this repository';
  await phase('develop', backend('develop', DEVELOP_SHA, '2001'));
  stagingAfterDevelop = await runningRevisions(world, REGION, ENV.staging.cluster, [ENV.staging.service]);
  await phase('main', backend('main', MAIN_SHA, '2002'));
  stagingAfterMain = await runningRevisions(world, REGION, ENV.staging.cluster, [ENV.staging.service]);
  imagesAfterMain = await ecrTags(world, REGION, 'rideshare-api');
  testsCannotRun = undefined;
  await phase('frontend develop', frontend('develop', DEVELOP_SHA, '2003'));
  await phase('frontend main', frontend('main', MAIN_SHA, '2004'));
  testsCannotRun = 'the API sources are not in this repository';
  failing = true;
  await phase('bad develop', backend('develop', BAD_SHA, '2005'));
  productionBeforeRollback = await runningRevisions(world, REGION, ENV.production.cluster, [ENV.production.service]);
  await phase('rollback', () =>
    world.run('.github/workflows/rollback.yml', {
      secrets: SECRETS,
      inputs: { environment: 'production', target: 'previous', 'dry-run': false },
      github: { repository: 'acme/rideshare', event_name: 'workflow_dispatch', workflow: 'Rollback', run_id: '2006' },
    }),
  );
  await phase('pull request', () =>
    world.run('.github/workflows/pr-checks.yml', {
      secrets: {
        RIDESHARE_STAGING_READ_ROLE_ARN: 'arn:aws:iam::123456789012:role/stg-read',
        RIDESHARE_PRODUCTION_READ_ROLE_ARN: 'arn:aws:iam::123456789012:role/prd-read',
      },
      github: { ...pullRequestEvent('acme/rideshare', 7, '2007'), workflow: 'PR checks' },
    }),
  );
});
afterAll(() => world?.close());

const jobResults = (run: WorkflowRun) => Object.fromEntries(run.jobs.map((job) => [job.id, job.result]));

test('develop: staging only, image tagged staging-<sha>, alembic as a one-off task before the rolling deploy', () => {
  const { run, requests, mutations: calls } = phases.develop;
  expect(describeRun(run)).not.toMatch(/→ failure/);
  expect(jobResults(run)).toMatchObject({
    'deploy / build': 'success',
    'deploy / staging': 'success',
    'deploy / promote': 'skipped',
    'deploy / production': 'skipped',
  });
  const [build] = actionSteps(run, 'build-push');
  expect(build.outputs.tags.split('\n')).toEqual([
    `${REGISTRY}/rideshare-api:staging-${DEVELOP_SHA}`,
    `${REGISTRY}/rideshare-api:sha-c0ffee0`,
  ]);
  // Pushed: ECR holds the digest the build reported under the staging tag.
  expect(imagesAfterMain[`staging-${DEVELOP_SHA}`]).toBe(build.outputs.digest);
  const runTask = requests.find((r) => r.operation === 'RunTask');
  const update = requests.find((r) => r.operation === 'UpdateService');
  const [register] = stepsNamed(run, 'Register the new task definition for the migration');
  expect(runTask?.params).toMatchObject({
    cluster: ENV.staging.cluster,
    taskDefinition: register.outputs['task-definition-arn'],
    overrides: { containerOverrides: [{ name: 'rideshare-api', command: ALEMBIC }] },
  });
  expect(runTask!.seq).toBeLessThan(update!.seq);
  expect(update?.params).toMatchObject({ cluster: ENV.staging.cluster, service: ENV.staging.service });
  expect(calls.filter((call) => call.includes('production'))).toEqual([]);
  expect(stagingAfterDevelop).toEqual({ [ENV.staging.service]: 'rideshare-api-staging:2' });
  const [deploy] = stepsNamed(run, 'Deploy and verify');
  expect(deploy.inputs['verify-url']).toBe('https://api-staging.rideshare.example.com/health');
  expect(deploy.log).toContain(`${ENV.staging.service}: the production check passed`);
  const regions = new Set(world.sim.control.requests({ service: 'ecs' }).map((r) => r.region));
  expect([...regions]).toEqual([REGION]);
});

test('main: production only, image tagged production-<sha>; staging keeps what develop deployed', () => {
  const { run, requests } = phases.main;
  expect(describeRun(run)).not.toMatch(/→ failure/);
  expect(jobResults(run)).toMatchObject({
    'deploy / staging': 'skipped',
    'deploy / promote': 'skipped',
    'deploy / production': 'success',
  });
  const [build] = actionSteps(run, 'build-push');
  expect(build.outputs.tags.split('\n')).toEqual([
    `${REGISTRY}/rideshare-api:production-${MAIN_SHA}`,
    `${REGISTRY}/rideshare-api:sha-c0ffee0`,
  ]);
  expect(imagesAfterMain[`production-${MAIN_SHA}`]).toBe(build.outputs.digest);
  const clusters = new Set(requests.map((r) => r.params.cluster).filter(Boolean));
  expect([...clusters]).toEqual([ENV.production.cluster]);
  expect(requests.filter((r) => r.operation === 'RegisterTaskDefinition').map((r) => r.params.family)).toEqual([
    'rideshare-api-production',
  ]);
  const runTask = requests.find((r) => r.operation === 'RunTask');
  expect(runTask!.seq).toBeLessThan(requests.find((r) => r.operation === 'UpdateService')!.seq);
  const deploys = stepsNamed(run, 'Deploy and verify');
  expect(deploys.map((s) => [s.environment, s.outputs.status, s.inputs['verify-url']])).toEqual([
    ['production', 'succeeded', 'https://api.rideshare.example.com/health'],
  ]);
  expect(deploys[0].log).toContain(`${ENV.production.service}: the production check passed`);
  expect(stagingAfterMain).toEqual(stagingAfterDevelop);
});

test('frontend: built once per run, that build synced to the branch’s bucket, then /* invalidated', async () => {
  for (const [name, environment] of [
    ['frontend develop', 'staging'],
    ['frontend main', 'production'],
  ] as const) {
    const { run, mutations: calls } = phases[name];
    expect(describeRun(run)).not.toMatch(/→ failure/);
    const builds = stepsNamed(run, 'Build the frontend');
    expect(builds).toHaveLength(1);
    const buildId = /built (\S+)/.exec(builds[0].log)?.[1];
    const bucket = world.bucket(`rideshare-${environment}-frontend`);
    expect(Object.keys(bucket)).toEqual(['assets/app.js', 'index.html']);
    expect(bucket['index.html']).toContain(`build ${buildId}`);
    const [sync] = stepsNamed(run, 'Upload the frontend');
    expect(sync.environment).toBe(environment);
    expect(calls).toEqual([`CreateInvalidation ${ENV[environment].distribution}`]);
    expect(actionSteps(run, 'invalidate-cdn')[0].inputs).toMatchObject({
      distributions: ENV[environment].distribution,
      paths: '/*',
    });
    const [invalidation] = actionSteps(run, 'invalidate-cdn');
    expect(await invalidations(world, ENV[environment].distribution)).toHaveProperty(
      invalidation.outputs['invalidation-ids'],
    );
  }
  expect(world.calls('aws')).toEqual([
    [
      's3',
      'sync',
      expect.stringMatching(/shipyard-frontend$/),
      's3://rideshare-staging-frontend',
      '--delete',
      '--no-progress',
    ],
    [
      's3',
      'sync',
      expect.stringMatching(/shipyard-frontend$/),
      's3://rideshare-production-frontend',
      '--delete',
      '--no-progress',
    ],
  ]);
});

test('an image that never turns healthy is rolled back in staging at once; production is untouched', async () => {
  const { run, mutations: calls } = phases['bad develop'];
  expect(run.result).toBe('failure');
  expect(jobResults(run)).toMatchObject({ 'deploy / staging': 'failure', 'deploy / production': 'skipped' });
  const [deploy] = stepsNamed(run, 'Deploy and verify');
  expect(deploy.outputs).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
  expect(deploy.annotations.at(-1)?.message).toMatch(/^ecs-deploy: rideshare-api-staging: /);
  expect(calls.filter((call) => call.includes('production'))).toEqual([]);
  expect(await runningRevisions(world, REGION, ENV.staging.cluster, [ENV.staging.service])).toEqual(
    stagingAfterDevelop,
  );
  expect((await fetch(world.route('https://api-staging.rideshare.example.com/health'))).status).toBe(200);
});

test('the manual rollback puts production back on its previous version, for real', async () => {
  const { run, mutations: calls } = phases.rollback;
  expect(describeRun(run)).not.toMatch(/→ failure/);
  expect(productionBeforeRollback).toEqual({ [ENV.production.service]: 'rideshare-api-production:2' });
  const [rollback] = actionSteps(run, 'rollback');
  expect(rollback.outputs.status).toBe('succeeded');
  expect(rollback.inputs['verify-url']).toBe('https://api.rideshare.example.com/health');
  expect(rollback.log).toMatch(/check \d+: \S+\/health ok/);
  expect(JSON.parse(rollback.outputs['rolled-back-to'])).toEqual({
    [ENV.production.service]: `arn:aws:ecs:${REGION}:123456789012:task-definition/rideshare-api-production:1`,
  });
  expect(calls).toContain(`UpdateService ${ENV.production.service}`);
  expect(await runningRevisions(world, REGION, ENV.production.cluster, [ENV.production.service])).toEqual({
    [ENV.production.service]: 'rideshare-api-production:1',
  });
});

test('pull request: the tests and the plan of both environments pass, and nothing changes', () => {
  const { run, mutations: calls } = phases['pull request'];
  expect(describeRun(run)).not.toMatch(/→ failure/);
  expect(jobResults(run)).toMatchObject({ 'checks / plan': 'success', 'checks / result': 'success' });
  const plans = actionSteps(run, 'ecs-deploy');
  expect(plans.map((step) => [step.inputs.mode, step.inputs.cluster, step.inputs.service])).toEqual([
    ['plan', ENV.staging.cluster, ENV.staging.service],
    ['plan', ENV.production.cluster, ENV.production.service],
  ]);
  expect(calls).toEqual([]);
  // The plan in the job summary: each service from what runs now to the task definition file with the new image.
  // Staging runs :2 (develop's), production :1 (after the manual rollback).
  for (const [plan, running] of [
    [plans[0], 'rideshare-api-staging:2'],
    [plans[1], 'rideshare-api-production:1'],
  ] as const) {
    expect(plan.summary).toContain(`ECS deploy plan: ${plan.inputs.service} (${plan.inputs.cluster})`);
    expect(plan.summary).toContain(`${running} → new revision`);
    expect(plan.summary).toMatch(/\| container "rideshare-api" \| image \| `[^`]+` \| `rideshare-api:[0-9a-f]{40}` \|/);
  }
});
