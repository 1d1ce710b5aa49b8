import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { shortTaskDefinition } from '@shipyard/ecs/arns';
import type { ImageScenario } from '@shipyard/aws-sim/scenarios';
import { sdkClientConfig } from '@shipyard/aws-sim/sim';
import { listInvalidations } from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';
import type { RunnerHost, StepInfo, StepRecord, WorkflowRun } from './model';
import { readJson, SHIPYARD_ROOT, startWorld, type HostRoute, type World } from './world';

// The seed systems' examples run end to end: the example's scenario.json seeds aws-sim, its folder is the caller's
// repository, and its own caller workflow runs our reusable workflows and actions on the local runner.

export const EXAMPLES = join(SHIPYARD_ROOT, 'examples');

/**
 * Verification paced for a fast simulated clock: deploy.yml does not expose the check interval, and its 5 s default
 * would outlast a simulated bake time that takes a second or two of real time.
 */
export function fastVerification(action: string, inputs: Record<string, string>): Record<string, string> {
  if (action !== 'ecs-deploy' && action !== 'rollback') return inputs;
  return { 'verify-interval': '250ms', 'verify-successes': '2', ...inputs };
}

export interface ExampleOptions {
  timeScale?: number;
  scenarios?: ImageScenario[];
  routes?: Record<string, HostRoute>;
  files?: Record<string, string>;
  /**
   * `run:` steps that need what this machine lacks (the app's own toolchain): by step name → why, or a function of
   * the step that returns why (undefined: run it).
   */
  skipScripts?: Record<string, string> | ((info: StepInfo) => string | undefined);
  afterStep?: RunnerHost['afterStep'];
  environmentSecrets?: RunnerHost['environmentSecrets'];
  /** Stand-ins for what an action would run that this machine lacks (applied after the fast verification). */
  actionInputs?: RunnerHost['actionInputs'];
}

export async function startExample(system: string, options: ExampleOptions = {}): Promise<World> {
  const skips = options.skipScripts ?? {};
  const skip = typeof skips === 'function' ? skips : (info: StepInfo) => skips[info.name];
  return startWorld({
    seed: readJson(join(EXAMPLES, system, 'scenario.json')),
    scenarios: [{ image: '*', startSeconds: 5, healthCheckSeconds: 5 }, ...(options.scenarios ?? [])],
    timeScale: options.timeScale ?? 60,
    repositoryFrom: [join(EXAMPLES, system)],
    files: options.files,
    routes: options.routes,
    environmentSecrets: options.environmentSecrets,
    hooks: {
      overrideScript: (info: StepInfo) => {
        const reason = skip(info);
        return reason ? { skip: reason } : undefined;
      },
      actionInputs: (action, inputs, info) => {
        const fast = fastVerification(action, inputs);
        return options.actionInputs?.(action, fast, info) ?? fast;
      },
      afterStep: options.afterStep,
    },
  });
}

/** A fixture folder as files of the caller's repository under `into` (path → content). */
export function filesFrom(dir: string, into: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((file) => statSync(join(dir, file)).isFile())
      .map((file) => [join(into, file), readFileSync(join(dir, file), 'utf8')]),
  );
}

/** The steps that ran (not skipped) one of our actions, e.g. `ecs-deploy`, in the order they ran. */
export function actionSteps(run: WorkflowRun, action?: string): StepRecord[] {
  return run.steps.filter((step) => {
    const uses = step.uses ?? '';
    const ours = /(^\.\/actions\/|\/shipyard\/actions\/)/.test(uses);
    return ours && step.result !== 'skipped' && (!action || uses.includes(`actions/${action}`));
  });
}

/** The steps of a given name that ran, e.g. deploy.yml's `Deploy and verify` in each environment. */
export function stepsNamed(run: WorkflowRun, name: string): StepRecord[] {
  return run.steps.filter((step) => step.step === name && step.result !== 'skipped');
}

/** `job: step → result` lines of a run, for readable failure messages. */
export function describeRun(run: WorkflowRun): string {
  return run.steps
    .map(
      (s) =>
        `${s.job}: ${s.step} → ${s.result}${s.result === 'failure' ? `\n${s.log.split('\n').slice(-15).join('\n')}` : ''}`,
    )
    .join('\n');
}

/** Mutating AWS calls, as `Operation subject` (service, family, distribution, snapshot …), in order. */
export function mutations(world: World, service?: string): string[] {
  return world.sim.control.mutatingRequests(service ? { service } : undefined).map((request) => {
    const p = request.params as Record<string, unknown>;
    const subject =
      p.service ??
      p.family ??
      p.repositoryName ??
      p.DistributionId ??
      p.DBInstanceIdentifier ??
      p.DBClusterIdentifier ??
      p.taskDefinition;
    return subject ? `${request.operation} ${String(subject)}` : request.operation;
  });
}

/** An SDK client of the sim, as a test reads its state (after the workflow, never through our actions). */
function simClient<T>(world: World, region: string, Client: new (config: ReturnType<typeof sdkClientConfig>) => T): T {
  return new Client(sdkClientConfig(world.sim, region));
}

/** service → the `family:revision` it runs now, as DescribeServices reports it. */
export async function runningRevisions(
  world: World,
  region: string,
  cluster: string,
  services: string[],
): Promise<Record<string, string>> {
  const ecs = simClient(world, region, ECSClient);
  try {
    const revisions: Record<string, string> = {};
    // DescribeServices takes at most 10 services per call.
    for (let i = 0; i < services.length; i += 10) {
      const page = await ecs.send(new DescribeServicesCommand({ cluster, services: services.slice(i, i + 10) }));
      for (const service of page.services ?? []) {
        revisions[service.serviceName ?? ''] = shortTaskDefinition(service.taskDefinition);
      }
    }
    return revisions;
  } finally {
    ecs.destroy();
  }
}

/** The `github` context of a pull request's run (the merge ref GitHub checks out). */
export function pullRequestEvent(repository: string, number: number, runId: string) {
  return {
    repository,
    event_name: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    ref_name: `${number}/merge`,
    run_id: runId,
  };
}

/** tag → digest of the images an ECR repository holds now, as DescribeImages reports them. */
export async function ecrTags(world: World, region: string, repository: string): Promise<Record<string, string>> {
  const ecr = simClient(world, region, ECRClient);
  try {
    const { imageDetails = [] } = await ecr.send(new DescribeImagesCommand({ repositoryName: repository }));
    return Object.fromEntries(
      imageDetails.flatMap((image) => (image.imageTags ?? []).map((tag) => [tag, image.imageDigest ?? ''])),
    );
  } finally {
    ecr.destroy();
  }
}

/** The manual snapshots RDS holds of a DB instance or an Aurora DB cluster: identifier → status. */
export async function dbSnapshots(
  world: World,
  region: string,
  database: { kind: 'instance' | 'cluster'; identifier: string },
): Promise<Record<string, string>> {
  const rds = simClient(world, region, RDSClient);
  try {
    if (database.kind === 'cluster') {
      const { DBClusterSnapshots = [] } = await rds.send(
        new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: database.identifier, SnapshotType: 'manual' }),
      );
      return Object.fromEntries(DBClusterSnapshots.map((s) => [s.DBClusterSnapshotIdentifier, s.Status ?? '']));
    }
    const { DBSnapshots = [] } = await rds.send(
      new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: database.identifier, SnapshotType: 'manual' }),
    );
    return Object.fromEntries(DBSnapshots.map((s) => [s.DBSnapshotIdentifier, s.Status ?? '']));
  } finally {
    rds.destroy();
  }
}

/** The invalidations CloudFront holds for a distribution (newest first): id → status. */
export async function invalidations(world: World, distributionId: string): Promise<Record<string, string>> {
  const items = await listInvalidations(world.sim, distributionId);
  return Object.fromEntries(items.map((item) => [item.Id, item.Status ?? '']));
}
