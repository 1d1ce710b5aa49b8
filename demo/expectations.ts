import { readFileSync } from 'node:fs';
import { actionSteps } from '@shipyard/scenarios/examples';
import type { StepRecord, WorkflowRun } from '@shipyard/scenarios/model';
import type { World } from '@shipyard/scenarios/world';
import { green, red } from './render';
import { distributionOf, REGISTRY, RELEASE_0_TAG, type Environment } from './seed';

// What must be true after each phase of the demo, checked against the runs' outputs, the sim's request log, the
// docker shim's log and what the public URLs serve. The demo exits 0 only if every expectation held.

export class Expectations {
  readonly failed: string[] = [];
  count = 0;

  constructor(private readonly write: (line: string) => void) {}

  check(description: string, holds: boolean, detail = ''): void {
    this.count++;
    if (holds) this.write(`  ${green('expect ✔')} ${description}`);
    else {
      this.failed.push(description);
      this.write(`  ${red('expect ✘')} ${description}${detail ? ` — ${detail}` : ''}`);
    }
  }
}

export interface PhaseContext {
  world: World;
  run: WorkflowRun;
  /** Wall-clock start of the phase: the request log is read from here. */
  since: number;
  /** Docker shim calls before the phase. */
  dockerCallsBefore: number;
  expect: Expectations;
}

interface LoggedRequest {
  seq: number;
  operation: string;
  params: Record<string, unknown>;
}

function requests(ctx: PhaseContext, operation: string): LoggedRequest[] {
  return ctx.world.sim.control
    .requests({ operation, sinceRealTime: ctx.since })
    .map((r) => ({ seq: r.seq, operation: r.operation, params: r.params as Record<string, unknown> }));
}

export function dockerCalls(world: World): string[][] {
  return readFileSync(world.host.env.DOCKER_SHIM_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { argv: string[] }).argv);
}

/** What the production (or staging) URL serves now: the image of the revision answering `/version`. */
export async function servedImage(world: World, environment: Environment): Promise<string> {
  const host = environment === 'production' ? 'hello.example.com' : 'staging.hello.example.com';
  const response = await fetch(world.route(`https://${host}/version`));
  return response.ok ? ((await response.json()) as { image: string }).image : `HTTP ${response.status}`;
}

/** The states posted to the newest GitHub deployment of an environment, oldest first (the sim's GitHub API). */
async function latestDeploymentStates(world: World, environment: string): Promise<string[]> {
  const get = async <T>(path: string) =>
    (await (await fetch(`${world.sim.endpoint}${path}`, { headers: { authorization: 'Bearer demo' } })).json()) as T;
  const [latest] = await get<{ id: number }[]>(`/repos/acme/app/deployments?environment=${environment}`);
  if (!latest) return [];
  const statuses = await get<{ state: string }[]>(`/repos/acme/app/deployments/${latest.id}/statuses`);
  return statuses.map((status) => status.state).reverse();
}

function step(run: WorkflowRun, environment: string, name: string): StepRecord | undefined {
  return run.steps.find((s) => s.environment === environment && s.step === name);
}

const jobResults = (run: WorkflowRun) => Object.fromEntries(run.jobs.map((job) => [job.id, job.result]));

async function checkEnvironmentDeploy(ctx: PhaseContext, environment: Environment): Promise<void> {
  const { run, expect } = ctx;
  const register = step(run, environment, 'Register the new task definition for the migration');
  const deploy = step(run, environment, 'Deploy and verify');
  const cluster = `hello-${environment}`;
  const runTask = requests(ctx, 'RunTask').find((r) => r.params.cluster === cluster);
  const update = requests(ctx, 'UpdateService').find((r) => r.params.cluster === cluster);
  expect.check(
    `${environment}: the migration ran as a one-off task of the new task definition, before the service was updated`,
    !!runTask &&
      !!update &&
      runTask.params.taskDefinition === register?.outputs['task-definition-arn'] &&
      runTask.seq < update.seq,
    `RunTask ${String(runTask?.params.taskDefinition)} (#${runTask?.seq}), UpdateService #${update?.seq}`,
  );
  const log = deploy?.log ?? '';
  expect.check(
    `${environment}: blue/green deployment verified on the production URL during the bake time`,
    deploy?.outputs.status === 'succeeded' && /BAKE_TIME/.test(log) && log.includes('the production check passed'),
    `status ${deploy?.outputs.status}`,
  );
  const invalidation = requests(ctx, 'CreateInvalidation').find(
    (r) => r.params.DistributionId === distributionOf(environment),
  );
  const paths = JSON.stringify(invalidation?.params.InvalidationBatch ?? '');
  expect.check(
    `${environment}: CloudFront ${distributionOf(environment)} invalidated with /*`,
    !!invalidation && paths.includes('/*'),
  );
  const states = await latestDeploymentStates(ctx.world, environment);
  expect.check(`${environment}: GitHub deployment recorded: ${states.join(' → ')}`, states.at(-1) === 'success');
}

export async function checkRelease1(ctx: PhaseContext): Promise<void> {
  const { run, expect, world } = ctx;
  // The demo app has no frontend to build: that job is the only one skipped.
  const failedJobs = run.jobs
    .filter((job) => job.result !== 'success' && job.id !== 'deploy / frontend')
    .map((job) => `${job.id}: ${job.result}`);
  expect.check(
    'release 1: every job succeeded (prepare, test, build, images, staging, promote, production)',
    run.result === 'success' && failedJobs.length === 0,
    failedJobs.join(', '),
  );
  const [build, promote] = actionSteps(run, 'build-push');
  const builds = dockerCalls(world)
    .slice(ctx.dockerCallsBefore)
    .filter((argv) => argv[0] === 'buildx' && argv[1] === 'build');
  expect.check(
    'built once: one `docker buildx build` (the docker shim stands in for the engine)',
    builds.length === 1,
    `${builds.length} builds`,
  );
  const put = requests(ctx, 'PutImage').find((r) => String(r.params.imageTag).startsWith('production-'));
  expect.check(
    'promoted by digest for production: PutImage production-<sha> of the staging digest, no rebuild',
    promote?.outputs.promoted === 'true' &&
      promote.outputs.digest === build?.outputs.digest &&
      put?.params.imageDigest === build?.outputs.digest,
    `build ${build?.outputs.digest}, promoted ${promote?.outputs.digest}`,
  );
  const imageRef = build?.outputs['image-ref'] ?? '';
  for (const environment of ['staging', 'production'] as const) await checkEnvironmentDeploy(ctx, environment);
  for (const environment of ['staging', 'production'] as const) {
    const served = await servedImage(world, environment);
    expect.check(
      `${environment} serves release 1 (${imageRef.split('/').pop()?.slice(0, 24)}…)`,
      served === imageRef,
      served,
    );
  }
}

export async function checkRelease2(ctx: PhaseContext, release1Image: string): Promise<void> {
  const { run, expect, world } = ctx;
  const jobs = jobResults(run);
  const [build] = actionSteps(run, 'build-push');
  expect.check(
    'release 2 (hotfix): built as production-<sha> (nothing to promote), staging skipped, production failed',
    jobs['deploy / build'] === 'success' &&
      (build?.outputs.tags ?? '').includes(':production-') &&
      jobs['deploy / promote'] === 'skipped' &&
      jobs['deploy / staging'] === 'skipped' &&
      jobs['deploy / production'] === 'failure',
    JSON.stringify(jobs),
  );
  const deploy = step(run, 'production', 'Deploy and verify');
  const stop = requests(ctx, 'StopServiceDeployment')[0];
  expect.check(
    'production: /health answered 503 during the bake time → StopServiceDeployment(ROLLBACK), status rolled-back',
    deploy?.result === 'failure' &&
      deploy.outputs.status === 'rolled-back' &&
      deploy.outputs['rolled-back'] === 'true' &&
      stop?.params.stopType === 'ROLLBACK',
    `status ${deploy?.outputs.status}, stop ${JSON.stringify(stop?.params ?? null)}`,
  );
  expect.check(
    'production: the CDN was not invalidated after the failed deploy',
    step(run, 'production', 'Invalidate the CDN')?.result === 'skipped',
  );
  expect.check(
    'production: no CloudFront invalidation in this phase',
    requests(ctx, 'CreateInvalidation').length === 0,
  );
  const served = await servedImage(world, 'production');
  expect.check('production still serves release 1 after the automatic rollback', served === release1Image, served);
  const states = await latestDeploymentStates(world, 'production');
  expect.check(`production: GitHub deployment recorded: ${states.join(' → ')}`, states.at(-1) === 'failure');
  const health = await fetch(world.route('https://hello.example.com/health'));
  expect.check('production /health answers 200 again', health.status === 200, `HTTP ${health.status}`);
}

export async function checkRollbackDryRun(ctx: PhaseContext, release0Arn: string): Promise<void> {
  const { run, expect, world } = ctx;
  const [rollback] = actionSteps(run, 'rollback');
  const to = JSON.parse(rollback?.outputs['rolled-back-to'] || '{}') as Record<string, string>;
  expect.check(
    'dry run: status dry-run, the plan goes back to release 0',
    rollback?.outputs.status === 'dry-run' && to.hello === release0Arn,
    JSON.stringify(to),
  );
  expect.check(
    'dry run: no ECS change',
    world.sim.control.mutatingRequests({ service: 'ecs', sinceRealTime: ctx.since }).length === 0,
  );
}

export async function checkRollback(ctx: PhaseContext, release0Arn: string): Promise<void> {
  const { run, expect, world } = ctx;
  const [rollback] = actionSteps(run, 'rollback');
  const update = requests(ctx, 'UpdateService')[0];
  expect.check(
    'rollback: UpdateService back to release 0 in hello-production, verified, status succeeded',
    rollback?.outputs.status === 'succeeded' && update?.params.taskDefinition === release0Arn,
    `status ${rollback?.outputs.status}, UpdateService ${String(update?.params.taskDefinition)}`,
  );
  const states = await latestDeploymentStates(world, 'production');
  expect.check(
    `production: the rollback recorded as a GitHub deployment: ${states.join(' → ')}`,
    states.at(-1) === 'success',
  );
  const served = await servedImage(world, 'production');
  expect.check('production serves release 0 again', served === `${REGISTRY}/hello:${RELEASE_0_TAG}`, served);
}
