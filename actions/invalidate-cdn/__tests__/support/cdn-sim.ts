/** The bundled action against aws-sim's CloudFront: a seeded account, and a step run the way the runner runs it. */
import { join } from 'node:path';
import { CloudFrontClient, ListInvalidationsCommand } from '@aws-sdk/client-cloudfront';
import type { Lags } from '@shipyard/aws-sim/lags';
import type { SimClock } from '@shipyard/aws-sim/clock';
import { startSim, type Sim } from '@shipyard/aws-sim/server';
import { runAction, type ActionRun } from '@shipyard/testkit/run-action';

export const ACTION_DIR = join(__dirname, '..', '..');
export const SITE = 'E2QWRUHAPOMQZL';
export const DOCS = 'E1DOCS0EXAMPLE';

/** An invalidation's 60 simulated seconds pass in 0.1 s: the action's first 3 s poll finds it Completed. */
export const FAST = 600;

/**
 * `clock` replaces the scaled one (e.g. a manual clock the test moves at the action's own milestones); `lags` turns
 * on aws-sim's eventually consistent answers.
 */
export function startCdnSim(
  extraDistributions: Record<string, unknown>[] = [],
  options: { clock?: SimClock; lags?: Lags } = {},
): Promise<Sim> {
  return startSim({
    timeScale: FAST,
    clock: options.clock,
    lags: options.lags ?? {},
    seed: {
      cloudfront: {
        distributions: [
          { id: SITE, aliases: ['www.example.com', 'example.com'], domainName: 'd2qwruhapomqzl.cloudfront.net' },
          { id: DOCS, aliases: ['*.docs.example.com'] },
          ...extraDistributions,
        ],
      },
    },
  });
}

export interface StepOptions {
  env?: Record<string, string>;
  workspace?: string;
  timeoutMs?: number;
}

export function invalidateCdn(sim: Sim, inputs: Record<string, string>, options: StepOptions = {}): Promise<ActionRun> {
  return runAction({
    actionDir: ACTION_DIR,
    inputs,
    env: { ...sim.env, ...options.env },
    workspace: options.workspace,
    timeoutMs: options.timeoutMs,
  });
}

/** What the account holds, asked the way a user would (ListInvalidations), not through the sim's internals. */
export async function listInvalidations(sim: Sim, distributionId: string) {
  const client = new CloudFrontClient({
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { InvalidationList } = await client.send(new ListInvalidationsCommand({ DistributionId: distributionId }));
  return InvalidationList?.Items ?? [];
}

/** The paths of each successful CreateInvalidation, in order. */
export function createdBatches(sim: Sim): string[][] {
  return sim.control
    .requests({ operation: 'CreateInvalidation' })
    .filter((request) => request.status === 201)
    .map((request) => {
      const params = request.params as { InvalidationBatch: { Paths: { Items: { Path: string[] } } } };
      return params.InvalidationBatch.Paths.Items.Path;
    });
}

/** The failure message the runner shows (`::error::` from core.setFailed). */
export function failure(run: ActionRun): string | undefined {
  return run.annotations.find((annotation) => annotation.level === 'error')?.message;
}
